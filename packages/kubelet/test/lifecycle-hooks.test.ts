import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, realClock } from '@kubesim/api';
import { runContainer, type ContainerSpec } from '@kubesim/images';
import { runLifecycleHook, type HookTarget } from '../src/lifecycle-hooks.js';
import { tempRoot } from './helpers.js';

const root = tempRoot();
const requests: { url: string; headers: http.IncomingHttpHeaders }[] = [];
let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ url: req.url!, headers: req.headers });
    res.writeHead(req.url === '/fail' ? 500 : 200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(root, { recursive: true, force: true });
});

/** A busybox container's context: exec hooks run its image with its env and rootfs, in-process. */
function target(over: Partial<HookTarget> = {}): HookTarget {
  const spec: ContainerSpec = { image: 'busybox', env: { GREETING: 'hello' }, workingDir: '/work', rootfs: path.join(root, 'rootfs'), mounts: [], podIP: '127.0.0.1', hostname: 'pod' };
  return {
    podIP: '127.0.0.1',
    ports: [{ name: 'http', containerPort: port }],
    exec: async (command, signal) => {
      let output = '';
      const collect = (c: string | Uint8Array) => void (output += typeof c === 'string' ? c : Buffer.from(c).toString());
      const exitCode = await runContainer({ ...spec, command, args: [] }, { stdout: collect, stderr: collect }, signal);
      return { exitCode, output };
    },
    clock: realClock,
    container: 'app',
    pod: 'web_default(uid-1)',
    ...over,
  };
}

const never = new AbortController().signal;

describe('lifecycle hooks', () => {
  it('runs an exec hook in the container context: its env, working dir and rootfs', async () => {
    const out = await runLifecycleHook({ exec: { command: ['sh', '-c', 'echo "$GREETING from $(pwd)" > /hook.txt'] } }, target(), never);
    expect(out).toEqual({ ok: true });
    expect(fs.readFileSync(path.join(root, 'rootfs/hook.txt'), 'utf8')).toBe('hello from /work\n');
  });

  it('fails an exec hook that exits non-zero, with the kubelet wording and its output', async () => {
    const out = await runLifecycleHook({ exec: { command: ['sh', '-c', 'echo nope; exit 3'] } }, target(), never);
    expect(out).toEqual({
      ok: false,
      message: `Exec lifecycle hook ([sh -c echo nope; exit 3]) for Container "app" in Pod "web_default(uid-1)" failed - error: command 'sh -c echo nope; exit 3' exited with 3: , message: "nope\\n"`,
    });
  });

  it('abandons an exec hook when its signal aborts', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const out = await runLifecycleHook({ exec: { command: ['sleep', '30'] } }, target(), ac.signal);
    // busybox sleep as PID 1 ignores SIGTERM, so the runner must not wait for it.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out.ok).toBe(false);
  }, 40_000);

  it('sends an httpGet hook to the pod IP with path, headers and the lifecycle user agent; any answer is success', async () => {
    requests.length = 0;
    const ok = await runLifecycleHook({ httpGet: { path: '/drain?now=1', port: 'http', httpHeaders: [{ name: 'X-Why', value: 'shutdown' }] } }, target(), never);
    const fail500 = await runLifecycleHook({ httpGet: { path: '/fail', port } }, target(), never);
    expect([ok, fail500]).toEqual([{ ok: true }, { ok: true }]);
    expect(requests.map((r) => r.url)).toEqual(['/drain?now=1', '/fail']);
    expect(requests[0].headers).toMatchObject({ 'x-why': 'shutdown', 'user-agent': 'kube-lifecycle/1.31' });
  });

  it('fails an httpGet hook nobody answers, and one with an unknown port name', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await runLifecycleHook({ httpGet: { path: '/x', port: deadPort } }, target(), never);
    expect(refused).toEqual({
      ok: false,
      message: `HTTP lifecycle hook (/x) for Container "app" in Pod "web_default(uid-1)" failed - error: Get "http://127.0.0.1:${deadPort}/x": dial tcp 127.0.0.1:${deadPort}: connect: connection refused`,
    });
    expect((await runLifecycleHook({ httpGet: { path: '/', port: 'metrics' } }, target(), never)).message).toContain("couldn't find port: metrics");
  });

  it('sleeps for a sleep hook, and fails when cut short', async () => {
    const clock = new FakeClock(0);
    let done = false;
    const p = runLifecycleHook({ sleep: { seconds: 5 } }, target({ clock }), never).then((o) => ((done = true), o));
    await clock.advance(4_999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(await p).toEqual({ ok: true });
    const ac = new AbortController();
    const cut = runLifecycleHook({ sleep: { seconds: 5 } }, target({ clock }), ac.signal);
    ac.abort();
    expect(await cut).toEqual({
      ok: false,
      message: 'Sleep lifecycle hook (5) for Container "app" in Pod "web_default(uid-1)" failed - error: container terminated before sleep hook finished',
    });
  });

  it('cannot run a tcpSocket hook (accepted by the API for compatibility only)', async () => {
    const out = await runLifecycleHook({ tcpSocket: { port: 80 } }, target(), never);
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/^Cannot run handler: invalid handler: /);
  });
});
