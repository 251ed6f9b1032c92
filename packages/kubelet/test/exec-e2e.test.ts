/**
 * `kubectl exec` with the stock kubectl (/usr/bin/kubectl → kubectl 1.31, WebSocket v5.channel.k8s.io)
 * against a real control plane and a real kubelet process: the apiserver upgrades the connection
 * and proxies the exec to the kubelet over NATS, which runs the command in the container's context.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '@kubesim/api';
import { TestCluster, writeKubeconfig } from '@kubesim/testing';
import { createPod, podWhen, waitFor } from './helpers.js';

const KUBECTL = '/usr/bin/kubectl';
let cluster: TestCluster;
let dir: string;

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs the stock kubectl, feeding `input` to its stdin when given. */
function kubectl(args: string[], input?: string, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    if (input !== undefined) child.stdin!.end(input);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** Pids of live processes whose container spec mentions `marker` (exec'd commands carry their argv there). */
function execProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const env = fs.readFileSync(`/proc/${e}/environ`, 'utf8');
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      if (env.includes(marker) && env.includes('KUBESIM_CONTAINER_SPEC=') && !/^\S+ \(.*\) [ZX] /.test(stat)) pids.push(Number(e));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

const running = (p: Pod) => p.status?.phase === 'Running' && (p.status?.containerStatuses ?? []).every((c) => c.state?.running);

beforeAll(async () => {
  cluster = await new TestCluster({ nodes: 1, controllerManager: false, scheduler: false }).start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-exec-'));
  writeKubeconfig(path.join(dir, 'kubeconfig'), cluster.cp.apiserver.url);
  const client = cluster.cp.natsClient;
  await createPod(client, 'box', {
    containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo started; sleep 3600'], env: [{ name: 'FOO', value: 'bar from the spec' }], workingDir: '/work' }],
  });
  await createPod(client, 'web', { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] });
  await createPod(client, 'two', {
    containers: [
      { name: 'a', image: 'busybox', command: ['sleep', '3600'] },
      { name: 'b', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'WHO', value: 'container b' }] },
    ],
  });
  await createPod(client, 'pending', { containers: [{ name: 'main', image: 'no-such-image-anywhere' }] });
  for (const name of ['box', 'web', 'two']) await podWhen(client, name, 'Running', running, 30_000, cluster.kubelets.get('node-1'));
});

