#!/usr/bin/env node
/**
 * Apiserver benchmark: creates/s, gets/s, a list of 10k objects and watch event latency through
 * NATS and through HTTP, beside the raw JetStream KV put rate measured on the same nats-server
 * in the same run. Prints a table and the NATS-create / raw-put ratio (target ≥ 50%).
 */
import { connect } from 'nats';
import { RESOURCES, encode, type ApiClient, type KubeObject } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { percentile, rate, runConcurrent } from './stats.js';

const N = Number(process.env.BENCH_N ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const WATCH_SAMPLES = Number(process.env.BENCH_WATCH_SAMPLES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONFIGMAPS = RESOURCES.find((r) => r.plural === 'configmaps')!;
const NAMESPACES = RESOURCES.find((r) => r.plural === 'namespaces')!;

function configmap(ns: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { bench: 'yes' } }, data: { payload: 'x'.repeat(256) } } as KubeObject;
}

async function rawKvPutRate(natsUrl: string, round: number): Promise<number> {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const kv = await nc.jetstream().views.kv('bench-raw', { history: 1 });
  const value = encode({ ...configmap('raw', 'x'), metadata: { ...configmap('raw', 'x').metadata, uid: crypto.randomUUID(), creationTimestamp: new Date().toISOString() } });
  const secs = await runConcurrent(N, CONCURRENCY, (i) => kv.create(`core/configmaps/raw${round + 1}/cm-${i}`, value));
  await nc.close();
  return N / secs;
}

/** Median of a few values. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function createRate(client: ApiClient, ns: string): Promise<number> {
  await client.resource(NAMESPACES).create({ metadata: { name: ns } } as KubeObject);
  const rc = client.resource(CONFIGMAPS);
  const secs = await runConcurrent(N, CONCURRENCY, (i) => rc.create(configmap(ns, `cm-${i}`)));
  return N / secs;
}

async function getRate(client: ApiClient, ns: string): Promise<number> {
  const rc = client.resource(CONFIGMAPS);
  const secs = await runConcurrent(N, CONCURRENCY, (i) => rc.get(ns, `cm-${i % N}`));
  return N / secs;
}

async function listSeconds(client: ApiClient, ns: string): Promise<number> {
  const start = performance.now();
  const list = await client.resource(CONFIGMAPS).list({ namespace: ns });
  if (list.items.length !== N) throw new Error(`list returned ${list.items.length}, expected ${N}`);
  return (performance.now() - start) / 1000;
}

/** Time from sending an update to receiving its watch event, one write at a time. */
async function watchLatency(client: ApiClient, ns: string): Promise<{ p50: number; p99: number }> {
  const rc = client.resource(CONFIGMAPS);
  const stream = await rc.watch({ namespace: ns, fieldSelector: 'metadata.name=cm-0', resourceVersion: (await rc.get(ns, 'cm-0')).metadata.resourceVersion });
  const it = stream[Symbol.asyncIterator]();
  const samples: number[] = [];
  for (let i = 0; i < WATCH_SAMPLES; i++) {
    const t0 = performance.now();
    await rc.patch(ns, 'cm-0', 'merge', { data: { i: String(i) } });
    for (;;) {
      const { value } = await it.next();
      if (value?.type === 'MODIFIED') break;
    }
    samples.push(performance.now() - t0);
  }
  stream.close();
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function main(): Promise<void> {
  console.log(`kubesim apiserver benchmark: ${N} objects, ${CONCURRENCY} requests in flight, ${WATCH_SAMPLES} watch samples, median of ${ROUNDS} rounds for NATS creates and raw puts`);
  const cp = await new TestControlPlane().start();
  try {
    // Raw puts and NATS creates alternate, so machine noise hits both alike; medians are reported.
    const raws: number[] = [];
    const natsRuns: number[] = [];
    // One uncounted round first: both paths are measured with their code already JIT-compiled.
    await rawKvPutRate(cp.nats.url, -1);
    await createRate(cp.natsClient, 'bench-warmup');
    for (let round = 0; round < ROUNDS; round++) {
      raws.push(await rawKvPutRate(cp.nats.url, round));
      natsRuns.push(await createRate(cp.natsClient, `bench-nats-${round}`));
    }
    const raw = median(raws);
    const natsCreates = median(natsRuns);
    const rows: string[][] = [];
    for (const [name, client] of [['NATS', cp.natsClient], ['HTTP', cp.httpClient]] as const) {
      const ns = name === 'NATS' ? `bench-nats-${ROUNDS - 1}` : 'bench-http';
      const creates = name === 'NATS' ? natsCreates : await createRate(client, ns);
      const gets = await getRate(client, ns);
      const list = await listSeconds(client, ns);
      const watch = await watchLatency(client, ns);
      rows.push([name, rate(creates, 1), rate(gets, 1), `${list.toFixed(3)} s`, `${watch.p50.toFixed(2)} ms`, `${watch.p99.toFixed(2)} ms`]);
    }
    rows.push(['raw KV put', rate(raw, 1), '', '', '', '']);
    const header = ['transport', 'creates/s', 'gets/s', `list ${N}`, 'watch p50', 'watch p99'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('   '));
    const ratio = natsCreates / raw;
    console.log(`NATS creates / raw KV puts = ${(ratio * 100).toFixed(1)}% (target ≥ 50%) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`);
  } finally {
    await cp.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
