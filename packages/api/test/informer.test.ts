import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '@kubesim/testing';
import { FakeClock } from '../src/clock.js';
import type { LogFn } from '../src/controller.js';
import { Informer, type InformerOptions } from '../src/informer/index.js';
import type { KubeObject } from '../src/meta.js';
import { objectKey } from '../src/meta.js';
import type { ResourceClient } from '../src/client/client.js';
import { RESOURCES } from '../src/resources.js';
import { eventually as poll } from '@kubesim/testing';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const info = (plural: string) => RESOURCES.find((r) => r.plural === plural)!;
/** History the apiserver keeps for watches from the past: small, so a burst of writes purges it. */
const HISTORY = 20;

/** Polls `cond` every 50 ms for up to `ms`. */
async function eventually(cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  await poll('condition', cond, { timeoutMs: ms, intervalMs: 50 });
}

/** `key@resourceVersion` of every object, sorted: two caches are equal when these are. */
function fingerprint(objs: readonly { metadata: { namespace?: string; name?: string; resourceVersion?: string } }[]): string[] {
  return objs.map((o) => `${objectKey(o as KubeObject)}@${o.metadata.resourceVersion}`).sort();
}

const keys = (objs: readonly unknown[]) => objs.map((o) => objectKey(o as KubeObject)).sort();

/** Handler calls as lines: `add ns/a`, `update ns/a`, `delete ns/a`. */
function record<T extends KubeObject>(informer: Informer<T>): string[] {
  const lines: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => lines.push(`add ${objectKey(o as KubeObject)}`),
    onUpdate: (_old, cur) => lines.push(`update ${objectKey(cur as KubeObject)}`),
    onDelete: (o) => lines.push(`delete ${objectKey(o as KubeObject)}`),
  });
  return lines;
}

