#!/usr/bin/env node
/**
 * Services benchmark: requests/s and p50/p99 latency of HTTP GETs to a kubesim/web pod,
 * measured side by side in one run: direct to the pod, through the Service's ClusterIP, through
 * the NodePort (on the pod's node and on a node without it) and through the LoadBalancer's
 * external address, each with keep-alive connections and with a new connection per request.
 * Everything is a real process on this machine (see services-cluster.ts); settings are BENCH_SVC_*
 * environment variables (README.md).
 */
import os from 'node:os';
import { runLoad, type ConnectionMode, type HttpTarget, type LoadResult } from './http-load.js';
import { BENCH_PATH, ServicesCluster, type ServiceTargets } from './services-cluster.js';
import { formatTable, type Row } from './services-report.js';

/** A numeric setting from the environment; anything but a number ≥ 0 stops the run. */
function env(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number ≥ 0, got ${process.env[name]}`);
  return value;
}

const SETTINGS = {
  seconds: env('BENCH_SVC_SECONDS', 3),
  rounds: Math.max(1, env('BENCH_SVC_ROUNDS', 3)),
  requests: env('BENCH_SVC_REQUESTS', 0),
  concurrency: Math.max(1, env('BENCH_SVC_CONCURRENCY', 32)),
  warmupSeconds: env('BENCH_SVC_WARMUP_SECONDS', 1),
  timeoutMs: env('BENCH_SVC_TIMEOUT_MS', 5000),
};

const CLUSTER = {
  nodes: Math.max(1, env('BENCH_SVC_NODES', 3)),
  replicas: Math.max(1, env('BENCH_SVC_REPLICAS', 1)),
  podPort: env('BENCH_SVC_POD_PORT', 18081),
  servicePort: env('BENCH_SVC_PORT', 18080),
  nodePort: env('BENCH_SVC_NODE_PORT', 31818),
  healthzPort: env('BENCH_SVC_HEALTHZ_PORT', 18256),
  // A random /24 of 127.201.0.0/16, a range no other kubesim setup on this machine uses.
  lbRange: process.env.BENCH_SVC_LB_RANGE ?? `127.201.${Math.floor(Math.random() * 256)}.0/24`,
};

const MODES: readonly ConnectionMode[] = ['keep-alive', 'new-connection'];

/** The paths measured, in the order printed; the first is the baseline of the ratios. */
function paths(t: ServiceTargets): { label: string; targets: HttpTarget[] }[] {
  const pods = t.pods.length === 1 ? `pod ${addr(t.pods[0])}` : `${t.pods.length} pods round-robin`;
  return [
    { label: `direct (${pods})`, targets: t.pods },
    { label: `ClusterIP ${addr(t.clusterIP)}`, targets: [t.clusterIP] },
    { label: `NodePort ${addr(t.nodePortWithPod)} (${t.nodePortWithPod.node}, runs ${t.pods.length === 1 ? 'the' : 'a'} pod)`, targets: [t.nodePortWithPod] },
    ...(t.nodePortWithoutPod ? [{ label: `NodePort ${addr(t.nodePortWithoutPod)} (${t.nodePortWithoutPod.node}, no pod)`, targets: [t.nodePortWithoutPod] }] : []),
    { label: `LoadBalancer ${addr(t.loadBalancer)}`, targets: [t.loadBalancer] },
  ];
}

const addr = (t: HttpTarget) => `${t.host}:${t.port}`;

function load(targets: HttpTarget[], mode: ConnectionMode, seconds: number, requests: number): Promise<LoadResult> {
  return runLoad({ targets, path: BENCH_PATH, mode, concurrency: SETTINGS.concurrency, durationMs: seconds * 1000, maxRequests: requests, timeoutMs: SETTINGS.timeoutMs });
}

/**
 * Each path's time is cut into rounds, and the rounds of all paths interleave (each round
 * starting one path further), so a slow spell of the machine or a warm-up effect lands on every
 * path alike rather than on whichever was measured then.
 */
async function measureMode(measured: { label: string; targets: HttpTarget[] }[], mode: ConnectionMode): Promise<Row[]> {
  const rows: Row[] = measured.map((p) => ({ label: p.label, rounds: [] }));
  const seconds = SETTINGS.seconds / SETTINGS.rounds;
  const requests = Math.ceil(SETTINGS.requests / SETTINGS.rounds);
  for (let round = 0; round < SETTINGS.rounds; round++) {
    for (let k = 0; k < measured.length; k++) {
      const i = (round + k) % measured.length;
      rows[i].rounds.push(await load(measured[i].targets, mode, seconds, requests));
    }
  }
  return rows;
}

async function measure(targets: ServiceTargets): Promise<void> {
  const measured = paths(targets);
  if (!targets.nodePortWithoutPod) console.log('(every node runs a pod: no NodePort row for a node without one; set BENCH_SVC_NODES above BENCH_SVC_REPLICAS)');
  // Warm every path's code (JIT, connection setup in the proxies) before anything counts.
  if (SETTINGS.warmupSeconds > 0) for (const p of measured) for (const mode of MODES) await load(p.targets, mode, SETTINGS.warmupSeconds / 2, 0);
  for (const mode of MODES) {
    const rows = await measureMode(measured, mode);
    const bound = SETTINGS.requests > 0 ? `${SETTINGS.requests} requests or ${SETTINGS.seconds} s` : `${SETTINGS.seconds} s`;
    const how = mode === 'keep-alive' ? `${SETTINGS.concurrency} persistent connection${SETTINGS.concurrency === 1 ? '' : 's'}` : `a new TCP connection per request, ${SETTINGS.concurrency} in flight`;
    console.log(`\n${mode}: GET ${BENCH_PATH}, ${how}, ${bound} per path in ${SETTINGS.rounds} interleaved rounds; 1-min load average ${loadAverage()}`);
    console.log(formatTable(rows));
  }
}

/** The machine's 1-minute load average: other work on it shows up in the figures. */
const loadAverage = () => os.loadavg()[0].toFixed(2);

async function main(): Promise<void> {
  console.log(
    `kubesim Services benchmark: kubesim/web × ${CLUSTER.replicas} on ${CLUSTER.nodes} nodes (process runtime), ` +
      `Service type LoadBalancer port ${CLUSTER.servicePort}, nodePort ${CLUSTER.nodePort}, LB range ${CLUSTER.lbRange}; ` +
      `client, proxies and pods share this machine's ${os.cpus().length} CPUs`,
  );
  const bench = new ServicesCluster(CLUSTER);
  const onSignal = () => {
    console.error('interrupted: stopping the cluster');
    void bench.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await measure(await bench.start());
  } finally {
    const leftover = await bench.stop();
    console.log(`\npod processes left after the cluster stopped: ${leftover}${leftover ? ' (killed now)' : ''}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
