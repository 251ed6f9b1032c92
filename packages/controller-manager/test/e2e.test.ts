/**
 * The controller-manager as a real process against a real nats-server and apiserver. No
 * scheduler or kubelet runs here, so pods stay Pending: these tests are about counts, owners
 * and deletion. Rollouts that need ready pods are in rollout.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Deployment, Namespace, Pod, ReplicaSet } from '@kubesim/api';
import { TestControlPlane, type TestProcess } from '@kubesim/testing';
import { eventually, namespace, res, startControllerManager, webDeployment } from './harness.js';

describe('controller-manager process', () => {
  let cp: TestControlPlane;
  let cm: TestProcess;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    cm = startControllerManager(cp);
  });

  afterAll(async () => {
    await cm?.kill();
    await cp?.stop();
  });

  const client = () => cp.natsClient;
  const pods = () => res<Pod>(client(), 'pods');
  const replicaSets = () => res<ReplicaSet>(client(), 'replicasets');
  const deployments = () => res<Deployment>(client(), 'deployments');
  const livePods = async (ns: string) => (await pods().list({ namespace: ns })).items.filter((p) => !p.metadata.deletionTimestamp);

  /** Waits for exactly `n` live pods, then checks they stay `n` for a moment (no late extras). */
  async function expectPods(ns: string, n: number): Promise<Pod[]> {
    await eventually(async () => (await livePods(ns)).length === n, `${n} pods in ${ns}`);
    await new Promise((r) => setTimeout(r, 300));
    const now = await livePods(ns);
    expect(now).toHaveLength(n);
    return now;
  }

  async function gone(check: () => Promise<unknown>): Promise<boolean> {
    try {
      await check();
      return false;
    } catch (err) {
      return (err as { code?: string }).code === 'NotFound';
    }
  }

  it('keeps a ReplicaSet at its count when its pods are deleted', async () => {
    const ns = await namespace(client(), 'e2e');
    await replicaSets().create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'kubesim/web:v1' }] } } },
    });
    const first = await expectPods(ns, 3);
    await pods().delete(ns, first[0].metadata.name!);
    await pods().delete(ns, first[1].metadata.name!);
    const after = await expectPods(ns, 3);
    expect(after.map((p) => p.metadata.name)).toContain(first[2].metadata.name);
    await eventually(async () => (await replicaSets().get(ns, 'web')).status?.replicas === 3, 'status.replicas 3');
  });

  it('scales a Deployment 3 → 10 → 2 through the scale subresource', async () => {
    const ns = await namespace(client(), 'e2e');
    await deployments().create(webDeployment(ns, 'web', 3));
    await expectPods(ns, 3);
    await deployments().patch(ns, 'web', 'merge', { spec: { replicas: 10 } }, { subresource: 'scale' });
    await expectPods(ns, 10);
    await deployments().patch(ns, 'web', 'merge', { spec: { replicas: 2 } }, { subresource: 'scale' });
    await expectPods(ns, 2);
    const d = await eventually(async () => {
      const x = await deployments().get(ns, 'web');
      return x.status?.replicas === 2 && x.status?.observedGeneration === x.metadata.generation ? x : undefined;
    }, 'status caught up');
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, unavailableReplicas: 2 });
    const [rs] = (await replicaSets().list({ namespace: ns })).items;
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3' });
  });

  describe('cascading deletion of a Deployment', () => {
    async function deploymentWithPods(ns: string): Promise<void> {
      await deployments().create(webDeployment(ns, 'web', 3));
      await expectPods(ns, 3);
      await eventually(async () => (await livePods(ns)).every((p) => p.metadata.ownerReferences?.length), 'owned pods');
    }

    it('Background: removes the Deployment at once, then its ReplicaSet and pods', async () => {
      const ns = await namespace(client(), 'bg');
      await deploymentWithPods(ns);
      await deployments().delete(ns, 'web', { propagationPolicy: 'Background' });
      await eventually(async () => (await pods().list({ namespace: ns })).items.length === 0 && (await replicaSets().list({ namespace: ns })).items.length === 0, 'dependents gone');
      expect(await gone(() => deployments().get(ns, 'web'))).toBe(true);
    });

    it('Foreground: keeps the Deployment until its dependents are gone, then removes it', async () => {
      const ns = await namespace(client(), 'fg');
      await deploymentWithPods(ns);
      const deleting = (await deployments().delete(ns, 'web', { propagationPolicy: 'Foreground' })) as Deployment;
      expect(deleting.metadata.finalizers).toContain('foregroundDeletion');
      await eventually(() => gone(() => deployments().get(ns, 'web')), 'Deployment gone');
      expect((await pods().list({ namespace: ns })).items).toHaveLength(0);
      expect((await replicaSets().list({ namespace: ns })).items).toHaveLength(0);
    });

    it('Orphan: removes only the Deployment, and the references to it', async () => {
      const ns = await namespace(client(), 'or');
      await deploymentWithPods(ns);
      const [rs] = (await replicaSets().list({ namespace: ns })).items;
      await deployments().delete(ns, 'web', { propagationPolicy: 'Orphan' });
      await eventually(() => gone(() => deployments().get(ns, 'web')), 'Deployment gone');
      const orphaned = await replicaSets().get(ns, rs.metadata.name!);
      expect(orphaned.metadata.uid).toBe(rs.metadata.uid);
      expect(orphaned.metadata.ownerReferences ?? []).toEqual([]);
      const left = await expectPods(ns, 3);
      expect(left.every((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid)).toBe(true);
    });

    it('Orphan of a ReplicaSet: its pods stay, with no owner', async () => {
      const ns = await namespace(client(), 'or');
      await deploymentWithPods(ns);
      await deployments().delete(ns, 'web', { propagationPolicy: 'Orphan' });
      await eventually(() => gone(() => deployments().get(ns, 'web')), 'Deployment gone');
      const [rs] = (await replicaSets().list({ namespace: ns })).items;
      await replicaSets().delete(ns, rs.metadata.name!, { propagationPolicy: 'Orphan' });
      await eventually(() => gone(() => replicaSets().get(ns, rs.metadata.name!)), 'ReplicaSet gone');
      const left = await expectPods(ns, 3);
      expect(left.every((p) => (p.metadata.ownerReferences ?? []).length === 0)).toBe(true);
    });
  });

  it('collects an object whose owner never existed, and drops a dangling reference beside a live one', async () => {
    const ns = await namespace(client(), 'gc');
    const configmaps = res<ConfigMap>(client(), 'configmaps');
    const owner = await configmaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: ns } });
    const ref = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid });
    await configmaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orphan', namespace: ns, ownerReferences: [ref('ghost', 'no-such-uid')] } });
    await configmaps.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: ns, ownerReferences: [ref('owner', owner.metadata.uid!), ref('ghost', 'no-such-uid-2')] },
    });
    await eventually(() => gone(() => configmaps.get(ns, 'orphan')), 'orphan collected');
    const shared = await eventually(async () => {
      const cm = await configmaps.get(ns, 'shared');
      return cm.metadata.ownerReferences?.length === 1 ? cm : undefined;
    }, 'dangling reference dropped');
    expect(shared.metadata.ownerReferences).toEqual([ref('owner', owner.metadata.uid!)]);
  });

  it('does not take an owner of the same name but another uid for the owner', async () => {
    const ns = await namespace(client(), 'gc');
    const configmaps = res<ConfigMap>(client(), 'configmaps');
    const first = await configmaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: ns } });
    await configmaps.delete(ns, 'owner');
    await configmaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: ns } });
    await configmaps.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dependent', namespace: ns, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: first.metadata.uid! }] },
    });
    await eventually(() => gone(() => configmaps.get(ns, 'dependent')), 'dependent collected');
  });

  it('deletes a namespace: its content first, then the namespace itself', async () => {
    const ns = await namespace(client(), 'ns');
    await deployments().create(webDeployment(ns, 'web', 2));
    await res<ConfigMap>(client(), 'configmaps').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { a: 'b' } });
    await res(client(), 'secrets').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: ns }, stringData: { t: 'x' } } as never);
    await res(client(), 'services').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as never);
    await expectPods(ns, 2);
    const namespaces = res<Namespace>(client(), 'namespaces');
    const deleting = (await namespaces.delete(undefined, ns)) as Namespace;
    expect(deleting.status?.phase).toBe('Terminating');
    expect(deleting.spec?.finalizers).toEqual(['kubernetes']);
    await eventually(() => gone(() => namespaces.get(undefined, ns)), 'namespace removed');
    for (const plural of ['pods', 'replicasets', 'deployments', 'configmaps', 'secrets', 'services', 'events']) {
      expect((await res(client(), plural).list({ namespace: ns })).items, plural).toHaveLength(0);
    }
  });

  it('keeps only revisionHistoryLimit old ReplicaSets once they are scaled to zero', async () => {
    const ns = await namespace(client(), 'hist');
    await deployments().create(webDeployment(ns, 'web', 1, { strategy: { type: 'Recreate' }, revisionHistoryLimit: 1 }));
    for (const [i, image] of ['kubesim/web:v2', 'kubesim/sleep', 'kubesim/echo'].entries()) {
      await eventually(async () => (await replicaSets().list({ namespace: ns })).items.length === i + 1, `revision ${i + 1}`);
      await deployments().patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });
    }
    await eventually(async () => (await replicaSets().list({ namespace: ns })).items.some((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '4'), 'revision 4');
    // Cleanup runs when a rollout completes, or while paused (nothing completes without a kubelet).
    await deployments().patch(ns, 'web', 'merge', { spec: { paused: true } });
    await eventually(async () => {
      const revs = (await replicaSets().list({ namespace: ns })).items.map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
      return revs.join() === '3,4';
    }, 'history trimmed to revisions 3 and 4');
  });

  it('survives kill -9 in the middle of a scale-up: no pod missing, none extra', async () => {
    const ns = await namespace(client(), 'kill');
    await deployments().create(webDeployment(ns, 'web', 0));
    await eventually(async () => (await replicaSets().list({ namespace: ns })).items.length === 1, 'ReplicaSet');
    const watch = await pods().watch({ namespace: ns });
    await deployments().patch(ns, 'web', 'merge', { spec: { replicas: 300 } }, { subresource: 'scale' });
    // Kill at the first pod created: the slow-start bursts are still growing then.
    for await (const event of watch) if (event.type === 'ADDED') break;
    watch.close();
    await cm.kill('SIGKILL');
    expect((await livePods(ns)).length).toBeLessThan(300);
    cm = startControllerManager(cp);
    await expectPods(ns, 300);
    await eventually(async () => (await replicaSets().list({ namespace: ns })).items[0]?.status?.replicas === 300, 'status.replicas 300');
  });
});
