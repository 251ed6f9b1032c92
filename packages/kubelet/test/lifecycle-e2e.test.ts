import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Pod } from '@kubesim/api';
import { TestControlPlane, type TestProcess } from '@kubesim/testing';
import { PODS, alive, createPod, getPod, killContainers, podEvents, podWhen, recordedPid, startKubelet, tempRoot, waitFor } from './helpers.js';

let cp: TestControlPlane;
let kubelet: TestProcess;
const root = tempRoot();
/** When each path reached the test's HTTP server: containers and hooks report here. */
// Not 127.0.0.1: inside a container that is the pod's own address.
const SERVER_IP = '127.3.0.7';
const seen = new Map<string, number>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!seen.has(req.url!)) seen.set(req.url!, Date.now());
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, SERVER_IP, r));
  base = `http://${SERVER_IP}:${(server.address() as AddressInfo).port}`;
  cp = await new TestControlPlane(['--profile', 'fast']).start();
  kubelet = startKubelet(cp, root);
});

afterAll(async () => {
  await kubelet?.kill();
  killContainers(root);
  await cp?.stop();
  await new Promise((r) => server.close(r));
  fs.rmSync(root, { recursive: true, force: true });
});

const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
const running = (p: Pod) => p.status?.phase === 'Running' && ready(p);
const report = (what: string) => `wget -q -O /dev/null ${base}/${what}`;
/** A busybox container that reports its SIGTERM and exits on it; it reports `/up/<name>` once its trap is set. */
const graceful = (name: string): Container => ({ name: 'app', image: 'busybox', command: ['sh', '-c', `trap '${report(`term/${name}`)}; exit 0' TERM; ${report(`up/${name}`)}; while true; do sleep 1; done`] });
/** Reports its SIGTERM but keeps going: only SIGKILL ends it. */
const stubborn = (name: string): Container => ({ name: 'app', image: 'busybox', command: ['sh', '-c', `trap '${report(`term/${name}`)}' TERM; ${report(`up/${name}`)}; while true; do sleep 1; done`] });

async function gone(name: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`${name} to be gone`, async () => {
    try {
      await getPod(cp.natsClient, name);
      return false;
    } catch (err) {
      return (err as { code?: string }).code === 'NotFound';
    }
  }, timeoutMs, kubelet);
}

/** Deletes a pod; resolves with when the delete was sent. */
async function remove(name: string): Promise<number> {
  const at = Date.now();
  await cp.natsClient.resource<Pod>(PODS).delete('default', name);
  return at;
}

const seenAt = (path: string) => waitFor(`${path} to be reported`, () => seen.get(path), 20_000, kubelet);

