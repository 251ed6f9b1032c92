import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestControlPlane, repoPath } from './cluster.js';
import { TestProcess } from './process.js';
import { killNodeContainers } from '@kubesim/kubelet';

export interface TestClusterOptions {
  /** Worker nodes (one kubelet process each). Default 3. */
  nodes?: number;
  runtime?: 'process' | 'thread';
  /** Extra kubelet flags, e.g. ['--cpu', '2']. */
  kubeletArgs?: string[];
  /** Start the controller-manager too. Default true. */
  controllerManager?: boolean;
  /** Start the scheduler too. Default true. */
  scheduler?: boolean;
}

/**
 * A whole cluster of real processes for end-to-end suites and benchmarks: nats-server,
 * apiserver, controller-manager, scheduler and N kubelets, all with the fast profile.
 */
export class TestCluster {
  readonly cp = new TestControlPlane(['--profile', 'fast']);
  readonly kubelets = new Map<string, TestProcess>();
  controllerManager?: TestProcess;
  scheduler?: TestProcess;
  readonly rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-cluster-'));

  constructor(readonly options: TestClusterOptions = {}) {}

  async start(): Promise<this> {
    await this.cp.start();
    if (this.options.controllerManager ?? true) this.controllerManager = this.component('controller-manager', 'packages/controller-manager/dist/main.js', []);
    if (this.options.scheduler ?? true) this.scheduler = this.component('scheduler', 'packages/scheduler/dist/main.js', []);
    for (let i = 1; i <= (this.options.nodes ?? 3); i++) this.startKubelet(`node-${i}`);
    await this.waitForNodes();
    return this;
  }

  /** Starts (or restarts) the kubelet of a node, keeping its root dir. */
  startKubelet(node: string): TestProcess {
    const index = node.replace(/^\D*/, '');
    const proc = this.component(`kubelet-${node}`, 'packages/kubelet/dist/main.js', [
      '--node-name', node,
      '--node-index', index,
      '--root-dir', path.join(this.rootDir, node),
      '--runtime', this.options.runtime ?? 'process',
      ...(this.options.kubeletArgs ?? []),
    ]);
    this.kubelets.set(node, proc);
    return proc;
  }

  /** Starts a component process with the cluster's NATS URL and the fast profile. */
  component(name: string, entry: string, args: string[]): TestProcess {
    return new TestProcess(name, process.execPath, [repoPath(entry), '--nats-url', this.cp.nats.url, '--profile', 'fast', ...args]);
  }

  /** Waits until every kubelet's Node is Ready. */
  async waitForNodes(timeoutMs = 30_000): Promise<void> {
    const { RESOURCES } = await import('@kubesim/api');
    const nodes = this.cp.natsClient.resource(RESOURCES.find((r) => r.plural === 'nodes')!);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await nodes.list();
      const ready = list.items.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
      if (ready.length >= this.kubelets.size) return;
      if (Date.now() > deadline) throw new Error(`nodes not Ready after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops every process, the kubelets' containers included, and removes the dirs. */
  async stop(): Promise<void> {
    await Promise.all([...this.kubelets.values()].map((k) => k.kill('SIGTERM')));
    for (const node of this.kubelets.keys()) await killNodeContainers(path.join(this.rootDir, node));
    await this.scheduler?.kill('SIGTERM');
    await this.controllerManager?.kill('SIGTERM');
    await this.cp.stop();
    fs.rmSync(this.rootDir, { recursive: true, force: true });
  }
}
