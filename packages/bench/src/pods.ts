#!/usr/bin/env node
/**
 * Pod benchmark: startup latency (create → Running, as seen by a watch) for a burst of pods on a
 * cluster of real processes (nats-server, apiserver, controller-manager, scheduler, 3 kubelets),
 * and the memory (RSS) of a kubelet and of one pod process.
 */
import fs from 'node:fs';
import { RESOURCES, type KubeObject } from '@kubesim/api';
import { findContainerProcesses } from '@kubesim/kubelet';
import { TestCluster } from '@kubesim/testing';
import { percentile } from './stats.js';

const PODS_N = Number(process.env.BENCH_PODS ?? 100);
const NODES = Number(process.env.BENCH_NODES ?? 3);
const PODS = RESOURCES.find((r) => r.plural === 'pods')!;

/** Resident set size of a process in MiB, from /proc. */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  for (const runtime of ['process', 'thread'] as const) await run(runtime);
}

async function run(runtime: 'process' | 'thread'): Promise<void> {
  console.log(`kubesim pod benchmark: ${PODS_N} pods (kubesim/echo) created at once on ${NODES} nodes, ${runtime} runtime`);
  const cluster = await new TestCluster({ nodes: NODES, controllerManager: false, runtime }).start();
  try {
    const pods = cluster.cp.natsClient.resource(PODS);
    const created = new Map<string, number>();
    const running = new Map<string, number>();
    const watch = await pods.watch({ namespace: 'default', resourceVersion: '0' });
    const done = (async () => {
      for await (const e of watch) {
        const p = e.object as any;
        if (e.type === 'MODIFIED' && p.status?.phase === 'Running' && !running.has(p.metadata.name)) {
          running.set(p.metadata.name, performance.now());
          if (running.size === PODS_N) break;
        }
      }
    })();
    await Promise.all(
      Array.from({ length: PODS_N }, async (_, i) => {
        const name = `bench-${i}`;
        created.set(name, performance.now());
        await pods.create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'default' },
          spec: { containers: [{ name: 'echo', image: 'kubesim/echo', ports: [{ containerPort: 8080 }] }] },
        } as KubeObject);
      }),
    );
    const timeout = setTimeout(() => watch.close(), 120_000);
    await done;
    clearTimeout(timeout);
    watch.close();
    const latencies = [...running].map(([n, t]) => t - created.get(n)!).sort((a, b) => a - b);
    const kubelet = cluster.kubelets.get('node-1')!;
    const podPids = findContainerProcesses(`${cluster.rootDir}/node-1`).map((p) => p.pid);
    const podRss = podPids.map(rssMiB).filter((x) => !Number.isNaN(x));
    console.log(`pods Running: ${latencies.length}/${PODS_N}`);
    console.log(`startup latency (create → Running): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
    const onNode1 = (await pods.list({ fieldSelector: 'spec.nodeName=node-1' })).items.length;
    console.log(`kubelet RSS (node-1, ${onNode1} pods${runtime === 'thread' ? ' as worker threads inside it' : ''}): ${rssMiB(kubelet.pid).toFixed(1)} MiB`);
    if (runtime === 'process') console.log(`pod process RSS: mean ${(podRss.reduce((a, b) => a + b, 0) / podRss.length).toFixed(1)} MiB over ${podRss.length} pods`);
  } finally {
    await cluster.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
