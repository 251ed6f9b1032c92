import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, NotFoundError, isReason, type KubeObject } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { ALL_PLURALS, res, sample } from './fixtures.js';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await new TestControlPlane().start();
});
afterAll(async () => {
  await cp?.stop();
});

const transports: [string, () => ApiClient][] = [
  ['NATS', () => cp.natsClient],
  ['HTTP', () => cp.httpClient],
];

describe.each(transports)('CRUD over %s', (transport, client) => {
  it.each(ALL_PLURALS.filter((p) => p !== 'namespaces'))('creates, reads, lists, updates, patches and deletes %s', async (plural) => {
    const info = res(plural);
    const rc = client().resource(info);
    const name = `crud-${transport.toLowerCase()}-${plural.slice(0, 20)}`;
    const ns = info.namespaced ? 'default' : undefined;

    const created = await rc.create(sample(plural, name));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(created.metadata.creationTimestamp).toMatch(/Z$/);
    expect(created.kind).toBe(info.kind);

    const got = await rc.get(ns, name);
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);

    const list = await rc.list({ namespace: ns, labelSelector: 'app=web' });
    expect(list.items.map((o) => o.metadata.name)).toContain(name);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));

    const updated = await rc.update({ ...got, metadata: { ...got.metadata, labels: { app: 'web', tier: 'front' } } });
    expect(updated.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(got.metadata.resourceVersion));

    const patched = await rc.patch(ns, name, 'merge', { metadata: { annotations: { note: 'patched' } } });
    expect(patched.metadata.annotations?.note).toBe('patched');
    expect(patched.metadata.labels?.tier).toBe('front');

    await rc.delete(ns, name);
    await expect(rc.get(ns, name)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps a namespace Terminating until its finalizers are cleared, then removes it', async () => {
    const rc = client().resource(res('namespaces'));
    const name = `ns-${transport.toLowerCase()}`;
    await rc.create(sample('namespaces', name));
    const deleting = (await rc.delete(undefined, name)) as KubeObject & { status?: any };
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect((await rc.get(undefined, name) as any).status.phase).toBe('Terminating');
    const current: any = await rc.get(undefined, name);
    await rc.update({ ...current, spec: { finalizers: [] } }, { subresource: 'finalize' });
    await expect(rc.get(undefined, name)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('store semantics', () => {
  it('has the four built-in namespaces', async () => {
    const list = await cp.natsClient.resource(res('namespaces')).list();
    expect(list.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
  });

  it('rejects a namespaced object in a missing namespace with 404', async () => {
    const err = await cp.natsClient.resource(res('configmaps')).create(sample('configmaps', 'x', 'nope')).catch((e) => e);
    expect(isReason(err, 'NotFound')).toBe(true);
    expect(err.message).toBe('namespaces "nope" not found');
  });

  it('answers 409 AlreadyExists on a second create and 409 Conflict on a stale resourceVersion', async () => {
    const rc = cp.httpClient.resource(res('configmaps'));
    const first = await rc.create(sample('configmaps', 'twice'));
    expect(isReason(await rc.create(sample('configmaps', 'twice')).catch((e) => e), 'AlreadyExists')).toBe(true);
    await rc.update({ ...first, data: { a: '1' } } as KubeObject);
    const stale = await rc.update({ ...first, data: { a: '2' } } as KubeObject).catch((e) => e);
    expect(isReason(stale, 'Conflict')).toBe(true);
    expect(stale.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
  });

  it('names objects from generateName', async () => {
    const rc = cp.natsClient.resource(res('configmaps'));
    const obj = await rc.create({ metadata: { generateName: 'gen-', namespace: 'default' }, data: {} } as KubeObject);
    expect(obj.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('bumps generation on spec changes only', async () => {
    const rc = cp.natsClient.resource(res('deployments'));
    const d = await rc.create(sample('deployments', 'gen'));
    expect(d.metadata.generation).toBe(1);
    const labelled = await rc.patch('default', 'gen', 'merge', { metadata: { labels: { x: 'y' } } });
    expect(labelled.metadata.generation).toBe(1);
    const scaled = await rc.patch('default', 'gen', 'merge', { spec: { replicas: 5 } });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('keeps an object with finalizers until the last one is removed', async () => {
    const rc = cp.natsClient.resource(res('configmaps'));
    await rc.create({ ...sample('configmaps', 'fin'), metadata: { name: 'fin', namespace: 'default', finalizers: ['example.com/keep'] } });
    const deleting = await rc.delete('default', 'fin');
    expect((deleting as KubeObject).metadata.deletionTimestamp).toBeDefined();
    const still = await rc.get('default', 'fin');
    expect(still.metadata.finalizers).toEqual(['example.com/keep']);
    await rc.patch('default', 'fin', 'merge', { metadata: { finalizers: null } });
    await expect(rc.get('default', 'fin')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('adds the orphan and foregroundDeletion finalizers for those propagation policies', async () => {
    const rc = cp.natsClient.resource(res('replicasets'));
    await rc.create(sample('replicasets', 'orph'));
    await rc.create(sample('replicasets', 'fore'));
    await rc.delete('default', 'orph', { propagationPolicy: 'Orphan' });
    await rc.delete('default', 'fore', { propagationPolicy: 'Foreground' });
    expect((await rc.get('default', 'orph')).metadata.finalizers).toContain('orphan');
    expect((await rc.get('default', 'fore')).metadata.finalizers).toContain('foregroundDeletion');
  });

  it('keeps ownerReferences', async () => {
    const rc = cp.natsClient.resource(res('pods'));
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: '00000000-0000-0000-0000-000000000001', controller: true, blockOwnerDeletion: true };
    const pod = await rc.create({ ...sample('pods', 'owned'), metadata: { name: 'owned', namespace: 'default', ownerReferences: [owner] } });
    expect(pod.metadata.ownerReferences).toEqual([owner]);
  });

  it('allocates a ClusterIP and NodePorts, and rejects a nodePort already taken', async () => {
    const rc = cp.natsClient.resource(res('services'));
    const svc: any = await rc.create({ ...sample('services', 'np'), spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } } as KubeObject);
    expect(svc.spec.clusterIP).toMatch(/^127\.128\.\d+\.\d+$/);
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    const clash = await rc
      .create({ ...sample('services', 'np2'), spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: svc.spec.ports[0].nodePort }] } } as KubeObject)
      .catch((e) => e);
    expect(isReason(clash, 'Invalid')).toBe(true);
    expect(clash.details.causes[0].field).toBe('spec.ports[0].nodePort');
  });

  it('serves the scale subresource and binds a pod once', async () => {
    const deploy = cp.httpClient.resource(res('deployments'));
    await deploy.create(sample('deployments', 'scaled'));
    const scale: any = await deploy.patch('default', 'scaled', 'merge', { spec: { replicas: 7 } }, { subresource: 'scale' });
    expect(scale.kind).toBe('Scale');
    expect(scale.spec.replicas).toBe(7);
    expect(scale.status.selector).toBe('app=web');
    expect(((await deploy.get('default', 'scaled')) as any).spec.replicas).toBe(7);

    const pods = cp.natsClient.resource(res('pods'));
    await pods.create(sample('pods', 'tobind'));
    const bind = (target: string) =>
      cp.natsClient.raw({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'tobind', subresource: 'binding', body: { target: { kind: 'Node', name: target } } });
    expect((await bind('node-1')).code).toBe(201);
    expect((await bind('node-2')).code).toBe(409);
    expect(((await pods.get('default', 'tobind')) as any).spec.nodeName).toBe('node-1');
  });

  it('deletes a pod bound to a node gracefully, and at once with gracePeriodSeconds=0', async () => {
    const pods = cp.natsClient.resource(res('pods'));
    await pods.create({ ...sample('pods', 'graceful'), spec: { ...(sample('pods', 'x') as any).spec, nodeName: 'node-1' } } as KubeObject);
    const first = (await pods.delete('default', 'graceful')) as KubeObject;
    expect(first.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await pods.get('default', 'graceful')).metadata.deletionTimestamp).toBeDefined();
    await pods.delete('default', 'graceful', { gracePeriodSeconds: 0 });
    await expect(pods.get('default', 'graceful')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('paginates lists with limit and continue', async () => {
    const rc = cp.natsClient.resource(res('configmaps'));
    await cp.natsClient.resource(res('namespaces')).create(sample('namespaces', 'paging'));
    for (let i = 0; i < 7; i++) await rc.create(sample('configmaps', `page-${i}`, 'paging'));
    const names: string[] = [];
    let cont: string | undefined;
    do {
      const page = await rc.list({ namespace: 'paging', limit: 3, continue: cont });
      names.push(...page.items.map((o) => o.metadata.name!));
      cont = page.metadata.continue;
    } while (cont);
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`));
  });

  it('filters by field selector', async () => {
    const pods = cp.natsClient.resource(res('pods'));
    await pods.create({ ...sample('pods', 'on-n9'), spec: { ...(sample('pods', 'x') as any).spec, nodeName: 'n9' } } as KubeObject);
    const list = await pods.list({ fieldSelector: 'spec.nodeName=n9' });
    expect(list.items.map((p) => p.metadata.name)).toEqual(['on-n9']);
    const byName = await pods.list({ namespace: 'default', fieldSelector: 'metadata.name=on-n9' });
    expect(byName.items).toHaveLength(1);
  });
});
