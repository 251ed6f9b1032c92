import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerSpec } from '../src/types.js';
import { eventually, http, tempDir, uniqueIP, waitForPort } from './helpers.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const WORKER = fileURLToPath(new URL('../dist/worker.js', import.meta.url));

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitFile: string;
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function spec(partial: Partial<ContainerSpec> & { image: string }): ContainerSpec {
  const root = tempDir();
  cleanups.push(root.cleanup);
  return { env: {}, mounts: [], podIP: uniqueIP(), hostname: 'proc-pod', rootfs: root.dir, ...partial };
}

function spawnContainer(s: ContainerSpec): Proc {
  const dir = tempDir();
  const exitFile = join(dir.dir, 'exit');
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, KUBESIM_CONTAINER_SPEC: JSON.stringify(s), KUBESIM_EXIT_FILE: exitFile }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    dir.cleanup();
  });
  return { child, stdout: () => out, stderr: () => err, exit, exitFile };
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('the process entry point (dist/main.js)', () => {
  it('runs the container from KUBESIM_CONTAINER_SPEC, exits with its code and writes the exit file', async () => {
    const p = spawnContainer(spec({ image: 'busybox', command: ['sh', '-c', 'printenv HOSTNAME GREETING; echo oops >&2; exit 3'], env: { GREETING: 'hello' } }));
    expect(await p.exit).toEqual({ code: 3, signal: null });
    expect(p.stdout()).toBe('proc-pod\nhello\n');
    expect(p.stderr()).toBe('oops\n');
    expect(readFileSync(p.exitFile, 'utf8').trim()).toBe('3');
  });

  it('rejects a missing spec with 128', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, KUBESIM_CONTAINER_SPEC: '' }, stdio: 'pipe' });
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(128);
  });

  it('turns SIGTERM into nginx\'s graceful stop: exit 0', async () => {
    const s = spec({ image: 'nginx' });
    const p = spawnContainer(s);
    await waitForPort(s.podIP, 80);
    expect((await http(s.podIP, 80, '/')).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await within(p.exit, 3000)).toEqual({ code: 0, signal: null });
    expect(readFileSync(p.exitFile, 'utf8').trim()).toBe('0');
  });

  it('a shell sleeping as PID 1 ignores SIGTERM until SIGKILL', async () => {
    const p = spawnContainer(spec({ image: 'busybox', command: ['sh', '-c', 'echo up; sleep 600'] }));
    await eventually(() => p.stdout() === 'up\n');
    p.child.kill('SIGTERM');
    expect(await within(p.exit, 500)).toBe('timeout');
    p.child.kill('SIGKILL');
    expect(await p.exit).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('a shell with a TERM trap runs it and exits with its status', async () => {
    const p = spawnContainer(spec({ image: 'busybox', command: ['sh', '-c', 'trap "echo bye; exit 7" TERM; echo up; while true; do sleep 1; done'] }));
    await eventually(() => p.stdout() === 'up\n');
    p.child.kill('SIGTERM');
    expect(await within(p.exit, 3000)).toEqual({ code: 7, signal: null });
    expect(p.stdout()).toBe('up\nbye\n');
  });

  it('agnhost serve-hostname keeps serving after SIGTERM ("Awaiting pod deletion")', async () => {
    const s = spec({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['serve-hostname'], hostname: 'hostnames-abc' });
    const p = spawnContainer(s);
    await waitForPort(s.podIP, 9376);
    expect((await http(s.podIP, 9376, '/')).body).toBe('hostnames-abc');
    p.child.kill('SIGTERM');
    await eventually(() => p.stderr().includes('Awaiting pod deletion.'));
    expect((await http(s.podIP, 9376, '/')).body).toBe('hostnames-abc');
    p.child.kill('SIGKILL');
    await p.exit;
  });
});

interface WorkerRun {
  worker: Worker;
  stdout: () => string;
  exit: Promise<number>;
}

function startWorker(s: ContainerSpec): WorkerRun {
  const worker = new Worker(WORKER, { workerData: s });
  let out = '';
  const exit = new Promise<number>((resolve) => {
    worker.on('message', (m: { stream?: string; data?: string | Uint8Array; exit?: number }) => {
      if (m.stream === 'stdout' && m.data !== undefined) out += typeof m.data === 'string' ? m.data : Buffer.from(m.data).toString();
      if (m.exit !== undefined) resolve(m.exit);
    });
  });
  cleanups.push(() => void worker.terminate());
  return { worker, stdout: () => out, exit };
}

describe('the thread entry point (dist/worker.js)', () => {
  it('posts output and the exit code', async () => {
    const w = startWorker(spec({ image: 'busybox', command: ['sh', '-c', 'echo from-thread; hostname; exit 2'] }));
    expect(await w.exit).toBe(2);
    expect(w.stdout()).toBe('from-thread\nproc-pod\n');
  });

  it('a {signal: "SIGTERM"} message stops a server gracefully', async () => {
    const port = 18_400;
    const s = spec({ image: 'kubesim/echo', env: { PORT: String(port) } });
    const w = startWorker(s);
    await waitForPort(s.podIP, port);
    w.worker.postMessage({ signal: 'SIGTERM' });
    expect(await within(w.exit, 3000)).toBe(0);
  });

  it('a shell sleeping as PID 1 ignores the SIGTERM message until the worker is terminated', async () => {
    const w = startWorker(spec({ image: 'busybox', command: ['sh', '-c', 'echo up; sleep 600'] }));
    await eventually(() => w.stdout() === 'up\n');
    w.worker.postMessage({ signal: 'SIGTERM' });
    expect(await within(w.exit, 300)).toBe('timeout');
    await w.worker.terminate();
  });
});
