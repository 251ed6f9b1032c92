import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from '@kubesim/api';
import { TestControlPlane, type TestProcess } from '@kubesim/testing';
import { PODS, alive, containerPids, createPod, getPod, killContainers, podWhen, recordedPid, startKubelet, tempRoot, waitFor } from './helpers.js';

let cp: TestControlPlane;
const procs: TestProcess[] = [];
const roots: string[] = [];

beforeAll(async () => {
  cp = await new TestControlPlane(['--profile', 'fast']).start();
});

afterAll(async () => {
  for (const p of procs) await p.kill();
  for (const r of roots) {
    killContainers(r);
    fs.rmSync(r, { recursive: true, force: true });
  }
  await cp?.stop();
});

function kubelet(root: string, node: string, extra: string[] = []): TestProcess {
  const p = startKubelet(cp, root, node, extra);
  procs.push(p);
  return p;
}

const app = (p: Pod): ContainerStatus | undefined => p.status?.containerStatuses?.[0];
const runningReady = (p: Pod) => p.status?.phase === 'Running' && p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
const gone = async (name: string) => {
  try {
    await getPod(cp.natsClient, name);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'NotFound';
  }
};

describe('a kubelet killed with SIGKILL and started again (process runtime)', () => {
  const root = tempRoot();
  roots.push(root);
  const spec = (cmd: string) => ({ containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', cmd] }] });

  it('adopts the running containers, cleans up pods deleted meanwhile, restarts those that died', async () => {
    let k = kubelet(root, 'node-3');
    for (const name of ['keep', 'force-deleted', 'deleted', 'dies']) await createPod(cp.natsClient, name, spec('sleep 3600'), 'node-3');
    const before = new Map<string, { uid: string; pid: number }>();
    for (const name of ['keep', 'force-deleted', 'deleted', 'dies']) {
      const p = await podWhen(cp.natsClient, name, 'Running', runningReady, 20_000, k);
      before.set(name, { uid: p.metadata.uid!, pid: recordedPid(root, p.metadata.uid!, 'app')! });
    }
    const pidsBefore = containerPids(root).sort();
    expect(pidsBefore).toEqual([...before.values()].map((b) => b.pid).sort());

    await k.kill('SIGKILL');
    for (const b of before.values()) expect(alive(b.pid)).toBe(true); // containers outlive their kubelet
    await cp.natsClient.resource<Pod>(PODS).delete('default', 'force-deleted', { gracePeriodSeconds: 0 });
    await cp.natsClient.resource<Pod>(PODS).delete('default', 'deleted');
    process.kill(before.get('dies')!.pid, 'SIGKILL');

    k = kubelet(root, 'node-3');
    // The pod deleted from the API while the kubelet was down: its process killed, its files removed.
    await waitFor('the force-deleted pod to be cleaned up', () => !alive(before.get('force-deleted')!.pid) && !fs.existsSync(path.join(root, 'pods', before.get('force-deleted')!.uid)), 15_000, k);
    // The pod being deleted gracefully: stopped, then gone from the API.
    await waitFor('the gracefully deleted pod to go', () => gone('deleted'), 15_000, k);
    expect(alive(before.get('deleted')!.pid)).toBe(false);
    // The container that died meanwhile: restarted, restartCount 1.
    const dies = await podWhen(cp.natsClient, 'dies', 'restarted', (p) => app(p)?.restartCount === 1 && runningReady(p), 15_000, k);
    expect(app(dies)?.lastState?.terminated).toMatchObject({ exitCode: 137 });
    // The survivor: the very same process, no second copy, restartCount still 0.
    const keep = await podWhen(cp.natsClient, 'keep', 'still running', runningReady, 10_000, k);
    expect(app(keep)?.restartCount).toBe(0);
    expect(recordedPid(root, before.get('keep')!.uid, 'app')).toBe(before.get('keep')!.pid);
    expect(alive(before.get('keep')!.pid)).toBe(true);
    const pidsAfter = containerPids(root).sort();
    expect(pidsAfter).toEqual([before.get('keep')!.pid, recordedPid(root, before.get('dies')!.uid, 'app')!].sort());
    // And it keeps watching the adopted process: killing it now is noticed.
    process.kill(before.get('keep')!.pid, 'SIGKILL');
    await podWhen(cp.natsClient, 'keep', 'restarted after adoption', (p) => app(p)?.restartCount === 1 && runningReady(p), 15_000, k);
    expect(containerPids(root)).toHaveLength(2);
  });
});

describe('the thread runtime', () => {
  const root = tempRoot();
  roots.push(root);

  it('runs containers as threads, which die with the kubelet and are started again', async () => {
    let k = kubelet(root, 'node-4', ['--runtime', 'thread']);
    await createPod(cp.natsClient, 'threaded', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo hi; sleep 3600'] }] }, 'node-4');
    const p = await podWhen(cp.natsClient, 'threaded', 'Running', runningReady, 20_000, k);
    expect(containerPids(root)).toEqual([]);
    await k.kill('SIGKILL');
    k = kubelet(root, 'node-4', ['--runtime', 'thread']);
    const again = await podWhen(cp.natsClient, 'threaded', 'restarted', (x) => app(x)?.restartCount === 1 && runningReady(x), 20_000, k);
    expect(again.metadata.uid).toBe(p.metadata.uid);
    expect(again.status?.podIP).toBe(p.status?.podIP);
  });
});
