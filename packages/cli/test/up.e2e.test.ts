/**
 * End to end: the built `kubesim` command starts real nats-server and apiserver processes, the
 * stock kubectl talks to them, and `down` leaves no process behind.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, TestProcess } from '@kubesim/testing';
import { readState } from '../src/index.js';
import { alive, CLI_MAIN, killAll, kubesim, tempDir } from './fixtures.js';

const dataDirs: string[] = [];
const procs: TestProcess[] = [];

/** Every pid a data dir's state.json has named, so afterAll can stop them if a test failed. */
function recordedPids(dataDir: string): number[] {
  const state = readState(path.join(dataDir, 'state.json'));
  return [state?.supervisorPid ?? 0, ...(state?.components.map((c) => c.pid ?? 0) ?? [])].filter((p) => p > 0);
}

afterAll(async () => {
  for (const p of procs) await p.kill('SIGKILL');
  for (const dir of dataDirs) {
    killAll(recordedPids(dir));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function newCluster() {
  const dataDir = tempDir('kubesim-e2e-');
  dataDirs.push(dataDir);
  const natsPort = await freePort();
  const apiPort = await freePort();
  const flags = ['--data-dir', dataDir, '--nats-port', String(natsPort), '--api-port', String(apiPort), '--profile', 'fast', '--nodes', '1'];
  return { dataDir, natsPort, apiPort, flags, kubeconfig: path.join(dataDir, 'kubeconfig') };
}

function startKubesim(args: string[]): TestProcess {
  const env = { KUBECONFIG: '' };
  const proc = new TestProcess('kubesim', process.execPath, [CLI_MAIN, ...args], env);
  procs.push(proc);
  return proc;
}

/** The stock kubectl with the cluster's kubeconfig and a fresh discovery cache. */
function kubectl(kubeconfig: string, ...args: string[]): string {
  const cacheDir = path.join(path.dirname(kubeconfig), 'kubectl-cache');
  return execFileSync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function namespaces(kubeconfig: string): string[] {
  return kubectl(kubeconfig, 'get', 'ns', '-o', 'name').trim().split('\n').sort();
}

const SYSTEM_NAMESPACES = ['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system'];

describe('kubesim up', () => {
  it('starts a cluster that the stock kubectl uses; status shows it; down stops every process and keeps the store', async () => {
    const c = await newCluster();
    const up = startKubesim(['up', ...c.flags]);
    expect(await up.exited, up.log).toBe(0);
    expect(up.log).toMatch(new RegExp(`✓ nats-server \\(pid \\d+\\) :${c.natsPort}\\n✓ apiserver \\(pid \\d+\\) :${c.apiPort}\\n`));
    expect(up.log).toContain(`export KUBECONFIG=${c.kubeconfig}`);

    expect(namespaces(c.kubeconfig)).toEqual(SYSTEM_NAMESPACES);

    const status = JSON.parse(kubesim(['status', '--json', '--data-dir', c.dataDir]).stdout);
    expect(status.supervisor.running).toBe(true);
    expect(status.components.map((s: { name: string; state: string; healthy: boolean }) => [s.name, s.state, s.healthy])).toEqual([
      ['nats-server', 'running', true],
      ['apiserver', 'running', true],
      ['controller-manager', 'running', true],
      ['scheduler', 'running', true],
      ['dns', 'running', true],
      ['lb', 'running', true],
      ['nats-relay-node-1', 'running', true],
      ['kubelet-node-1', 'running', true],
      ['proxy-node-1', 'running', true],
    ]);

    const again = kubesim(['up', ...c.flags]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`kubesim is already running from ${c.dataDir} (supervisor pid ${status.supervisor.pid})`);

    const ours = kubesim(['kubectl', '--data-dir', c.dataDir, 'get', 'ns'], { KUBECONFIG: '' });
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout).toContain('kube-system');

    const created = await fetch(`http://127.0.0.1:${c.apiPort}/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }),
    });
    expect(created.status).toBe(201);

    const pids = recordedPids(c.dataDir);
    expect(pids).toHaveLength(10);
    const down = kubesim(['down', '--data-dir', c.dataDir]);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(
      /^stopped proxy-node-1 \(pid \d+\)\nstopped kubelet-node-1 \(pid \d+\)\nstopped nats-relay-node-1 \(pid \d+\)\nstopped lb \(pid \d+\)\nstopped dns \(pid \d+\)\nstopped scheduler \(pid \d+\)\nstopped controller-manager \(pid \d+\)\nstopped apiserver \(pid \d+\)\nstopped nats-server \(pid \d+\)\nstopped supervisor \(pid \d+\)\n$/,
    );
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(recordedPids(c.dataDir)).toEqual([]);

    const upAgain = startKubesim(['up', ...c.flags]);
    expect(await upAgain.exited, upAgain.log).toBe(0);
    expect(namespaces(c.kubeconfig)).toContain('namespace/team-a');
    expect(kubesim(['down', '--data-dir', c.dataDir, '--purge']).code).toBe(0);
    expect(fs.existsSync(c.dataDir)).toBe(false);
  });

  it('restarts an apiserver killed with SIGKILL, and kubectl works again', async () => {
    const c = await newCluster();
    const up = startKubesim(['up', ...c.flags]);
    expect(await up.exited, up.log).toBe(0);
    const before = readState(path.join(c.dataDir, 'state.json'))!.components[1];
    process.kill(before.pid!, 'SIGKILL');
    await expect
      .poll(() => JSON.parse(kubesim(['status', '--json', '--data-dir', c.dataDir]).stdout).components[1], { timeout: 20_000 })
      .toMatchObject({ name: 'apiserver', state: 'running', restarts: 1, healthy: true });
    expect(namespaces(c.kubeconfig)).toEqual(SYSTEM_NAMESPACES);
    const pids = recordedPids(c.dataDir);
    expect(kubesim(['down', '--data-dir', c.dataDir]).code).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('--foreground runs the cluster until Ctrl-C (SIGINT), then stops every component', async () => {
    const c = await newCluster();
    const fg = startKubesim(['up', '--foreground', ...c.flags]);
    await expect.poll(() => fg.log, { timeout: 30_000 }).toContain('Ctrl-C stops the cluster');
    expect(namespaces(c.kubeconfig)).toEqual(SYSTEM_NAMESPACES);
    const pids = recordedPids(c.dataDir);
    expect(pids[0]).toBe(fg.pid);
    fg.child.kill('SIGINT');
    expect(await fg.exited, fg.log).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(readState(path.join(c.dataDir, 'state.json'))!.components.map((s) => s.phase)).toEqual(Array(9).fill('stopped'));
  });

  it('refuses a port that is already in use and starts nothing', async () => {
    const c = await newCluster();
    const holder = net.createServer().listen(c.apiPort, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    try {
      const res = kubesim(['up', ...c.flags]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`port ${c.apiPort} on 127.0.0.1 is in use; choose another with --api-port`);
      expect(fs.existsSync(path.join(c.dataDir, 'state.json'))).toBe(false);
    } finally {
      holder.close();
    }
  });
});