describe.each([
  ['NATS', (cp: TestControlPlane) => cp.natsClient],
  ['HTTP', (cp: TestControlPlane) => cp.httpClient],
])('Informer over %s', (_transport, clientOf) => {
  let cp: TestControlPlane;
  let configmaps: ResourceClient<ConfigMap>;
  const stops: AbortController[] = [];
  let nsCount = 0;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast', '--watch-cache-size', String(HISTORY)]).start();
    configmaps = clientOf(cp).resource<ConfigMap>(info('configmaps')) as unknown as ResourceClient<ConfigMap>;
  });

  afterEach(() => {
    for (const s of stops.splice(0)) s.abort();
  });

  afterAll(async () => {
    await cp?.stop();
  });

  /** A fresh namespace per test, so tests do not see each other's objects. */
  async function namespace(): Promise<string> {
    const name = `inf-${++nsCount}`;
    await clientOf(cp).resource(info('namespaces')).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  }

  function configMap(ns: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>): ConfigMap {
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name, ...(labels ? { labels } : {}) }, data };
  }

  /** Starts an informer (after `setup`, where indexes are added) that the test's end stops. */
  function startInformer<T extends KubeObject>(
    client: ResourceClient<T>,
    options: InformerOptions = {},
    setup?: (informer: Informer<T>) => void,
  ): Informer<T> {
    const informer = new Informer<T>(client, { log: () => undefined, backoffMaxMs: 1000, ...options });
    setup?.(informer);
    const stop = new AbortController();
    stops.push(stop);
    void informer.start(stop.signal);
    return informer;
  }

  /** Resolves once the informer's cache holds exactly what a fresh list returns. */
  async function converged(informer: Informer<ConfigMap>, ns: string): Promise<void> {
    await eventually(async () => {
      const fresh = await configmaps.list({ namespace: ns }).catch(() => undefined);
      return fresh !== undefined && fingerprint(informer.list()).join() === fingerprint(fresh.items).join();
    });
  }

  it('fills its cache from the initial list, reports synced and hands out frozen objects', async () => {
    const ns = await namespace();
    for (const n of ['a', 'b', 'c']) await configmaps.create(configMap(ns, n, { n }));
    const informer = startInformer(configmaps, { namespace: ns });
    expect(await informer.waitForSync()).toBe(true);
    expect(informer.hasSynced()).toBe(true);
    expect(keys(informer.list())).toEqual([`${ns}/a`, `${ns}/b`, `${ns}/c`]);
    const a = informer.get(`${ns}/a`)!;
    expect(a.data).toEqual({ n: 'a' });
    expect(a.kind).toBe('ConfigMap');
    expect(Object.isFrozen(a) && Object.isFrozen(a.metadata) && Object.isFrozen(a.data)).toBe(true);
    expect(() => ((a as ConfigMap).data!.n = 'changed')).toThrow(TypeError);
    // A handler added after the sync first hears of every cached object.
    expect(record(informer).sort()).toEqual([`add ${ns}/a`, `add ${ns}/b`, `add ${ns}/c`]);
  });

  it('delivers creates, updates and deletes in order with the right handler arguments', async () => {
    const ns = await namespace();
    const informer = startInformer(configmaps, { namespace: ns });
    await informer.waitForSync();
    const lines = record(informer);
    const updates: [string | undefined, string | undefined][] = [];
    const deleted: ConfigMap[] = [];
    informer.onUpdate((old, cur) => updates.push([old.data?.v, cur.data?.v]));
    informer.onDelete((o) => deleted.push(o as ConfigMap));

    const a = await configmaps.create(configMap(ns, 'a', { v: '1' }));
    const a2 = await configmaps.update({ ...a, data: { v: '2' } });
    await configmaps.create(configMap(ns, 'b'));
    await configmaps.delete(ns, 'a');
    await eventually(() => lines.length >= 4);

    expect(lines).toEqual([`add ${ns}/a`, `update ${ns}/a`, `add ${ns}/b`, `delete ${ns}/a`]);
    expect(updates).toEqual([['1', '2']]);
    expect(deleted[0].data).toEqual({ v: '2' });
    expect(deleted[0].metadata.uid).toBe(a2.metadata.uid);
    expect(keys(informer.list())).toEqual([`${ns}/b`]);
    await converged(informer, ns);
  });

  it('re-delivers every cached object as an update on each resync', async () => {
    const ns = await namespace();
    await configmaps.create(configMap(ns, 'a'));
    await configmaps.create(configMap(ns, 'b'));
    const clock = new FakeClock(Date.now());
    const informer = startInformer(configmaps, { namespace: ns, resyncMs: 60_000, clock });
    await informer.waitForSync();
    const same: boolean[] = [];
    informer.onUpdate((old, cur) => same.push(old === cur));
    const lines = record(informer);
    lines.length = 0;

    await clock.advance(59_999);
    expect(lines).toEqual([]);
    await clock.advance(1);
    expect(lines.sort()).toEqual([`update ${ns}/a`, `update ${ns}/b`]);
    expect(same).toEqual([true, true]);
    await clock.advance(60_000);
    expect(lines).toHaveLength(4);
  });

  it('answers namespace, label selector, node name and custom index queries like the apiserver', async () => {
    const ns1 = await namespace();
    const ns2 = await namespace();
    const labelSets: Record<string, string>[] = [{ app: 'web', tier: 'front' }, { app: 'web', tier: 'db' }, { app: 'api', tier: 'cache' }, { app: 'web' }, {}];
    for (const ns of [ns1, ns2]) {
      for (const [i, labels] of labelSets.entries()) await configmaps.create(configMap(ns, `cm-${i}`, {}, labels));
    }
    const informer = startInformer(configmaps, {}, (inf) =>
      inf.addIndex('app', (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : [])),
    );
    await informer.waitForSync();
    expect(() => informer.addIndex('late', () => [])).toThrow();

    expect(keys(informer.byNamespace(ns1))).toEqual(keys((await configmaps.list({ namespace: ns1 })).items));
    for (const selector of ['app=web', 'app=web,tier!=db', 'tier in (db,cache)', '!tier', 'app', 'app notin (web)', '']) {
      for (const ns of [undefined, ns1, ns2]) {
        const want = (await configmaps.list({ namespace: ns, labelSelector: selector })).items;
        expect(keys(informer.byLabelSelector(selector, ns)), `${selector} in ${ns ?? 'all'}`).toEqual(keys(want));
      }
    }
    expect(keys(informer.byIndex('app', 'api'))).toEqual([`${ns1}/cm-2`, `${ns2}/cm-2`]);

    const pods = clientOf(cp).resource(info('pods')) as unknown as ResourceClient<KubeObject>;
    for (const [name, nodeName] of [['p1', 'node-1'], ['p2', 'node-2'], ['p3', 'node-1'], ['p4', undefined]] as const) {
      const spec = { containers: [{ name: 'c', image: 'sleep' }], ...(nodeName ? { nodeName } : {}) };
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns1, name }, spec });
    }
    const podInformer = startInformer(pods, { namespace: ns1 });
    await podInformer.waitForSync();
    const onNode1 = (await pods.list({ namespace: ns1, fieldSelector: 'spec.nodeName=node-1' })).items;
    expect(keys(podInformer.byNodeName('node-1'))).toEqual(keys(onNode1));
    expect(keys(podInformer.byNodeName('node-1'))).toEqual([`${ns1}/p1`, `${ns1}/p3`]);
    expect(podInformer.byNodeName('node-9')).toEqual([]);
  });

  it('holds only what its server-side label selector matches', async () => {
    const ns = await namespace();
    await configmaps.create(configMap(ns, 'web', {}, { app: 'web' }));
    await configmaps.create(configMap(ns, 'db', {}, { app: 'db' }));
    const informer = startInformer(configmaps, { namespace: ns, labelSelector: 'app=web' });
    await informer.waitForSync();
    const lines = record(informer);
    await configmaps.create(configMap(ns, 'web2', {}, { app: 'web' }));
    await configmaps.create(configMap(ns, 'db2', {}, { app: 'db' }));
    await eventually(() => lines.length >= 2);
    expect(keys(informer.list())).toEqual([`${ns}/web`, `${ns}/web2`]);
  });

  it('relists after 410 Gone when its history was purged while the watch was cut', async () => {
    const ns = await namespace();
    const elsewhere = await namespace();
    const keep = await configmaps.create(configMap(ns, 'keep', { v: '1' }));
    await configmaps.create(configMap(ns, 'doomed', { v: 'last' }));
    const changed = await configmaps.create(configMap(ns, 'changed', { v: '1' }));
    const logs: string[] = [];
    const log: LogFn = (_level, message) => logs.push(message);
    // A long first retry leaves time to restart the apiserver and write before the informer is back.
    const informer = startInformer(configmaps, { namespace: ns, log, backoffInitialMs: 4000, backoffMaxMs: 4000 });
    await informer.waitForSync();
    const lines = record(informer);
    lines.length = 0;
    const deleted: ConfigMap[] = [];
    informer.onDelete((o) => deleted.push(o as ConfigMap));
    const rvBeforeCut = informer.lastSyncResourceVersion();

    // A write the informer's watch does not carry, just before the kill: the restarted apiserver's
    // history starts after it, so the informer's resourceVersion is already too old, however soon
    // it comes back.
    await configmaps.create(configMap(elsewhere, 'unseen'));
    await cp.apiserver.stop('SIGKILL');
    await cp.apiserver.start();
    await configmaps.delete(ns, 'doomed');
    await configmaps.update({ ...changed, data: { v: '2' } });
    await configmaps.create(configMap(ns, 'new'));
    let filler = await configmaps.create(configMap(ns, 'filler', { i: '0' }));
    for (let i = 1; i <= HISTORY + 5; i++) filler = await configmaps.update({ ...filler, data: { i: String(i) } });
    expect(await historyIsGone(rvBeforeCut, ns)).toBe(true);

    await converged(informer, ns);
    expect(logs).toContain('resourceVersion too old; relisting');
    expect(lines.sort()).toEqual([`add ${ns}/filler`, `add ${ns}/new`, `delete ${ns}/doomed`, `update ${ns}/changed`]);
    expect(deleted[0].data).toEqual({ v: 'last' });
    expect(informer.get(`${ns}/keep`)!.metadata.resourceVersion).toBe(keep.metadata.resourceVersion);
  });

  /** True when a watch from `rv` is answered with 410 (the apiserver no longer has that history). */
  async function historyIsGone(rv: string, ns: string): Promise<boolean> {
    try {
      const stream = await configmaps.watch({ namespace: ns, resourceVersion: rv });
      for await (const event of stream) {
        stream.close();
        return event.type === 'ERROR' && (event.object as unknown as { code?: number }).code === 410;
      }
      return false;
    } catch (err) {
      return (err as { httpCode?: number }).httpCode === 410;
    }
  }

  it('survives a kill -9 of the apiserver: keeps serving its cache, reconnects and converges', async () => {
    const ns = await namespace();
    const a = await configmaps.create(configMap(ns, 'a', { v: '1' }));
    await configmaps.create(configMap(ns, 'b'));
    const informer = startInformer(configmaps, { namespace: ns, backoffInitialMs: 100, backoffMaxMs: 500 });
    await informer.waitForSync();

    await cp.apiserver.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    expect(keys(informer.list())).toEqual([`${ns}/a`, `${ns}/b`]);
    expect(informer.hasSynced()).toBe(true);

    await cp.apiserver.start();
    await configmaps.update({ ...a, data: { v: '2' } });
    await configmaps.delete(ns, 'b');
    await configmaps.create(configMap(ns, 'c'));
    await converged(informer, ns);
    expect(informer.get(`${ns}/a`)!.data).toEqual({ v: '2' });

    // And it keeps following changes after the reconnect.
    await configmaps.create(configMap(ns, 'd'));
    await eventually(() => informer.get(`${ns}/d`) !== undefined);
  });
});
