/**
 * ReplicaSet reconcile against a real apiserver: the test calls reconcile(key) itself, on an
 * informer cache fed by the real watch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKey, type Event, type Pod, type ReplicaSet } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { ReplicaSetController } from '../src/controllers/replicaset.js';
import { eventually, namespace, res, startInformers, testContext } from './harness.js';

describe('ReplicaSet reconcile', () => {
  let cp: TestControlPlane;
  let controller: ReplicaSetController;
  let stop: AbortController;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    ctx = testContext(cp.natsClient);
    controller = new ReplicaSetController(ctx);
    stop = await startInformers(ctx);
  });

  afterAll(async () => {
    stop?.abort();
    await cp?.stop();
  });

  const pods = () => res<Pod>(cp.natsClient, 'pods');
  const replicaSets = () => res<ReplicaSet>(cp.natsClient, 'replicasets');

  function replicaSet(ns: string, name: string, replicas: number): ReplicaSet {
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: ns },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'kubesim/web:v1' }] } },
      },
    };
  }

  function orphan(ns: string, name: string, labels: Record<string, string>, nodeName?: string): Pod {
    return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { nodeName, containers: [{ name: 'c', image: 'kubesim/sleep' }] } };
  }

  /** Waits until the informer holds what `cond` wants, then reconciles. */
  async function reconcileWhen(key: string, cond: () => boolean): Promise<void> {
    await eventually(cond, `cache of ${key}`);
    await controller.reconcile(key);
  }

  const informerPods = (ns: string) => ctx.informers.resource<Pod>('pods').byNamespace(ns);
  const cachedRS = (key: string) => ctx.informers.resource<ReplicaSet>('replicasets', 'apps').get(key);
  const livePods = async (ns: string) => (await pods().list({ namespace: ns })).items.filter((p) => !p.metadata.deletionTimestamp);

  it('creates the missing pods from the template, controlled by the ReplicaSet, and records it', async () => {
    const ns = await namespace(cp.natsClient, 'rs');
    const rs = await replicaSets().create(replicaSet(ns, 'web', 3));
    await reconcileWhen(`${ns}/web`, () => !!cachedRS(`${ns}/web`));
    const created = await livePods(ns);
    expect(created).toHaveLength(3);
    for (const p of created) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'web' });
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    const events = await eventually(async () => {
      const list = (await res<Event>(cp.natsClient, 'events').list({ namespace: ns })).items;
      return list.length === 3 ? list : undefined;
    }, 'three events');
    expect(events.map((e) => e.message).sort()).toEqual(created.map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(events.every((e) => e.reason === 'SuccessfulCreate' && e.source?.component === 'replicaset-controller')).toBe(true);
  });

  it('does not create again while its informer has not seen the pods it created', async () => {
    const ns = await namespace(cp.natsClient, 'rs');
    await replicaSets().create(replicaSet(ns, 'web', 5));
    await eventually(() => cachedRS(`${ns}/web`), 'cached ReplicaSet');
    await controller.reconcile(`${ns}/web`);
    await controller.reconcile(`${ns}/web`);
    await controller.reconcile(`${ns}/web`);
    await eventually(() => informerPods(ns).length === 5, 'pods in the cache');
    await controller.reconcile(`${ns}/web`);
    expect(await livePods(ns)).toHaveLength(5);
  });

  it('adopts a matching orphan and releases an owned pod that stopped matching', async () => {
    const ns = await namespace(cp.natsClient, 'rs');
    await pods().create(orphan(ns, 'stray', { app: 'web' }));
    const rs = await replicaSets().create(replicaSet(ns, 'web', 2));
    await reconcileWhen(`${ns}/web`, () => !!cachedRS(`${ns}/web`) && informerPods(ns).length === 1);
    const stray = await pods().get(ns, 'stray');
    expect(stray.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', uid: rs.metadata.uid, controller: true });
    expect(await livePods(ns)).toHaveLength(2);

    await pods().patch(ns, 'stray', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
    await reconcileWhen(`${ns}/web`, () => ctx.informers.resource<Pod>('pods').get(`${ns}/stray`)?.metadata.labels?.app === 'elsewhere');
    expect((await pods().get(ns, 'stray')).metadata.ownerReferences ?? []).toEqual([]);
    await eventually(async () => (await livePods(ns)).filter((p) => p.metadata.labels?.app === 'web').length === 2, 'a replacement');
  });

  it('deletes the least valuable pods first when scaled down', async () => {
    const ns = await namespace(cp.natsClient, 'rs');
    await pods().create(orphan(ns, 'on-a-node', { app: 'web' }, 'node-1'));
    await pods().create(orphan(ns, 'unassigned-1', { app: 'web' }));
    await pods().create(orphan(ns, 'unassigned-2', { app: 'web' }));
    await replicaSets().create(replicaSet(ns, 'web', 1));
    await reconcileWhen(`${ns}/web`, () => !!cachedRS(`${ns}/web`) && informerPods(ns).length === 3);
    // The first pass adopts; once the cache shows the adoptions the next one scales down.
    await reconcileWhen(`${ns}/web`, () => informerPods(ns).every((p) => p.metadata.ownerReferences?.length));
    const left = await livePods(ns);
    expect(left.map((p) => p.metadata.name)).toEqual(['on-a-node']);
  });

  it('reports replicas, fully labeled replicas and the observed generation in status', async () => {
    const ns = await namespace(cp.natsClient, 'rs');
    await replicaSets().create(replicaSet(ns, 'web', 2));
    await reconcileWhen(`${ns}/web`, () => !!cachedRS(`${ns}/web`));
    await reconcileWhen(`${ns}/web`, () => informerPods(ns).length === 2);
    const status = (await replicaSets().get(ns, 'web')).status;
    expect(status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
  });

  it('does not count a pod that is terminating', async () => {
    const ns = await namespace(cp.natsClient, 'rs');
    await pods().create(orphan(ns, 'on-a-node', { app: 'web' }, 'node-1'));
    await replicaSets().create(replicaSet(ns, 'web', 1));
    await reconcileWhen(`${ns}/web`, () => !!cachedRS(`${ns}/web`) && informerPods(ns).length === 1);
    expect((await livePods(ns)).map((p) => p.metadata.name)).toEqual(['on-a-node']);
    // A pod bound to a node terminates gracefully: it stays, with a deletionTimestamp, until its kubelet is done.
    await pods().delete(ns, 'on-a-node');
    await reconcileWhen(`${ns}/web`, () => !!ctx.informers.resource<Pod>('pods').get(`${ns}/on-a-node`)?.metadata.deletionTimestamp);
    const all = (await pods().list({ namespace: ns })).items;
    expect(all).toHaveLength(2);
    expect(all.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name)).toEqual([expect.stringMatching(/^web-/)]);
  });

  it('replaces a pod that finished', async () => {
    const ns = await namespace(cp.natsClient, 'rs');
    await replicaSets().create(replicaSet(ns, 'web', 2));
    await reconcileWhen(`${ns}/web`, () => !!cachedRS(`${ns}/web`));
    await eventually(() => informerPods(ns).length === 2, 'two pods cached');
    const [first] = await livePods(ns);
    // Seeded state: the pod ran to an end (the phase a kubelet would report).
    await pods().updateStatus({ ...first, status: { phase: 'Failed' } });
    await reconcileWhen(`${ns}/web`, () => ctx.informers.resource<Pod>('pods').get(objectKey(first))?.status?.phase === 'Failed');
    const all = (await pods().list({ namespace: ns })).items;
    expect(all).toHaveLength(3);
    expect(all.filter((p) => p.status?.phase !== 'Failed')).toHaveLength(2);
  });
});
