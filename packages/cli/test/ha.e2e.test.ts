/**
 * End to end: `kubesim up --ha` runs two apiservers, two schedulers and two controller-managers
 * under the supervisor; one of each pair holds its Lease, and `kill -9` of a leader moves the
 * Lease to the standby while the supervisor brings the killed one back as the new standby.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, HttpTransport, RESOURCES, type Lease } from '@kubesim/api';
import { eventually, freePort, pidOfIdentity, TestProcess } from '@kubesim/testing';
import { readState } from '../src/index.js';
import { CLI_MAIN, killAll, kubesim, tempDir } from './fixtures.js';

const res = (plural: string) => RESOURCES.find((r) => r.plural === plural && !r.storageVersion)!;
/** Fast profile: 3 s lease; a standby notices within about two retry periods more. */
const TAKEOVER_MS = 15_000;

interface Row {
  name: string;
  pid: number | null;
  state: string;
  healthy: boolean | null;
  restarts: number;
  port: number | null;
}

describe('kubesim up --ha', () => {
  let dataDir = '';
  let apiPort = 0;
  let haApiPort = 0;
  let client: ApiClient;
  let second: ApiClient;

  const status = (): Row[] => JSON.parse(kubesim(['status', '--json', '--data-dir', dataDir]).stdout).components;
  const row = (name: string) => status().find((r) => r.name === name)!;
  const holder = async (lease: string) => (await client.resource<Lease>(res('leases')).get('kube-system', lease)).spec?.holderIdentity ?? '';

  beforeAll(async () => {
    dataDir = tempDir('kubesim-ha-');
    const natsPort = await freePort();
    apiPort = await freePort();
    haApiPort = await freePort();
    const up = new TestProcess('kubesim up', process.execPath, [
      CLI_MAIN, 'up', '--data-dir', dataDir, '--nats-port', String(natsPort), '--api-port', String(apiPort),
      '--ha', '--ha-api-port', String(haApiPort), '--profile', 'fast', '--nodes', '1',
    ]);
    expect(await up.exited, up.log).toBe(0);
    expect(up.log).toMatch(new RegExp(`✓ apiserver \\(pid \\d+\\) :${apiPort}\\n✓ apiserver-2 \\(pid \\d+\\) :${haApiPort}\\n`));
    client = new ApiClient(new HttpTransport({ server: `http://127.0.0.1:${apiPort}` }));
    second = new ApiClient(new HttpTransport({ server: `http://127.0.0.1:${haApiPort}` }));
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await second?.close();
    if (!dataDir) return;
    kubesim(['down', '--data-dir', dataDir, '--purge']);
    const state = readState(path.join(dataDir, 'state.json'));
    killAll([state?.supervisorPid ?? 0, ...(state?.components.map((c) => c.pid ?? 0) ?? [])].filter((p) => p > 0));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs two of each control-plane component, all healthy, and status lists them', () => {
    const rows = status();
    const names = rows.map((r) => r.name);
    expect(names.slice(0, 7)).toEqual(['nats-server', 'apiserver', 'apiserver-2', 'controller-manager', 'controller-manager-2', 'scheduler', 'scheduler-2']);
    for (const r of rows.slice(0, 7)) expect([r.name, r.state, r.healthy]).toEqual([r.name, 'running', true]);
    expect(rows.find((r) => r.name === 'apiserver-2')?.port).toBe(haApiPort);
    const table = kubesim(['status', '--data-dir', dataDir]).stdout;
    for (const name of ['apiserver-2', 'controller-manager-2', 'scheduler-2']) expect(table).toContain(name);
    // The kubeconfig keeps the first apiserver.
    expect(fs.readFileSync(path.join(dataDir, 'kubeconfig'), 'utf8')).toContain(`server: http://127.0.0.1:${apiPort}`);
  });

  it('serves the same store from both apiservers', async () => {
    await client.resource(res('configmaps')).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ha-check', namespace: 'default' } } as any);
    const got = await second.resource(res('configmaps')).get('default', 'ha-check');
    expect(got.metadata.name).toBe('ha-check');
  });

  it.each([
    ['scheduler', 'kube-scheduler'],
    ['controller-manager', 'kube-controller-manager'],
  ])('has one %s holding its Lease and the other standing by', async (component, lease) => {
    const pids = [row(component).pid, row(`${component}-2`).pid];
    const leader = await eventually(`a ${lease} holder`, async () => {
      const pid = pidOfIdentity(await holder(lease));
      return pids.find((p) => p === pid);
    }, { timeoutMs: 30_000 });
    expect(pids.filter((p) => p !== leader)).toHaveLength(1);
  });

  it.each([
    ['scheduler', 'kube-scheduler'],
    ['controller-manager', 'kube-controller-manager'],
  ])('moves the %s Lease to the standby when the leader is killed with SIGKILL', async (component, lease) => {
    const before = [row(component), row(`${component}-2`)];
    const leaderPid = pidOfIdentity(await holder(lease));
    const leader = before.find((r) => r.pid === leaderPid)!;
    const standby = before.find((r) => r.pid !== leaderPid)!;
    expect(leader).toBeDefined();
    const killedAt = Date.now();
    process.kill(leaderPid, 'SIGKILL');
    await eventually(`${standby.name} to hold ${lease}`, async () => pidOfIdentity(await holder(lease)) === standby.pid, { timeoutMs: TAKEOVER_MS });
    console.log(`kubesim up --ha: ${lease} moved from ${leader.name} to ${standby.name} ${Date.now() - killedAt} ms after kill -9`);
    // The supervisor restarts the killed one, which stands by.
    await eventually(`${leader.name} to be restarted`, () => {
      const r = row(leader.name);
      return r.state === 'running' && r.restarts === leader.restarts + 1 && r.pid !== leaderPid;
    }, { timeoutMs: 30_000 });
    expect(pidOfIdentity(await holder(lease))).toBe(standby.pid);
  });

  it('keeps scheduling and reconciling after the failovers', async () => {
    await client.resource(res('deployments')).create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'after-failover', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'after-failover' } },
        template: { metadata: { labels: { app: 'after-failover' } }, spec: { containers: [{ name: 'echo', image: 'kubesim/echo' }] } },
      },
    } as any);
    await eventually('2 pods bound to node-1', async () => {
      const pods = (await client.resource(res('pods')).list({ namespace: 'default', labelSelector: 'app=after-failover' })).items as any[];
      return pods.length === 2 && pods.every((p) => p.spec.nodeName === 'node-1');
    }, { timeoutMs: 30_000 });
  });
});
