import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runContainer } from '../src/run.js';
import type { ContainerSpec } from '../src/types.js';

/** A fresh rootfs directory, removed by `cleanup()`. */
export function tempDir(prefix = 'kubesim-images-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// A random start, so that test files (each with its own copy of this module) do not share addresses.
let nextAddress = Math.floor(Math.random() * 60_000);
/** A loopback address no other test uses (127.77.x.y). */
export function uniqueIP(): string {
  nextAddress += 1;
  return `127.77.${Math.floor(nextAddress / 250) % 250}.${(nextAddress % 250) + 2}`;
}

/** A running container in this process, with its output collected. */
export interface Started {
  spec: ContainerSpec;
  stdout: () => string;
  stderr: () => string;
  /** Sends SIGTERM and waits for the exit code. */
  stop: () => Promise<number>;
  exited: Promise<number>;
}

/** Starts a container (busybox unless given) on a unique address with a temp rootfs. */
export function start(spec: Partial<ContainerSpec> & { image: string }): Started {
  const root = spec.rootfs ? undefined : tempDir();
  const full: ContainerSpec = { env: {}, mounts: [], podIP: uniqueIP(), hostname: 'test-pod', rootfs: root?.dir ?? '', ...spec };
  let out = '';
  let err = '';
  const ac = new AbortController();
  const decode = (c: string | Uint8Array) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));
  const exited = runContainer(full, { stdout: (c) => (out += decode(c)), stderr: (c) => (err += decode(c)) }, ac.signal).finally(() => root?.cleanup());
  return {
    spec: full,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop: () => {
      ac.abort();
      return exited;
    },
  };
}

/** Runs a container to completion; returns its output and exit code. */
export async function run(spec: Partial<ContainerSpec> & { image: string }): Promise<{ stdout: string; stderr: string; code: number }> {
  const c = start(spec);
  const code = await c.exited;
  return { stdout: c.stdout(), stderr: c.stderr(), code };
}

/** Runs `sh -c script` in busybox. */
export function sh(script: string, spec: Partial<ContainerSpec> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  return run({ image: 'busybox', command: ['sh', '-c', script], ...spec });
}

/** Waits until something accepts TCP connections on ip:port. */
export async function waitForPort(ip: string, port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, ip);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${ip}:${port}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One HTTP request; resolves with status, headers and body. */
export function http(ip: string, port: number, path = '/', opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Waits until `check` holds (polling), or fails after the timeout. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
