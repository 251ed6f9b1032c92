/**
 * Deployment reconcile against a real apiserver: ReplicaSet naming, revision bookkeeping as
 * `kubectl rollout history/undo` read it, pausing and history cleanup. The test calls
 * reconcile(key); no ReplicaSet controller runs, so ReplicaSets keep an empty status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deployment, type Event, type ReplicaSet } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { DeploymentController } from '../src/controllers/deployment.js';
import { computeHash } from '../src/template-hash.js';
import { eventually, namespace, res, startInformers, testContext, webDeployment } from './harness.js';

describe('Deployment reconcile', () => {
  let cp: TestControlPlane;
  let controller: DeploymentController;
  let stop: AbortController;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    ctx = testContext(cp.natsClient);
    controller = new DeploymentController(ctx);
    stop = await startInformers(ctx);
  });

  afterAll(async () => {
    stop?.abort();
    await cp?.stop();
  });

  const deployments = () => res<Deployment>(cp.natsClient, 'deployments');
  const replicaSets = () => res<ReplicaSet>(cp.natsClient, 'replicasets');
  const cached = () => ctx.informers.resource<Deployment>('deployments', 'apps');
  const cachedRSs = () => ctx.informers.resource<ReplicaSet>('replicasets', 'apps');

  /**
   * Reconciles once the cache holds the Deployment at its latest resourceVersion and every
   * ReplicaSet at theirs, as the real controller would see them after the events settled.
   */
  async function sync(ns: string, name: string): Promise<Deployment> {
    const live = await deployments().get(ns, name);
    const rss = (await replicaSets().list({ namespace: ns })).items;
    await eventually(
      () =>
        cached().get(`${ns}/${name}`)?.metadata.resourceVersion === live.metadata.resourceVersion &&
        rss.every((rs) => cachedRSs().get(`${ns}/${rs.metadata.name}`)?.metadata.resourceVersion === rs.metadata.resourceVersion),
      'cache in step',
    );
    await controller.reconcile(`${ns}/${name}`);
    return deployments().get(ns, name);
  }

  /** Syncs until the cache and the apiserver agree and a sync writes nothing more. */
  async function settle(ns: string, name: string): Promise<Deployment> {
    let d = await sync(ns, name);
    for (let i = 0; i < 10; i++) {
      const next = await sync(ns, name);
      if (next.metadata.resourceVersion === d.metadata.resourceVersion) return next;
      d = next;
    }
    return d;
  }

  const byRevision = async (ns: string) => {
    const out = new Map<string, ReplicaSet>();
    for (const rs of (await replicaSets().list({ namespace: ns })).items) out.set(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?', rs);
    return out;
  };

  it('creates a ReplicaSet named after the pod template hash, labelled and selected by it', async () => {
    const ns = await namespace(cp.natsClient, 'dep');
    const created = await deployments().create(webDeployment(ns, 'web', 3));
    const d = await settle(ns, 'web');
    const hash = computeHash(created.spec!.template);
    const [rs] = (await replicaSets().list({ namespace: ns })).items;
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec?.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec?.replicas).toBe(3);
    expect(rs.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ observedGeneration: 1, unavailableReplicas: 3 });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated' });
    const events = await eventually(async () => (await res<Event>(cp.natsClient, 'events').list({ namespace: ns })).items.filter((e) => e.reason === 'ScalingReplicaSet'));
    expect(events[0]).toMatchObject({ message: `Scaled up replica set web-${hash} from 0 to 3`, source: { component: 'deployment-controller' } });
  });

  it('numbers revisions, copies the change cause, and rolls back the way kubectl undo asks', async () => {
    const ns = await namespace(cp.natsClient, 'dep');
    await deployments().create(webDeployment(ns, 'web', 2, { strategy: { type: 'Recreate' } }));
    await settle(ns, 'web');
    await deployments().patch(ns, 'web', 'strategic', {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'to v2' } },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'kubesim/web:v2' }] } } },
    });
    let d = await settle(ns, 'web');
    let revisions = await byRevision(ns);
    expect([...revisions.keys()].sort()).toEqual(['1', '2']);
    expect(revisions.get('2')!.metadata.annotations?.['kubernetes.io/change-cause']).toBe('to v2');
    expect(revisions.get('2')!.spec?.template?.spec?.containers[0].image).toBe('kubesim/web:v2');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');

    // `kubectl rollout undo`: the revision-1 template (hash label removed) and the merged annotations.
    const target = revisions.get('1')!;
    const template = structuredClone(target.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    await deployments().patch(ns, 'web', 'json', [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '2' } },
    ]);
    d = await settle(ns, 'web');
    revisions = await byRevision(ns);
    expect([...revisions.keys()].sort()).toEqual(['2', '3']);
    expect(revisions.get('3')!.metadata.uid).toBe(target.metadata.uid);
    expect(revisions.get('3')!.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(revisions.get('3')!.spec?.replicas).toBe(2);
    expect(revisions.get('2')!.spec?.replicas).toBe(0);
  });

  it('rolls out nothing while paused, but still scales', async () => {
    const ns = await namespace(cp.natsClient, 'dep');
    await deployments().create(webDeployment(ns, 'web', 2));
    await settle(ns, 'web');
    await deployments().patch(ns, 'web', 'merge', { spec: { paused: true, replicas: 5 } });
    await deployments().patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'kubesim/web:v2' }] } } } });
    const d = await settle(ns, 'web');
    const rss = (await replicaSets().list({ namespace: ns })).items;
    expect(rss).toHaveLength(1);
    expect(rss[0].spec?.replicas).toBe(5);
    expect(rss[0].spec?.template?.spec?.containers[0].image).toBe('kubesim/web:v1');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });

    await deployments().patch(ns, 'web', 'merge', { spec: { paused: false } });
    await settle(ns, 'web');
    expect((await replicaSets().list({ namespace: ns })).items).toHaveLength(2);
  });

  it('spreads a scaling over the ReplicaSets of a rollout in proportion to their size', async () => {
    const ns = await namespace(cp.natsClient, 'dep');
    await deployments().create(webDeployment(ns, 'web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await settle(ns, 'web');
    await deployments().patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'kubesim/web:v2' }] } } } });
    await settle(ns, 'web');
    // Nothing is ready (no kubelet): the rollout stops at 10 - 2 old + 5 new (3 surge + 2 unavailable).
    let sizes = [...(await byRevision(ns)).entries()].map(([rev, rs]) => [rev, rs.spec?.replicas]);
    expect(Object.fromEntries(sizes)).toEqual({ '1': 8, '2': 5 });
    await deployments().patch(ns, 'web', 'merge', { spec: { replicas: 20 } });
    await settle(ns, 'web');
    sizes = [...(await byRevision(ns)).entries()].map(([rev, rs]) => [rev, rs.spec?.replicas]);
    // 20 + 3 surge = 23 in total: each grows by its share of the 13 it was sized for (8 → 14, 5 → 9).
    expect(Object.fromEntries(sizes)).toEqual({ '1': 14, '2': 9 });
  });
});
