import { afterAll, beforeAll, expect, it } from 'vitest';
import { isReason, type ApiClient } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { res, sample } from './fixtures.js';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await new TestControlPlane().start();
});
afterAll(async () => {
  await cp?.stop();
});

/** Read, increment, write back with the read resourceVersion; retry on 409. Returns the conflicts seen. */
async function incrementer(client: ApiClient, times: number): Promise<number> {
  const rc = client.resource(res('configmaps'));
  let conflicts = 0;
  for (let i = 0; i < times; i++) {
    for (;;) {
      const cm: any = await rc.get('default', 'counter');
      const n = Number(cm.metadata.annotations?.count ?? '0');
      cm.metadata.annotations = { ...cm.metadata.annotations, count: String(n + 1) };
      try {
        await rc.update(cm);
        break;
      } catch (err) {
        if (!isReason(err, 'Conflict')) throw err;
        conflicts++;
      }
    }
  }
  return conflicts;
}

it('loses no update: 20 concurrent writers × 50 increments with retry-on-409 end at exactly 1000', async () => {
  await cp.natsClient.resource(res('configmaps')).create(sample('configmaps', 'counter'));
  // Half the writers over NATS, half over HTTP: both paths share one store.
  const writers = Array.from({ length: 20 }, (_, i) => incrementer(i % 2 ? cp.httpClient : cp.natsClient, 50));
  const conflicts = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
  const final: any = await cp.natsClient.resource(res('configmaps')).get('default', 'counter');
  expect(final.metadata.annotations.count).toBe('1000');
  // Contention must really have happened for the test to mean anything.
  expect(conflicts).toBeGreaterThan(0);
  console.log(`1000 increments by 20 writers: ${conflicts} conflicts retried`);
}, 120_000);
