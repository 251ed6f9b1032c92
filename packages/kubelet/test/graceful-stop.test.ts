import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realClock } from '@kubesim/api';
import { stopContainer } from '../src/graceful-stop.js';
import type { HookOutcome } from '../src/lifecycle-hooks.js';
import type { ContainerRecord } from '../src/layout.js';
import { ProcessRuntime } from '../src/runtime/process.js';
import type { ContainerHandle } from '../src/runtime/types.js';
import { tempRoot } from './helpers.js';

const root = tempRoot();
const runtime = new ProcessRuntime();
const handles: ContainerHandle[] = [];
let n = 0;

afterAll(async () => {
  await Promise.all(handles.map((h) => h.kill()));
  fs.rmSync(root, { recursive: true, force: true });
});

/** A real busybox container process running `script`. */
async function start(script: string): Promise<ContainerHandle> {
  const dir = path.join(root, `c${n++}`);
  const rec = { runtime: 'process', podUid: 'u', container: 'c', init: false, attempt: 0, containerId: 'x', image: 'busybox', imageID: 'x', startedAt: new Date().toISOString(), exitFile: path.join(dir, 'exit'), logPath: path.join(dir, 'log') } as ContainerRecord;
  const h = await runtime.start({ image: 'busybox', command: ['sh', '-c', script], env: {}, rootfs: path.join(dir, 'rootfs'), mounts: [], podIP: '127.0.0.1', hostname: 'c' }, rec);
  handles.push(h);
  // The script touches /up once its trap is set: a SIGTERM before that would meet no trap.
  const up = path.join(dir, 'rootfs/up');
  for (let i = 0; i < 200 && script.includes('/up') && !fs.existsSync(up); i++) await new Promise((r) => setTimeout(r, 50));
  if (!script.includes('/up')) await new Promise((r) => setTimeout(r, 500));
  return h;
}

const GRACEFUL = "trap 'exit 0' TERM; touch /up; while true; do sleep 1; done";
/** PID 1 `sleep` ignores SIGTERM: only SIGKILL stops it. */
const STUBBORN = 'sleep 600';

/** A hook that takes `ms` and then succeeds or fails, recording when it ran. */
function hook(ms: number, ok = true, log: string[] = []) {
  return (signal: AbortSignal): Promise<HookOutcome> =>
    new Promise((resolve) => {
      log.push('hook');
      const t = setTimeout(() => resolve(ok ? { ok: true } : { ok: false, message: 'boom' }), ms);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve({ ok: false, message: 'cut short' })), { once: true });
    });
}

describe('stopping a container with a preStop hook', () => {
  it('runs the hook to completion before SIGTERM', async () => {
    const h = await start(GRACEFUL);
    const t0 = Date.now();
    const code = await stopContainer({ handle: h, graceMs: 10_000, clock: realClock, preStop: hook(1_000) });
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('reports a failed hook and still stops the container gracefully', async () => {
    const h = await start(GRACEFUL);
    const failures: string[] = [];
    const code = await stopContainer({ handle: h, graceMs: 10_000, clock: realClock, preStop: hook(100, false), onHookFailed: (m) => failures.push(m) });
    expect(code).toBe(0);
    expect(failures).toEqual(['boom']);
  });

  it('kills the container when the hook outlasts the grace period, after the 2 s minimum SIGTERM window', async () => {
    const h = await start(STUBBORN);
    const failures: string[] = [];
    const t0 = Date.now();
    const code = await stopContainer({ handle: h, graceMs: 1_000, clock: realClock, preStop: hook(30_000), onHookFailed: (m) => failures.push(m) });
    const took = Date.now() - t0;
    expect(code).toBe(137);
    expect(took).toBeGreaterThanOrEqual(3_000);
    expect(took).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 10));
    expect(failures).toEqual(['cut short']);
  });

  it('takes the hook time out of the grace period', async () => {
    const h = await start(STUBBORN);
    const t0 = Date.now();
    // 1 s of hook, then 3 s of SIGTERM window out of 4 s: killed at about 4 s.
    expect(await stopContainer({ handle: h, graceMs: 4_000, clock: realClock, preStop: hook(1_000) })).toBe(137);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4_000);
    expect(Date.now() - t0).toBeLessThan(5_500);
  });

  it('skips the hook with a zero grace period', async () => {
    const h = await start(STUBBORN);
    const log: string[] = [];
    expect(await stopContainer({ handle: h, graceMs: 0, clock: realClock, preStop: hook(1_000, true, log) })).toBe(137);
    expect(log).toEqual([]);
  });
});
