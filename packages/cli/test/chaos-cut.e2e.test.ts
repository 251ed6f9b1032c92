/**
 * `kubesim chaos --fault cut` end to end: a cluster supervised by this test's process of nats-server, the apiserver and
 * one kubelet that reaches NATS through its node's relay (`nats-relay-node-1`, the component the
 * cut needs). Cutting node-1 for 6 s stops its Lease renewals (its NATS connection is gone);
 * once the cut ends the kubelet reconnects and renews again, and the command reports the fault.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, HttpTransport, RESOURCES } from '@kubesim/api';
import { eventually, freePort, repoPath, TestProcess } from '@kubesim/testing';
import { readState, Supervisor, type ChaosReport, type ClusterSettings, type ComponentSpec } from '../src/index.js';
import { CLI_MAIN, freshSettings, kubesim, natsComponent } from './fixtures.js';

const NODE_IP = '127.1.0.1';
let settings: ClusterSettings;
const supervision = new AbortController();
let supervised: Promise<void> | undefined;
let client: ApiClient;
const leases = RESOURCES.find((r) => r.plural === 'leases')!;

function components(s: ClusterSettings, relayPort: number): ComponentSpec[] {
  const node = (rel: string, args: string[]) => ({ command: process.execPath, args: [repoPath(rel), ...args], required: true, port: null });
  return [
    natsComponent(s),
    {
      name: 'apiserver',
      ...node('packages/apiserver/dist/main.js', ['--nats-url', `nats://127.0.0.1:${s.natsPort}`, '--port', String(s.apiPort), '--bind-address', '127.0.0.1', '--profile', 'fast']),
      health: { kind: 'http', urls: [`http://127.0.0.1:${s.apiPort}/readyz`] },
    },
    {
      name: 'nats-relay-node-1',
      ...node('packages/cli/dist/chaos/relay-main.js', [
        '--listen', `${NODE_IP}:${relayPort}`, '--upstream', `127.0.0.1:${s.natsPort}`, '--control-file', path.join(s.dataDir, 'chaos', 'nats-cut-node-1.json'),
      ]),
      health: { kind: 'tcp', host: NODE_IP, port: relayPort },
    },
    {
      name: 'kubelet-node-1',
      ...node('packages/kubelet/dist/main.js', [
        '--nats-url', `nats://${NODE_IP}:${relayPort}`, '--profile', 'fast', '--node-name', 'node-1', '--node-index', '1', '--root-dir', path.join(s.dataDir, 'nodes', 'node-1'),
      ]),
      health: { kind: 'http', urls: [`http://127.0.0.1:${s.apiPort}/api/v1/nodes/node-1`] },
    },
  ];
}

async function renewTime(): Promise<number> {
  const lease: any = await client.resource(leases).get('kube-node-lease', 'node-1');
  return Date.parse(lease.spec.renewTime);
}

beforeAll(async () => {
  settings = { ...(await freshSettings()), nodes: 1, runtime: 'process' };
  const stateFile = path.join(settings.dataDir, 'state.json');
  const supervisor = new Supervisor({ stateFile, logDir: path.join(settings.dataDir, 'logs'), components: components(settings, await freePort(NODE_IP)), settings });
  supervised = supervisor.start(supervision.signal);
  await eventually('every component running', async () => readState(stateFile)?.components.every((c) => c.phase === 'running') ?? false, { timeoutMs: 30_000 });
  client = new ApiClient(new HttpTransport({ server: `http://127.0.0.1:${settings.apiPort}` }));
  await eventually('node-1 renewing its Lease', async () => (await renewTime().catch(() => 0)) > Date.now() - 3000, { timeoutMs: 30_000 });
}, 60_000);
afterAll(async () => {
  await client?.close();
  supervision.abort();
  await supervised;
  fs.rmSync(settings.dataDir, { recursive: true, force: true });
});

describe('kubesim chaos --fault cut', () => {
  it('cuts a node off from NATS for the duration, after which it reconnects', async () => {
    const run = new TestProcess('kubesim chaos', process.execPath, [
      CLI_MAIN, 'chaos', '--data-dir', settings.dataDir, '--target', 'node/node-1', '--fault', 'cut', '--duration', '6s', '--recovery-timeout', '20s', '--json',
    ]);
    await new Promise((r) => setTimeout(r, 2000));
    const renewedBefore = await renewTime();
    await new Promise((r) => setTimeout(r, 3000));
    expect(await renewTime()).toBe(renewedBefore);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(run.log.slice(run.log.indexOf('{'))) as ChaosReport;
    expect(report.faults).toMatchObject([{ action: 'cut', target: 'node/node-1', error: null }]);
    expect(report.faults[0].processes.some((p) => p.startsWith('nats-relay-node-1:'))).toBe(true);
    expect(report.faults[0].endMs - report.faults[0].atMs).toBe(6000);
    const cutEndedAt = Date.parse(report.startedAt) + report.faults[0].endMs;
    // Requests in flight when the connection dropped wait out the NATS transport's 30 s timeout
    // before the kubelet's renew loop goes on, so the first renewal can come that late.
    await eventually('node-1 renewing its Lease again', async () => (await renewTime()) > renewedBefore, { timeoutMs: 45_000, intervalMs: 250 });
    console.log(`cut of node-1 for 6 s through kubesim chaos: Lease renewed again ${((Date.now() - cutEndedAt) / 1000).toFixed(1)} s after the cut ended`);
  }, 90_000);

  it('reports a fault at a node the cluster does not have as skipped', () => {
    const res = kubesim(['chaos', '--data-dir', settings.dataDir, '--target', 'node/node-9', '--fault', 'cut', '--recovery-timeout', '0s']);
    expect(res.stdout).toContain('skipped: no node node-9 in this cluster');
  });
});
