/**
 * Traffic through a LoadBalancer Service of a cluster from `kubesim up` (fast profile) while
 * things go wrong: a rolling update serves every request; kill -9 of a node's kubelet and
 * SIGSTOP of a whole node (its kubelet, its proxy and its pods) keep the success rate at or
 * above 99.9%. Each run prints what it measured.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type KubeObject } from '@kubesim/api';
import { findContainerProcesses } from '@kubesim/kubelet';
import { readState } from '../src/index.js';
import { formatRate, getOnce, TrafficLoop } from '../src/chaos/traffic.js';
import { UpCluster, waitFor } from './up-cluster.js';

const cluster = new UpCluster();
const r = (plural: string) => cluster.client.resource(RESOURCES.find((x) => x.plural === plural)!);
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
let url = '';

beforeAll(async () => {
  await cluster.start(3);
  await r('deployments').create({
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'kubesim/web:v1', ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } },
          ],
        },
      },
    },
  } as KubeObject);
  await r('services').create({ metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } as KubeObject);
  await waitFor('3 ready endpoints', async () => (((await r('endpoints').get('default', 'web')) as any).subsets?.[0]?.addresses ?? []).length === 3);
  await waitFor('an EXTERNAL-IP', async () => !!((await r('services').get('default', 'web')) as any).status?.loadBalancer?.ingress?.[0]?.ip);
  url = `http://${((await r('services').get('default', 'web')) as any).status.loadBalancer.ingress[0].ip}/`;
  await waitFor('the LoadBalancer answers', async () => getOnce(url, 2000).then(() => true, () => false));
}, 150_000);
afterAll(() => cluster.stop());

/** The web pods' nodes, once 3 are ready and not terminating. */
async function readyPodNodes(): Promise<string[]> {
  const pods = ((await r('pods').list({ namespace: 'default', labelSelector: 'app=web' })).items as any[]).filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
  );
  return pods.map((p) => p.spec.nodeName).sort();
}

function componentPid(name: string): number {
  return readState(path.join(cluster.dataDir, 'state.json'))!.components.find((c) => c.name === name)!.pid!;
}

describe('a LoadBalancer Service under continuous traffic', () => {
  it('serves every request during a rolling update', async () => {
    const traffic = new TrafficLoop(url, { workers: 2, timeoutMs: 5000, watch: /v2/ });
    await sleep(1000);
    cluster.kubectl('set', 'image', 'deployment/web', 'web=kubesim/web:v2');
    cluster.kubectl('rollout', 'status', 'deployment/web', '--timeout=90s');
    await waitFor('v2 answering', async () => traffic.matches > 20, 20_000);
    const result = await traffic.stop();
    console.log(`rolling update v1 → v2 under traffic: ${formatRate(result)}${result.failures.length ? `; failures: ${result.failures.join('; ')}` : ''}`);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(100);
  }, 150_000);

  it('keeps ≥ 99.9% through kill -9 of a node’s kubelet', async () => {
    await waitFor('3 ready pods', async () => (await readyPodNodes()).length === 3);
    const traffic = new TrafficLoop(url, { workers: 4, timeoutMs: 2000 });
    await sleep(3000);
    process.kill(componentPid('kubelet-node-1'), 'SIGKILL');
    await waitFor('kubelet-node-1 restarted', async () => readState(path.join(cluster.dataDir, 'state.json'))!.components.find((c) => c.name === 'kubelet-node-1')!.restarts >= 1);
    await sleep(10_000);
    const result = await traffic.stop();
    console.log(`kill -9 of kubelet-node-1 under traffic through the LoadBalancer: ${formatRate(result)}${result.failures.length ? `; failures: ${result.failures.join('; ')}` : ''}`);
    expect(result.successRate).toBeGreaterThanOrEqual(0.999);
  }, 120_000);

  it('keeps ≥ 99.9% through SIGSTOP of a whole node (kubelet, proxy and pods), and heals', async () => {
    await waitFor('3 ready pods', async () => (await readyPodNodes()).length === 3);
    const node = 'node-2';
    const stopped = [componentPid(`kubelet-${node}`), componentPid(`proxy-${node}`), ...findContainerProcesses(path.join(cluster.dataDir, 'nodes', node)).map((p) => p.pid)];
    const traffic = new TrafficLoop(url, { workers: 4, timeoutMs: 2000 });
    await sleep(5000);
    const t0 = Date.now();
    for (const pid of stopped) process.kill(pid, 'SIGSTOP');
    let notReadyAt = 0;
    try {
      await waitFor(`${node} NotReady`, async () => {
        const n: any = await r('nodes').get(undefined, node);
        return n.status.conditions.find((c: any) => c.type === 'Ready').status !== 'True';
      }, 20_000);
      notReadyAt = Date.now() - t0;
      await waitFor('3 ready pods off the stopped node', async () => {
        const nodes = await readyPodNodes();
        return nodes.length === 3 && !nodes.includes(node);
      }, 30_000);
    } finally {
      for (const pid of stopped) process.kill(pid, 'SIGCONT');
    }
    const healedAt = Date.now() - t0;
    await waitFor(`${node} Ready again`, async () => {
      const n: any = await r('nodes').get(undefined, node);
      return n.status.conditions.find((c: any) => c.type === 'Ready').status === 'True' && !(n.spec.taints ?? []).length;
    }, 30_000);
    await sleep(5000);
    const result = await traffic.stop();
    console.log(
      `SIGSTOP of ${node} (${stopped.length} processes) under traffic through the LoadBalancer: ${formatRate(result)}; ` +
        `NotReady after ${(notReadyAt / 1000).toFixed(1)} s, 3 ready replicas elsewhere after ${(healedAt / 1000).toFixed(1)} s` +
        `${result.failures.length ? `; failures: ${result.failures.join('; ')}` : ''}`,
    );
    expect(result.successRate).toBeGreaterThanOrEqual(0.999);
  }, 180_000);
});
