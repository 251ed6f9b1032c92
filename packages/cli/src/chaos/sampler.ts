/**
 * The steady-state probe: once a second it lists every Deployment over the API (declared vs
 * available replicas) and every Node (which are not Ready), takes the traffic window, and keeps
 * the samples for the report.
 */
import { RESOURCES, type ApiClient, type Deployment, type Node } from '@kubesim/api';
import type { DeploymentSample, Sample } from './recovery.js';
import type { TrafficLoop } from './traffic.js';

const deployments = RESOURCES.find((r) => r.plural === 'deployments')!;
const nodes = RESOURCES.find((r) => r.plural === 'nodes')!;

/**
 * The names of the Nodes that are not Ready (condition Ready not True); null when the API does
 * not answer. A node that went silent turns Unknown only after the node monitor grace period, so
 * a fault's consequences for nodes (and the evictions that follow) show in later samples.
 */
export async function sampleNotReadyNodes(client: ApiClient): Promise<string[] | null> {
  try {
    const list = await client.resource<Node>(nodes).list();
    return list.items
      .filter((n) => !n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((n) => n.metadata.name!)
      .sort();
  } catch {
    return null;
  }
}

/** Lists every Deployment's declared and available replicas; null when the API does not answer. */
export async function sampleDeployments(client: ApiClient): Promise<DeploymentSample[] | null> {
  try {
    const list = await client.resource<Deployment>(deployments).list();
    return list.items
      .map((d) => ({
        name: `${d.metadata.namespace}/${d.metadata.name}`,
        declared: d.spec?.replicas ?? 1,
        available: d.status?.availableReplicas ?? 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return null;
  }
}

/** Samples from start() until stop(): at once, then at t0 + (k + ½)·intervalMs. */
export class SteadyStateSampler {
  readonly samples: Sample[] = [];
  private running = true;
  private loop: Promise<void> | null = null;
  private lastDeployments: DeploymentSample[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly traffic: TrafficLoop | null,
    private readonly t0: number,
    private readonly intervalMs = 1000,
  ) {}

  /** Starts sampling; the first sample is taken at once. */
  start(): void {
    this.loop = this.run();
  }

  /** Stops after the sample in progress. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    // After the first sample the rest fall midway between the periods since t0, so a fault
    // scheduled on a whole period is never sampled at the very instant it is injected.
    let next = this.t0 - this.intervalMs / 2;
    while (this.running) {
      // Stamped when the list is sent: a fault injected while it is in flight may not show in it.
      const atMs = Date.now() - this.t0;
      const [listed, notReady] = await Promise.all([sampleDeployments(this.client), sampleNotReadyNodes(this.client)]);
      if (listed) this.lastDeployments = listed;
      this.samples.push({
        atMs,
        apiOk: listed !== null && notReady !== null,
        notReadyNodes: notReady ?? [],
        // With the API down the last known Deployments are kept, so the report still names them.
        deployments: listed ?? this.lastDeployments,
        traffic: this.traffic ? this.traffic.takeWindow() : null,
      });
      // A slow sample (the API not answering) skips the slots it overran, keeping the phase.
      do next += this.intervalMs;
      while (next <= Date.now());
      await new Promise((r) => setTimeout(r, next - Date.now()));
    }
  }
}
