/**
 * A real control plane (nats-server + apiserver) plus the real scheduler process, for the
 * end-to-end suites, with the reads those suites assert on.
 */
import { findResource, type ApiClient, type Event, type Node, type Pod } from '@kubesim/api';
import { eventually as poll, repoPath, TestControlPlane, TestProcess } from '@kubesim/testing';

export const PODS = findResource('', 'v1', 'pods')!;
export const NODES = findResource('', 'v1', 'nodes')!;
export const EVENTS = findResource('', 'v1', 'events')!;

/** Polls `fn` until it returns something truthy; throws after `ms` with `what`. */
export function eventually<T>(what: string, fn: () => Promise<T | undefined | false | null>, ms = 30_000): Promise<T> {
  return poll(what, fn, { timeoutMs: ms });
}

export class SchedulerCluster {
  cp!: TestControlPlane;
  scheduler?: TestProcess;

  async start(): Promise<this> {
    this.cp = await new TestControlPlane(['--profile', 'fast']).start();
    return this;
  }

  get client(): ApiClient {
    return this.cp.natsClient;
  }

  /** Starts `kubesim-scheduler --profile fast` and waits until its caches are synced. */
  /** Starts a scheduler process (fast profile, plus `extraArgs`) and waits until it schedules. */
  async startScheduler(...extraArgs: string[]): Promise<TestProcess> {
    const proc = new TestProcess('scheduler', process.execPath, [
      repoPath('packages/scheduler/dist/main.js'),
      '--nats-url',
      this.cp.nats.url,
      '--profile',
      'fast',
      ...extraArgs,
    ]);
    this.scheduler = proc;
    await eventually('the scheduler to sync', async () => {
      if (!proc.running) throw new Error(`scheduler exited:\n${proc.log}`);
      return proc.log.includes('] scheduling');
    });
    return proc;
  }

  async stop(): Promise<void> {
    await this.scheduler?.kill('SIGTERM');
    await this.cp?.stop();
  }

  async createNodes(...nodes: Node[]): Promise<void> {
    for (const n of nodes) await this.client.resource<Node>(NODES).create(n);
  }

  async createPods(...pods: Pod[]): Promise<void> {
    await Promise.all(pods.map((p) => this.client.resource<Pod>(PODS).create(p)));
  }

  async pods(namespace = 'default'): Promise<Pod[]> {
    return (await this.client.resource<Pod>(PODS).list({ namespace })).items;
  }

  async pod(name: string, namespace = 'default'): Promise<Pod> {
    return this.client.resource<Pod>(PODS).get(namespace, name);
  }

  /** Events about the pod `name` with `reason`. */
  async events(name: string, reason: string, namespace = 'default'): Promise<Event[]> {
    const list = await this.client.resource<Event>(EVENTS).list({ namespace });
    return list.items.filter((e) => e.involvedObject.name === name && e.reason === reason);
  }

  /** Waits for the first event about the pod `name` with `reason`. */
  async waitForEvent(name: string, reason: string, namespace = 'default'): Promise<Event> {
    const events = await eventually(`a ${reason} event for ${name}`, async () => {
      const found = await this.events(name, reason, namespace);
      return found.length > 0 ? found : undefined;
    });
    return events[0];
  }

  /** Waits until every pod of `namespace` is bound; returns them. */
  async allBound(count: number, namespace = 'default', ms = 30_000): Promise<Pod[]> {
    return eventually(`${count} pods bound in ${namespace}`, async () => {
      const pods = await this.pods(namespace);
      return pods.length === count && pods.every((p) => p.spec?.nodeName) ? pods : undefined;
    }, ms);
  }
}

/** Pods per node name. */
export function podsPerNode(pods: Pod[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) out[p.spec!.nodeName!] = (out[p.spec!.nodeName!] ?? 0) + 1;
  return out;
}

/** Sum of cpu requests (millicores) per node. */
export function cpuPerNode(pods: Pod[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) {
    const cpu = String(p.spec?.containers[0].resources?.requests?.cpu ?? '0');
    const milli = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
    out[p.spec!.nodeName!] = (out[p.spec!.nodeName!] ?? 0) + milli;
  }
  return out;
}
