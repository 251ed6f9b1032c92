import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, KubeObject, WatchEvent, WatchStream } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { res, sample } from './fixtures.js';

let cp: TestControlPlane;
beforeAll(async () => {
  // A small history so the test can push a revision out of it.
  cp = await new TestControlPlane(['--watch-cache-size', '50', '--profile', 'fast']).start();
});
afterAll(async () => {
  await cp?.stop();
});

/** Collects events until `count` have arrived or `ms` pass. */
async function collect(stream: WatchStream<KubeObject>, count: number, ms = 10_000): Promise<WatchEvent<KubeObject>[]> {
  const out: WatchEvent<KubeObject>[] = [];
  const timer = setTimeout(() => stream.close(), ms);
  for await (const e of stream) {
    if (e.type === 'BOOKMARK') continue;
    out.push(e);
    if (out.length >= count) break;
  }
  clearTimeout(timer);
  stream.close();
  return out;
}

const transports: [string, () => ApiClient][] = [
  ['NATS', () => cp.natsClient],
  ['HTTP', () => cp.httpClient],
];

describe.each(transports)('watch over %s', (transport, client) => {
  it('from resourceVersion R sees every later change once, in order', async () => {
    const rc = client().resource(res('configmaps'));
    const prefix = `w-${transport.toLowerCase()}`;
    const start = await rc.create(sample('configmaps', `${prefix}-start`));
    const R = start.metadata.resourceVersion!;
    const written: string[] = [];
    for (let i = 0; i < 10; i++) {
      const o = await rc.create(sample('configmaps', `${prefix}-${i}`));
      written.push(`ADDED ${o.metadata.name} ${o.metadata.resourceVersion}`);
    }
    const m = await rc.patch('default', `${prefix}-3`, 'merge', { data: { k: 'v2' } });
    written.push(`MODIFIED ${m.metadata.name} ${m.metadata.resourceVersion}`);
    const d = (await rc.delete('default', `${prefix}-4`)) as KubeObject;
    written.push(`DELETED ${d.metadata.name} ${d.metadata.resourceVersion}`);

    const stream = await rc.watch({ namespace: 'default', resourceVersion: R, labelSelector: 'app=web' });
    const events = await collect(stream, written.length);
    const seen = events.filter((e) => e.object.metadata.name!.startsWith(prefix)).map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`);
    expect(seen).toEqual(written);
  });

  it('sends synthetic ADDED events for a watch without resourceVersion, then live changes', async () => {
    const rc = client().resource(res('secrets'));
    const name = `live-${transport.toLowerCase()}`;
    await rc.create(sample('secrets', name));
    const stream = await rc.watch({ namespace: 'default', fieldSelector: `metadata.name=${name}` });
    const pending = collect(stream, 2);
    await new Promise((r) => setTimeout(r, 200));
    await rc.patch('default', name, 'merge', { metadata: { labels: { v: '2' } } });
    const events = await pending;
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(events[1].object.metadata.labels?.v).toBe('2');
  });

  it('reports a selector change as ADDED and DELETED', async () => {
    const rc = client().resource(res('configmaps'));
    const name = `sel-${transport.toLowerCase()}`;
    await rc.create({ ...sample('configmaps', name), metadata: { name, namespace: 'default', labels: { phase: 'a' } } });
    const stream = await rc.watch({ namespace: 'default', labelSelector: 'phase=b', resourceVersion: '0' });
    const pending = collect(stream, 2);
    await new Promise((r) => setTimeout(r, 200));
    await rc.patch('default', name, 'merge', { metadata: { labels: { phase: 'b' } } });
    await rc.patch('default', name, 'merge', { metadata: { labels: { phase: 'c' } } });
    expect((await pending).map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('answers a watch from purged history with 410 Gone', async () => {
    const rc = client().resource(res('configmaps'));
    const first = await rc.create(sample('configmaps', `old-${transport.toLowerCase()}`));
    for (let i = 0; i < 60; i++) await rc.patch('default', first.metadata.name!, 'merge', { data: { i: String(i) } });
    const stream = await rc.watch({ namespace: 'default', resourceVersion: first.metadata.resourceVersion });
    const events = await collect(stream, 1);
    expect(events[0].type).toBe('ERROR');
    expect((events[0].object as any).code).toBe(410);
    expect((events[0].object as any).reason).toBe('Expired');
  });

  it('sends bookmarks when allowed', async () => {
    const rc = client().resource(res('leases'));
    const stream = await rc.watch({ namespace: 'default', resourceVersion: '0', allowWatchBookmarks: true });
    const timer = setTimeout(() => stream.close(), 5000);
    let bookmark: WatchEvent<KubeObject> | undefined;
    for await (const e of stream) {
      if (e.type === 'BOOKMARK') {
        bookmark = e;
        break;
      }
    }
    clearTimeout(timer);
    stream.close();
    expect(Number(bookmark?.object.metadata.resourceVersion)).toBeGreaterThan(0);
  });
});
