import { afterAll, beforeAll, expect, it } from 'vitest';
import { isReason } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { res, sample } from './fixtures.js';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await new TestControlPlane().start();
});
afterAll(async () => {
  await cp?.stop();
});

/**
 * Writes configmaps one after another until stopped, retrying each until it is acknowledged
 * (an AlreadyExists on a retry means an earlier attempt landed). Returns the acknowledged names.
 */
function writer(prefix: string) {
  const acked: string[] = [];
  let stop = false;
  let failures = 0;
  const done = (async () => {
    const rc = cp.natsClient.resource(res('configmaps'));
    for (let i = 0; !stop; i++) {
      const name = `${prefix}-${i}`;
      for (;;) {
        try {
          await rc.create(sample('configmaps', name));
          acked.push(name);
          break;
        } catch (err) {
          if (isReason(err, 'AlreadyExists')) {
            acked.push(name);
            break;
          }
          failures++;
          if (stop) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  })();
  return { acked, done, stop: () => (stop = true), failures: () => failures };
}

/** Waits until the writer has had `n` writes acknowledged (it keeps retrying through the outage). */
async function waitForMore(acked: string[], n: number): Promise<void> {
  const deadline = Date.now() + 40_000;
  while (acked.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

async function expectAllStored(acked: string[]): Promise<void> {
  const list = await cp.httpClient.resource(res('configmaps')).list({ namespace: 'default' });
  const stored = new Set(list.items.map((o) => o.metadata.name));
  const missing = acked.filter((n) => !stored.has(n));
  expect(missing).toEqual([]);
}

it('keeps every acknowledged write across kill -9 of the apiserver', async () => {
  const w = writer('api-kill');
  await new Promise((r) => setTimeout(r, 1500));
  const before = w.acked.length;
  await cp.apiserver.stop('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  await cp.apiserver.start();
  await waitForMore(w.acked, before + 50);
  w.stop();
  await w.done;
  expect(w.acked.length).toBeGreaterThan(before);
  console.log(`apiserver kill -9: ${w.acked.length} writes acknowledged, ${w.failures()} attempts failed during the outage`);
  await expectAllStored(w.acked);
}, 60_000);

it('keeps every acknowledged write across kill -9 of nats-server', async () => {
  const w = writer('nats-kill');
  await new Promise((r) => setTimeout(r, 1500));
  const before = w.acked.length;
  await cp.nats.stop('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  await cp.nats.start();
  await waitForMore(w.acked, before + 50);
  w.stop();
  await w.done;
  expect(w.acked.length).toBeGreaterThan(before);
  console.log(`nats-server kill -9: ${w.acked.length} writes acknowledged, ${w.failures()} attempts failed during the outage`);
  await expectAllStored(w.acked);
}, 60_000);