afterAll(async () => {
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('kubectl exec', () => {
  it('prints the output of a command and exits 0', async () => {
    const r = await kubectl(['exec', 'box', '--', 'echo', 'hello']);
    expect(r).toMatchObject({ stdout: 'hello\n', code: 0 });
  });

  it('keeps stdout and stderr apart and exits with the command exit code', async () => {
    const r = await kubectl(['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toContain('err\n');
    expect(r.stderr).toContain('command terminated with exit code 3');
    expect(r.code).toBe(3);
  });

  it('runs in the container context: its env vars, working dir and files', async () => {
    const r = await kubectl(['exec', 'box', '--', 'sh', '-c', 'echo "$FOO"; pwd; echo data > /tmp/f; cat /tmp/f; echo $HOSTNAME']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('bar from the spec\n/work\ndata\nbox\n');
    // The file is in the container's root: a second exec sees it.
    expect((await kubectl(['exec', 'box', '--', 'cat', '/tmp/f'])).stdout).toBe('data\n');
  });

  it('runs in the named container with -c', async () => {
    const r = await kubectl(['exec', 'two', '-c', 'b', '--', 'sh', '-c', 'echo $WHO']);
    expect(r).toMatchObject({ stdout: 'container b\n', code: 0 });
  });

  it('runs the image programs of an nginx container', async () => {
    const r = await kubectl(['exec', 'web', '--', 'ls', '/usr/share/nginx/html']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('index.html');
  });

  it('streams piped stdin to the command with -i', async () => {
    const r = await kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'cat; echo done'], 'line one\nline two\n');
    expect(r).toMatchObject({ stdout: 'line one\nline two\ndone\n', code: 0 });
    const wc = await kubectl(['exec', '-i', 'box', '--', 'wc', '-l'], 'a\nb\nc\n');
    expect(wc.stdout.trim()).toBe('3');
  });

  it('streams a larger output whole', async () => {
    const r = await kubectl(['exec', 'box', '--', 'sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2000);
    expect(lines[1999]).toBe('line 1999');
  });

  it('keeps a session that outlives the keep-alive and ping periods', async () => {
    const r = await kubectl(['exec', 'box', '--', 'sh', '-c', 'echo before; sleep 7; echo after']);
    expect(r).toMatchObject({ stdout: 'before\nafter\n', code: 0 });
  });

  it('reports a missing pod as NotFound', async () => {
    const r = await kubectl(['exec', 'nope', '--', 'echo', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): pods "nope" not found');
  });

  it('reports an unknown container', async () => {
    const r = await kubectl(['exec', 'box', '-c', 'nope', '--', 'echo', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/container nope is not valid for pod box|container nope not found in pod box/);
  });

  it('reports a command that is not in the image', async () => {
    const r = await kubectl(['exec', 'box', '--', 'no-such-program', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('exec: "no-such-program": executable file not found in $PATH');
  });

  it('reports a container that is not running', async () => {
    const r = await kubectl(['exec', 'pending', '--', 'echo', 'hi']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('container not found ("main")');
  });

  it('kills the command when the client goes away', async () => {
    const marker = `marker-${process.pid}-${Date.now()}`;
    const child = spawn(KUBECTL, ['--kubeconfig', path.join(dir, 'kubeconfig'), 'exec', 'box', '--', 'sh', '-c', `sleep 3600; echo ${marker}`], { stdio: 'ignore', detached: true });
    await waitFor('the exec process to start', () => execProcesses(marker).length > 0);
    // /usr/bin/kubectl is a dispatcher that runs the versioned kubectl as its child: kill the group we started.
    process.kill(-child.pid!, 'SIGKILL');
    await waitFor('the exec process to be killed', () => execProcesses(marker).length === 0, 20_000);
  });

  it('gives a terminal with -t: one output stream with CRLF line ends', async () => {
    const cmd = `${KUBECTL} --kubeconfig ${path.join(dir, 'kubeconfig')} exec -t box -- sh -c 'echo a; echo b >&2; exit 4'`;
    const r = await new Promise<Run>((resolve) => {
      const c = spawn('script', ['-qefc', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      c.stdout.on('data', (d) => (stdout += d));
      c.on('close', (code) => resolve({ stdout, stderr: '', code }));
    });
    expect(r.stdout).toContain('a\r\nb\r\n');
    expect(r.stdout).toContain('command terminated with exit code 4');
    expect(r.code).toBe(4);
  });

  it('ends the session with an error and the command with it when the kubelet is killed', async () => {
    const marker = `marker-${process.pid}-${Date.now()}-kubelet`;
    const session = kubectl(['exec', 'box', '--', 'sh', '-c', `sleep 3600; echo ${marker}`]);
    await waitFor('the exec process to start', () => execProcesses(marker).length > 0);
    await cluster.kubelets.get('node-1')!.kill('SIGKILL');
    await waitFor('the exec process to die with its kubelet', () => execProcesses(marker).length === 0, 10_000);
    const r = await session;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('stopped answering');
  });

  it('runs in a container that a restarted kubelet adopted, with its env', async () => {
    await cluster.kubelets.get('node-1')!.kill('SIGTERM');
    cluster.startKubelet('node-1');
    const r = await waitFor('exec after the kubelet restart', async () => {
      const x = await kubectl(['exec', 'box', '--', 'sh', '-c', 'echo "$FOO"; pwd']);
      return x.code === 0 ? x : undefined;
    }, 30_000);
    expect(r.stdout).toBe('bar from the spec\n/work\n');
  });

  it('leaves the kubelet and apiserver running after all that', async () => {
    expect(cluster.kubelets.get('node-1')!.running).toBe(true);
    expect(cluster.cp.apiserver.proc.running).toBe(true);
    const r = await kubectl(['exec', 'box', '--', 'echo', 'still here']);
    expect(r).toMatchObject({ stdout: 'still here\n', code: 0 });
  });
});