describe('preStop hooks', () => {
  beforeAll(async () => {
    const pods: [string, Partial<NonNullable<Pod['spec']>>][] = [
      ['pre-exec', { containers: [{ ...graceful('pre-exec'), env: [{ name: 'MARK', value: 'from-env' }], lifecycle: { preStop: { exec: { command: ['sh', '-c', report('prestop/pre-exec/$MARK')] } } } }] }],
      ['pre-http', { containers: [{ ...graceful('pre-http'), lifecycle: { preStop: { httpGet: { host: SERVER_IP, port: Number(new URL(base).port), path: '/prestop/pre-http' } } } }] }],
      ['pre-sleep', { terminationGracePeriodSeconds: 10, containers: [{ ...graceful('pre-sleep'), lifecycle: { preStop: { sleep: { seconds: 2 } } } }] }],
      ['pre-slow', { terminationGracePeriodSeconds: 2, containers: [{ ...stubborn('pre-slow'), lifecycle: { preStop: { exec: { command: ['sleep', '30'] } } } }] }],
      ['pre-fail', { containers: [{ ...graceful('pre-fail'), lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo no; exit 1'] } } } }] }],
    ];
    await Promise.all(pods.map(([name, spec]) => createPod(cp.natsClient, name, spec)));
    await Promise.all(pods.map(([name]) => podWhen(cp.natsClient, name, 'Running', running, 30_000, kubelet)));
    // Running comes as soon as the process exists; the shell needs a moment more to set its trap.
    await Promise.all(pods.map(([name]) => seenAt(`/up/${name}`)));
  });

  it('runs an exec preStop hook in the container (its env) before the SIGTERM', async () => {
    await remove('pre-exec');
    const hook = await seenAt('/prestop/pre-exec/from-env');
    const term = await seenAt('/term/pre-exec');
    expect(hook).toBeLessThanOrEqual(term);
    await gone('pre-exec');
  });

  it('sends an httpGet preStop hook before the SIGTERM', async () => {
    await remove('pre-http');
    const hook = await seenAt('/prestop/pre-http');
    expect(hook).toBeLessThanOrEqual(await seenAt('/term/pre-http'));
    await gone('pre-http');
  });

  it('delays the SIGTERM by a preStop sleep', async () => {
    const deleted = await remove('pre-sleep');
    const term = await seenAt('/term/pre-sleep');
    expect(term - deleted).toBeGreaterThanOrEqual(2_000);
    expect(term - deleted).toBeLessThan(4_000);
    await gone('pre-sleep');
  });

  it('sends SIGTERM when the grace period runs out during the hook, and SIGKILL 2 s later', async () => {
    const pod = await getPod(cp.natsClient, 'pre-slow');
    const pid = recordedPid(root, pod.metadata.uid!, 'app')!;
    const deleted = await remove('pre-slow');
    const term = await seenAt('/term/pre-slow');
    expect(term - deleted).toBeGreaterThanOrEqual(2_000);
    expect(term - deleted).toBeLessThan(3_500);
    await gone('pre-slow');
    // The 30 s hook did not hold the pod: grace 2 s, then 2 s of SIGTERM window.
    expect(Date.now() - deleted).toBeGreaterThanOrEqual(4_000);
    expect(Date.now() - deleted).toBeLessThan(8_000);
    expect(alive(pid)).toBe(false);
  });

  it('records FailedPreStopHook for a failing hook and still stops the pod', async () => {
    await remove('pre-fail');
    await seenAt('/term/pre-fail');
    await gone('pre-fail');
    const events = await waitFor('the hook failure event', async () => {
      const ev = await podEvents(cp.natsClient, 'pre-fail');
      return ev.includes('FailedPreStopHook: PreStopHook failed') ? ev : undefined;
    });
    expect(events.indexOf('Killing: Stopping container app')).toBeLessThan(events.indexOf('FailedPreStopHook: PreStopHook failed'));
  });
});

describe('postStart hooks', () => {
  it('keeps the container from Running and Ready until the hook completes', async () => {
    const postStart = { exec: { command: ['sh', '-c', `sleep 2; ${report('poststart/post-ok')}`] } };
    await createPod(cp.natsClient, 'post-ok', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', `${report('started/post-ok')}; sleep 3600`], lifecycle: { postStart } }] });
    await seenAt('/started/post-ok');
    const during = await getPod(cp.natsClient, 'post-ok');
    expect(ready(during)).toBe(false);
    expect(during.status?.containerStatuses?.[0]?.state?.running).toBeUndefined();
    const p = await podWhen(cp.natsClient, 'post-ok', 'Running and Ready', running, 20_000, kubelet);
    expect(seen.has('/poststart/post-ok')).toBe(true);
    expect(Date.parse(p.status!.containerStatuses![0].state!.running!.startedAt!)).toBeLessThanOrEqual(seen.get('/poststart/post-ok')!);
  });

  it('kills and restarts a container whose postStart hook fails (FailedPostStartHook)', async () => {
    const postStart = { exec: { command: ['sh', '-c', 'exit 1'] } };
    await createPod(cp.natsClient, 'post-fail', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 3600'], lifecycle: { postStart } }] });
    const p = await podWhen(cp.natsClient, 'post-fail', 'restarted', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000, kubelet);
    expect(ready(p)).toBe(false);
    const events = await podEvents(cp.natsClient, 'post-fail');
    expect(events).toContain('FailedPostStartHook: PostStartHook failed');
    expect(events).toContain('Killing: FailedPostStartHook');
  });
});
