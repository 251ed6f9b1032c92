import { afterAll, beforeAll, expect, it } from 'vitest';
import { NotFoundError, type KubeObject } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { res, sample } from './fixtures.js';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await new TestControlPlane().start();
});
afterAll(async () => {
  await cp?.stop();
});

function evict(name: string) {
  return cp.httpClient.raw({
    verb: 'create',
    group: '',
    version: 'v1',
    resource: 'pods',
    namespace: 'default',
    name,
    subresource: 'eviction',
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, deleteOptions: {} },
  });
}

async function pod(name: string, labels: Record<string, string>): Promise<void> {
  await cp.natsClient.resource(res('pods')).create({ ...sample('pods', name), metadata: { name, namespace: 'default', labels } });
}

it('evicts a pod no budget covers', async () => {
  await pod('free', { app: 'free' });
  const r = await evict('free');
  expect(r.code).toBe(201);
  expect((r.body as any).status).toBe('Success');
  await expect(cp.natsClient.resource(res('pods')).get('default', 'free')).rejects.toBeInstanceOf(NotFoundError);
});

it('refuses with 429 while the budget allows no disruption, and spends an allowed one', async () => {
  const pdbs = cp.natsClient.resource(res('poddisruptionbudgets'));
  await pod('guarded-1', { app: 'guarded' });
  await pod('guarded-2', { app: 'guarded' });
  const pdb = await pdbs.create({ ...sample('poddisruptionbudgets', 'guard'), spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } } as KubeObject);
  // The disruption controller's view: 2 healthy, 1 needed, 1 disruption allowed.
  const status = { observedGeneration: pdb.metadata.generation, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 };
  await pdbs.update({ ...pdb, status } as KubeObject, { subresource: 'status' });

  expect((await evict('guarded-1')).code).toBe(201);
  const after: any = await pdbs.get('default', 'guard');
  expect(after.status.disruptionsAllowed).toBe(0);
  expect(Object.keys(after.status.disruptedPods)).toEqual(['guarded-1']);

  const refused = await evict('guarded-2');
  expect(refused.code).toBe(429);
  expect((refused.body as any).reason).toBe('TooManyRequests');
  expect((refused.body as any).message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
  expect(await cp.natsClient.resource(res('pods')).get('default', 'guarded-2')).toBeDefined();
});
