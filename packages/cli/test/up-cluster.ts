/** A whole cluster from `kubesim up` for end-to-end suites, with an API client and the stock kubectl. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, HttpTransport, RESOURCES } from '@kubesim/api';
import { eventually, freePort, TestProcess } from '@kubesim/testing';
import { CLI_MAIN, kubesim, tempDir } from './fixtures.js';

export class UpCluster {
  dataDir = '';
  client!: ApiClient;

  get kubeconfig(): string {
    return path.join(this.dataDir, 'kubeconfig');
  }

  /** `kubesim up --profile fast --nodes N` on free ports; resolves once every node is Ready. */
  async start(nodes = 3): Promise<this> {
    this.dataDir = tempDir('kubesim-up-');
    const apiPort = await freePort();
    const natsPort = await freePort();
    const up = new TestProcess('kubesim up', process.execPath, [
      CLI_MAIN, 'up', '--data-dir', this.dataDir, '--nats-port', String(natsPort), '--api-port', String(apiPort),
      '--profile', 'fast', '--nodes', String(nodes),
    ]);
    if ((await up.exited) !== 0) throw new Error(`kubesim up failed:\n${up.log}`);
    this.client = new ApiClient(new HttpTransport({ server: `http://127.0.0.1:${apiPort}` }));
    const nodesRes = RESOURCES.find((r) => r.plural === 'nodes')!;
    await waitFor(`${nodes} Ready nodes`, async () => {
      const list = await this.client.resource(nodesRes).list();
      return list.items.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length === nodes;
    });
    return this;
  }

  /** The stock kubectl against this cluster; returns stdout (throws on a non-zero exit). */
  kubectl(...args: string[]): string {
    return execFileSync('/usr/bin/kubectl', ['--kubeconfig', this.kubeconfig, '--cache-dir', path.join(this.dataDir, 'kubectl-cache'), ...args], {
      encoding: 'utf8',
    });
  }

  /** `kubesim down --purge`: every process stopped, containers included. */
  async stop(): Promise<void> {
    await this.client?.close();
    if (!this.dataDir) return;
    kubesim(['down', '--data-dir', this.dataDir, '--purge']);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Polls `cond` every 250 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  await eventually(what, cond, { timeoutMs, intervalMs: 250 });
}
