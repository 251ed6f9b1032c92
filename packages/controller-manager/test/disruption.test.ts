/**
 * The disruption controller's reconcile against a real apiserver: the test seeds workloads, pods
 * (their Ready condition written through the status subresource, as a kubelet would) and
 * budgets, and calls reconcile(key) on an informer cache fed by the real watch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Event, OwnerReference, Pod, PodDisruptionBudget, PodDisruptionBudgetSpec, ReplicaSet } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { DisruptionController } from '../src/controllers/disruption.js';
import { formatTime } from '../src/pods.js';
import { FAST_SETTINGS } from '../src/settings.js';
import { eventually, namespace, res, startInformers, testContext } from './harness.js';

/** The deletion timeout these tests run with, short enough to watch an entry expire. */
const TIMEOUT_MS = 3_000;

describe('disruption controller reconcile', () => {
  let cp: TestControlPlane;
  let controller: DisruptionController;
  let stop: AbortController;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    ctx = { ...testContext(cp.natsClient), settings: { ...FAST_SETTINGS, pdbDeletionTimeoutMs: TIMEOUT_MS } as typeof FAST_SETTINGS };
    controller = new DisruptionController(ctx);
    stop = await startInformers(ctx);
  });

  afterAll(async () => {
    stop?.abort();
    await cp?.stop();
  });

  const client = () => cp.natsClient;
  const pods = () => res<Pod>(client(), 'pods');
  const budgets = () => res<PodDisruptionBudget>(client(), 'poddisruptionbudgets');
  const cachedPods = (ns: string) => ctx.informers.resource<Pod>('pods').byNamespace(ns);
  const cachedBudget = (ns: string, name: string) => ctx.informers.resource<PodDisruptionBudget>('poddisruptionbudgets', 'policy').get(`${ns}/${name}`);

  /** A Deployment of `replicas` and its ReplicaSet, as the workload controllers would leave them. */
  async function deploymentWithReplicaSet(ns: string, replicas: number): Promise<OwnerReference> {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'kubesim/web:v1' }] } };
    const selector = { matchLabels: { app: 'web' } };
    const d = await res<Deployment>(client(), 'deployments').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { replicas, selector, template } });
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true };
    const rs = await res<ReplicaSet>(client(), 'replicasets').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: ns, ownerReferences: [owner] },
      spec: { replicas, selector, template },
    });
    return { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rs.metadata.uid!, controller: true };
  }

  /** A pod on node-1, Ready or not, optionally controlled by `owner`. */
  async function seedPod(ns: string, name: string, ready: boolean, owner?: OwnerReference): Promise<Pod> {
    const created = await pods().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { app: 'web' }, ownerReferences: owner ? [owner] : undefined },
      spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'kubesim/web:v1' }] },
    });
    return pods().updateStatus({ ...created, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
  }

  async function seedBudget(ns: string, spec: PodDisruptionBudgetSpec): Promise<PodDisruptionBudget> {
    return budgets().create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: ns }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
  }

  /** Waits until the cache holds the budget at `rv` or later and `podCount` pods, then reconciles. */
  async function reconcileWhen(ns: string, cond: () => boolean) {
    await eventually(() => cond(), `cache of ${ns}`);
    const result = await controller.reconcile(`${ns}/web`);
    return { result: result ?? undefined, pdb: await budgets().get(ns, 'web') };
  }

  const podsCached = (ns: string, n: number) => () => cachedPods(ns).length === n && !!cachedBudget(ns, 'web');

  it('measures maxUnavailable against the Deployment behind the pods, not the pods there are', async () => {
    const ns = await namespace(client(), 'pdb');
    const rs = await deploymentWithReplicaSet(ns, 4);
    for (const n of ['a', 'b', 'c']) await seedPod(ns, n, true, rs);
    await seedBudget(ns, { maxUnavailable: 1 });
    const { pdb } = await reconcileWhen(ns, podsCached(ns, 3));
    expect(pdb.status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0, observedGeneration: 1 });
    expect(pdb.status?.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' })]);
  });

  it('counts a plain minAvailable against the matching pods, Ready ones as healthy', async () => {
    const ns = await namespace(client(), 'pdb');
    for (const [n, ready] of [['a', true], ['b', true], ['c', false]] as const) await seedPod(ns, n, ready);
    await seedBudget(ns, { minAvailable: 1 });
    const { pdb } = await reconcileWhen(ns, podsCached(ns, 3));
    expect(pdb.status).toMatchObject({ expectedPods: 3, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 });
    expect(pdb.status?.conditions?.[0]).toMatchObject({ status: 'True', reason: 'SufficientPods' });
  });

  it('writes nothing when the status is already right', async () => {
    const ns = await namespace(client(), 'pdb');
    await seedPod(ns, 'a', true);
    await seedBudget(ns, { minAvailable: 1 });
    const first = (await reconcileWhen(ns, podsCached(ns, 1))).pdb;
    await eventually(() => cachedBudget(ns, 'web')?.metadata.resourceVersion === first.metadata.resourceVersion, 'status in the cache');
    await controller.reconcile(`${ns}/web`);
    expect((await budgets().get(ns, 'web')).metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('keeps an evicted pod out of the healthy count until it is deleted, then forgets it', async () => {
    const ns = await namespace(client(), 'pdb');
    for (const n of ['a', 'b', 'c']) await seedPod(ns, n, true);
    const seeded = await seedBudget(ns, { minAvailable: 1 });
    const now = formatTime(Date.now());
    await budgets().updateStatus({ ...seeded, status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3, disruptedPods: { a: now, gone: now } } });
    const first = await reconcileWhen(ns, () => podsCached(ns, 3)() && !!cachedBudget(ns, 'web')?.status?.disruptedPods);
    expect(first.pdb.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: { a: now } });
    expect(first.result?.requeueAfterMs).toBeGreaterThan(0);
    expect(first.result?.requeueAfterMs).toBeLessThanOrEqual(TIMEOUT_MS + 1);

    await pods().delete(ns, 'a');
    const second = await reconcileWhen(ns, () => cachedPods(ns).every((p) => p.metadata.name !== 'a' || !!p.metadata.deletionTimestamp) && cachedBudget(ns, 'web')?.metadata.resourceVersion === first.pdb.metadata.resourceVersion);
    expect(second.pdb.status?.disruptedPods).toBeUndefined();
    expect(second.pdb.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
  });

  it('drops an entry whose pod was not deleted within the timeout, with a NotDeleted Event', async () => {
    const ns = await namespace(client(), 'pdb');
    for (const n of ['a', 'b']) await seedPod(ns, n, true);
    const seeded = await seedBudget(ns, { minAvailable: 1 });
    await budgets().updateStatus({ ...seeded, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2, disruptedPods: { a: formatTime(Date.now()) } } });
    const first = await reconcileWhen(ns, () => podsCached(ns, 2)() && !!cachedBudget(ns, 'web')?.status?.disruptedPods);
    expect(first.pdb.status).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0 });

    await new Promise((r) => setTimeout(r, first.result!.requeueAfterMs! + 1_000));
    const second = await reconcileWhen(ns, () => cachedBudget(ns, 'web')?.metadata.resourceVersion === first.pdb.metadata.resourceVersion);
    expect(second.pdb.status?.disruptedPods).toBeUndefined();
    expect(second.pdb.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    const events = await eventually(async () => {
      const list = (await res<Event>(client(), 'events').list({ namespace: ns })).items.filter((e) => e.reason === 'NotDeleted');
      return list.length > 0 ? list : undefined;
    }, 'a NotDeleted event');
    expect(events[0]).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Pod', name: 'a' }, message: `Pod was expected by PDB ${ns}/web to be deleted but it wasn't` });
  });

  it('fails safe when a pod names a controller that does not exist', async () => {
    const ns = await namespace(client(), 'pdb');
    await seedPod(ns, 'a', true, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: 'no-such-uid', controller: true });
    await seedPod(ns, 'b', true);
    await seedBudget(ns, { maxUnavailable: 1 });
    const { pdb } = await reconcileWhen(ns, podsCached(ns, 2));
    expect(pdb.status?.disruptionsAllowed).toBe(0);
    expect(pdb.status?.conditions).toEqual([
      expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "a"' }),
    ]);
  });

  it('covers no pod with a null selector and every pod of the namespace with an empty one', async () => {
    const ns = await namespace(client(), 'pdb');
    await seedPod(ns, 'a', true);
    await budgets().create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: ns }, spec: { minAvailable: 0 } });
    const none = await reconcileWhen(ns, podsCached(ns, 1));
    expect(none.pdb.status).toMatchObject({ expectedPods: 0, currentHealthy: 0, disruptionsAllowed: 0 });
    await budgets().update({ ...none.pdb, spec: { minAvailable: 0, selector: {} } });
    const all = await reconcileWhen(ns, () => cachedBudget(ns, 'web')?.metadata.generation === 2);
    expect(all.pdb.status).toMatchObject({ expectedPods: 1, currentHealthy: 1, disruptionsAllowed: 1, observedGeneration: 2 });
  });
});
