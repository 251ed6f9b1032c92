/**
 * Rollouts with real pods: the controller-manager, the scheduler and a kubelet run as real
 * processes, so pods get bound, started, probed and become Ready the way they do in a cluster.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeepReadonly, Deployment, Job, Node, Pod, ReplicaSet } from '@kubesim/api';
import { Informer } from '@kubesim/api';
import { TestControlPlane, TestProcess, repoPath } from '@kubesim/testing';
import { eventually, namespace, reapProcessesUnder, res, startControllerManager, webDeployment } from './harness.js';

/** A web Deployment whose pods are ready once their HTTP server answers. */
function probedWeb(ns: string, replicas: number, extra: Partial<Deployment['spec']> = {}): Deployment {
  const d = webDeployment(ns, 'web', replicas, extra);
  d.spec!.template.spec!.containers[0].readinessProbe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 };
  return d;
}

const isReady = (p: DeepReadonly<Pod>) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const isLive = (p: DeepReadonly<Pod>) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const imageOf = (p: DeepReadonly<Pod>) => p.spec?.containers[0].image;

describe('rollouts with a scheduler and a kubelet', () => {
  let cp: TestControlPlane;
  let cm: TestProcess;
  let scheduler: TestProcess;
  let kubelet: TestProcess;
  let rootDir: string;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-cm-kubelet-'));
    const nats = ['--nats-url', cp.nats.url, '--profile', 'fast'];
    scheduler = new TestProcess('scheduler', process.execPath, [repoPath('packages/scheduler/dist/main.js'), ...nats]);
    kubelet = new TestProcess('kubelet', process.execPath, [
      repoPath('packages/kubelet/dist/main.js'),
      '--node-name',
      'node-1',
      '--node-index',
      '1',
      ...nats,
      '--root-dir',
      rootDir,
    ]);
    cm = startControllerManager(cp);
    await eventually(async () => {
      const node = await res<Node>(cp.natsClient, 'nodes').get(undefined, 'node-1');
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    }, 'node-1 Ready');
  }, 60_000);

  beforeEach(({ onTestFailed }) => {
    // A failure here may be another component's: show what each process said last.
    onTestFailed(() => {
      for (const p of [cm, scheduler, kubelet]) console.error(`---- ${p.name} (${p.running ? 'running' : 'exited'})\n${p.log.slice(-4000)}`);
    });
  });

  afterAll(async () => {
    // Pods outlive their kubelet (a new one adopts them): delete them while it runs, so it stops them.
    await deleteAllPods().catch((err) => console.error('pods left at the end:', err));
    await cm?.kill();
    await scheduler?.kill();
    await kubelet?.kill();
    if (rootDir) {
      reapProcessesUnder(rootDir);
      fs.rmSync(rootDir, { recursive: true, force: true });
    }
    await cp?.stop();
  }, 60_000);

  async function deleteAllPods(): Promise<void> {
    const pods = res<Pod>(cp.natsClient, 'pods');
    for (const ns of namespaces) await res(cp.natsClient, 'namespaces').delete(undefined, ns).catch(() => undefined);
    await eventually(async () => (await pods.list()).items.length === 0, 'every pod stopped and deleted', 30_000);
  }

  /** Namespaces this suite created, deleted at the end. */
  const namespaces: string[] = [];
  async function testNamespace(prefix: string): Promise<string> {
    const ns = await namespace(cp.natsClient, prefix);
    namespaces.push(ns);
    return ns;
  }

  const deployments = () => res<Deployment>(cp.natsClient, 'deployments');
  const replicaSets = () => res<ReplicaSet>(cp.natsClient, 'replicasets');

  /** Resolves the Deployment once `kubectl rollout status` would call it successfully rolled out. */
  async function rolledOut(ns: string, ms = 60_000): Promise<Deployment> {
    return eventually(async () => {
      const d = await deployments().get(ns, 'web');
      const s = d.status ?? {};
      const replicas = d.spec?.replicas ?? 1;
      const done =
        (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) &&
        (s.updatedReplicas ?? 0) >= replicas &&
        (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
        (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
      return done ? d : undefined;
    }, `rollout of ${ns}/web`, ms);
  }

  /**
   * Watches the namespace's pods and records the extremes a rollout must stay within: the fewest
   * ready pods and the most live (not terminating, not finished) pods at any moment.
   */
  async function watchBounds(ns: string): Promise<{ minReady: () => number; maxLive: () => number; stop: () => void }> {
    const stop = new AbortController();
    const informer = new Informer<Pod>(res<Pod>(cp.natsClient, 'pods'), { namespace: ns, log: () => undefined });
    let minReady = Infinity;
    let maxLive = 0;
    let synced = false;
    const measure = () => {
      // The first list arrives one pod at a time: only whole states count.
      if (!synced) return;
      const pods = informer.list();
      minReady = Math.min(minReady, pods.filter((p) => isLive(p) && isReady(p)).length);
      maxLive = Math.max(maxLive, pods.filter(isLive).length);
    };
    informer.addEventHandler({ onAdd: measure, onUpdate: measure, onDelete: measure });
    void informer.start(stop.signal);
    await informer.waitForSync(stop.signal);
    synced = true;
    measure();
    return { minReady: () => minReady, maxLive: () => maxLive, stop: () => stop.abort() };
  }

  async function livePods(ns: string): Promise<Pod[]> {
    return (await res<Pod>(cp.natsClient, 'pods').list({ namespace: ns })).items.filter(isLive);
  }

  it('brings a Deployment to available, with the conditions and counts rollout status reads', async () => {
    const ns = await testNamespace('ready');
    await deployments().create(probedWeb(ns, 3));
    const d = await rolledOut(ns);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.unavailableReplicas).toBeUndefined();
    const conditions = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, c.reason]));
    await eventually(async () => {
      const cur = await deployments().get(ns, 'web');
      return cur.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';
    }, 'Progressing NewReplicaSetAvailable');
    expect(conditions.Available).toBe('MinimumReplicasAvailable');
  });

  it('rolls v1 → v2 with maxSurge 1 and maxUnavailable 1 without leaving those bounds', async () => {
    const ns = await testNamespace('roll');
    await deployments().create(probedWeb(ns, 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rolledOut(ns);
    await eventually(async () => (await livePods(ns)).filter(isReady).length === 4, 'four ready v1 pods');
    const bounds = await watchBounds(ns);
    try {
      expect(bounds.maxLive()).toBe(4);
      await deployments().patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'kubesim/web:v2' }] } } } });
      await eventually(async () => (await deployments().get(ns, 'web')).metadata.generation === 2, 'generation 2');
      await rolledOut(ns);
      const pods = await eventually(async () => {
        const live = await livePods(ns);
        return live.length === 4 && live.every((p) => imageOf(p) === 'kubesim/web:v2') ? live : undefined;
      }, 'four v2 pods');
      expect(pods).toHaveLength(4);
      expect(bounds.minReady()).toBeGreaterThanOrEqual(3);
      expect(bounds.maxLive()).toBeLessThanOrEqual(5);
    } finally {
      bounds.stop();
    }
  });

  it('completes a rollout after kill -9 of the controller-manager in the middle of it', async () => {
    const ns = await testNamespace('kill');
    await deployments().create(probedWeb(ns, 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rolledOut(ns);
    const bounds = await watchBounds(ns);
    try {
      await deployments().patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'kubesim/web:v2' }] } } } });
      await eventually(async () => (await livePods(ns)).some((p) => imageOf(p) === 'kubesim/web:v2'), 'first v2 pod');
      await cm.kill('SIGKILL');
      cm = startControllerManager(cp);
      await rolledOut(ns);
      const pods = await eventually(async () => {
        const live = await livePods(ns);
        return live.every((p) => imageOf(p) === 'kubesim/web:v2') ? live : undefined;
      }, 'only v2 pods');
      expect(pods).toHaveLength(4);
      await new Promise((r) => setTimeout(r, 500));
      expect(await livePods(ns)).toHaveLength(4);
      expect(bounds.maxLive()).toBeLessThanOrEqual(5);
      const rss = (await replicaSets().list({ namespace: ns })).items;
      expect(rss.map((r) => r.spec?.replicas).sort()).toEqual([0, 4]);
    } finally {
      bounds.stop();
    }
  });

  it('stops a rollout that never becomes ready at the progress deadline, keeping the old pods', async () => {
    const ns = await testNamespace('stuck');
    await deployments().create(probedWeb(ns, 4, { progressDeadlineSeconds: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rolledOut(ns);
    // kubesim/web has no tag v3: the pull fails, the new pods never become ready.
    await deployments().patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'kubesim/web:v3' }] } } } });
    const d = await eventually(async () => {
      const cur = await deployments().get(ns, 'web');
      const c = cur.status?.conditions?.find((x) => x.type === 'Progressing');
      return c?.reason === 'ProgressDeadlineExceeded' ? cur : undefined;
    }, 'ProgressDeadlineExceeded', 30_000);
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', message: expect.stringMatching(/has timed out progressing/) });
    const ready = (await livePods(ns)).filter(isReady);
    expect(ready.length).toBeGreaterThanOrEqual(3);
    expect(ready.every((p) => imageOf(p) === 'kubesim/web:v1')).toBe(true);
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('Recreate: every old pod is gone before the first new pod exists', async () => {
    const ns = await testNamespace('recreate');
    await deployments().create(probedWeb(ns, 2, { strategy: { type: 'Recreate' } }));
    await rolledOut(ns);
    const stop = new AbortController();
    const informer = new Informer<Pod>(res<Pod>(cp.natsClient, 'pods'), { namespace: ns, log: () => undefined });
    let overlap = false;
    informer.addEventHandler({
      onAdd: () => {
        const images = new Set(informer.list().map(imageOf));
        if (images.has('kubesim/web:v1') && images.has('kubesim/web:v2')) overlap = true;
      },
    });
    void informer.start(stop.signal);
    try {
      await informer.waitForSync(stop.signal);
      await deployments().patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'kubesim/web:v2' }] } } } });
      await eventually(async () => (await deployments().get(ns, 'web')).metadata.generation === 2, 'generation 2');
      await rolledOut(ns);
      await eventually(async () => {
        const live = await livePods(ns);
        return live.length === 2 && live.every((p) => imageOf(p) === 'kubesim/web:v2');
      }, 'two v2 pods');
      expect(overlap).toBe(false);
    } finally {
      stop.abort();
    }
  });

  it('runs a Job to completion', async () => {
    const ns = await testNamespace('job');
    const jobs = res<Job>(cp.natsClient, 'jobs');
    await jobs.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'nap', namespace: ns },
      spec: { completions: 2, parallelism: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'nap', image: 'kubesim/sleep', args: ['0.2'] }] } } },
    });
    const job = await eventually(async () => {
      const j = await jobs.get(ns, 'nap');
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    }, 'Job Complete', 60_000);
    expect(job.status).toMatchObject({ succeeded: 2 });
    expect(job.status?.completionTime).toBeTruthy();
  });
});
