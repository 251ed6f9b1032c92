/**
 * End to end on `kubesim up`: three kubelet processes, the scheduler and the controller-manager
 * run real pods; the stock kubectl and an API client look at them; processes are checked
 * against the process table.
 */
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuantity, RESOURCES, type ApiClient, type KubeObject } from '@kubesim/api';
import { findContainerProcesses } from '@kubesim/kubelet';
import { readState } from '../src/index.js';
import { UpCluster, waitFor } from './up-cluster.js';

const PODS = RESOURCES.find((r) => r.plural === 'pods')!;
const NODES = RESOURCES.find((r) => r.plural === 'nodes')!;
const EVENTS = RESOURCES.find((r) => r.plural === 'events')!;

const cluster = new UpCluster();
let client: ApiClient;
let dataDir: string;

beforeAll(async () => {
  await cluster.start(3);
  client = cluster.client;
  dataDir = cluster.dataDir;
}, 120_000);

afterAll(() => cluster.stop());

function echoPod(name: string, cpu: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { suite: 'cluster-e2e' } },
    spec: { containers: [{ name: 'echo', image: 'kubesim/echo', ports: [{ containerPort: 8080 }], resources: { requests: { cpu } } }] },
  } as KubeObject;
}

function kubectl(...args: string[]): string {
  return cluster.kubectl(...args);
}

/** The container processes of a node (their environment names its root dir), by pid. */
function containerProcesses(dir: string): number[] {
  return findContainerProcesses(dir).map((p) => p.pid).sort((a, b) => a - b);
}

describe('a cluster from kubesim up', () => {
  it('runs 30 pods with cpu requests across 3 nodes without overcommitting, each answering on its own IP', async () => {
    const pods = client.resource(PODS);
    await Promise.all(Array.from({ length: 30 }, (_, i) => pods.create(echoPod(`spread-${i}`, '300m'))));
    await waitFor('30 Running pods', async () => {
      const list = await pods.list({ namespace: 'default', labelSelector: 'suite=cluster-e2e' });
      return list.items.filter((p: any) => p.metadata.name.startsWith('spread-') && p.status?.phase === 'Running').length === 30;
    }, 90_000);
    const list = (await pods.list({ namespace: 'default', labelSelector: 'suite=cluster-e2e' })).items.filter((p) => p.metadata.name!.startsWith('spread-')) as any[];

    const nodes = new Map((await client.resource(NODES).list()).items.map((n: any) => [n.metadata.name, parseQuantity(n.status.allocatable.cpu)!]));
    const used = new Map<string, number>();
    for (const p of list) used.set(p.spec.nodeName, (used.get(p.spec.nodeName) ?? 0) + 0.3);
    expect([...used.keys()].sort()).toEqual(['node-1', 'node-2', 'node-3']);
    for (const [node, cpu] of used) expect(cpu).toBeLessThanOrEqual(nodes.get(node)! + 1e-9);

    const ips = new Set(list.map((p) => p.status.podIP));
    expect(ips.size).toBe(30);
    for (const p of list) {
      // Running means the process started; give its server a moment to listen.
      await waitFor(`${p.metadata.name} answering`, async () => (await (await fetch(`http://${p.status.podIP}:8080/`)).text()).includes(p.metadata.name), 10_000);
    }
    const wide = kubectl('get', 'pods', '-o', 'wide', '-l', 'suite=cluster-e2e');
    expect(wide).toMatch(/^spread-0\s+1\/1\s+Running\s+0\s+\S+\s+127\.64\.\d+\.\d+\s+node-\d/m);
  }, 150_000);

  it('keeps a pod that asks for more than any node has Pending, with the FailedScheduling event', async () => {
    await client.resource(PODS).create(echoPod('too-big', '64'));
    await waitFor('FailedScheduling', async () => {
      const events = await client.resource(EVENTS).list({ namespace: 'default', fieldSelector: 'involvedObject.name=too-big' });
      return events.items.some((e: any) => e.reason === 'FailedScheduling' && e.message.startsWith('0/3 nodes are available: 3 Insufficient cpu.'));
    });
    const pod: any = await client.resource(PODS).get('default', 'too-big');
    expect(pod.status.phase).toBe('Pending');
    expect(pod.spec.nodeName).toBeUndefined();
    expect(kubectl('describe', 'pod', 'too-big')).toMatch(/Warning\s+FailedScheduling\s+.*0\/3 nodes are available: 3 Insufficient cpu\./);
  });

  it('survives kill -9 of a kubelet: the supervisor restarts it and the same container processes run, none duplicated', async () => {
    const nodeDir = path.join(dataDir, 'nodes', 'node-1');
    const before = containerProcesses(nodeDir);
    expect(before.length).toBeGreaterThan(0);
    const state = readState(path.join(dataDir, 'state.json'))!;
    const kubelet = state.components.find((c) => c.name === 'kubelet-node-1')!;
    process.kill(kubelet.pid!, 'SIGKILL');
    await waitFor('kubelet-node-1 restarted', async () => {
      const s = readState(path.join(dataDir, 'state.json'))!.components.find((c) => c.name === 'kubelet-node-1')!;
      return s.restarts === 1 && s.phase === 'running';
    });
    // Let the new kubelet sync, then compare with the process table.
    await new Promise((r) => setTimeout(r, 3000));
    expect(containerProcesses(nodeDir)).toEqual(before);
    const onNode = (await client.resource(PODS).list({ fieldSelector: 'spec.nodeName=node-1' })).items as any[];
    expect(onNode.every((p) => p.status.phase === 'Running' && p.status.containerStatuses[0].restartCount === 0)).toBe(true);
    expect(onNode.length).toBe(before.length);
  }, 60_000);
});

describe('service discovery from inside a pod', () => {
  it('resolves a headless Service through the cluster DNS and reaches a pod by its name', async () => {
    const r = (plural: string) => client.resource(RESOURCES.find((x) => x.plural === plural)!);
    await r('deployments').create({
      metadata: { name: 'names', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'names' } },
        template: { metadata: { labels: { app: 'names' } }, spec: { containers: [{ name: 'echo', image: 'kubesim/echo', ports: [{ containerPort: 8080 }] }] } },
      },
    } as KubeObject);
    await r('services').create({ metadata: { name: 'names', namespace: 'default' }, spec: { clusterIP: 'None', selector: { app: 'names' }, ports: [{ port: 8080 }] } } as KubeObject);
    await waitFor('2 ready endpoints', async () => {
      const ep: any = await r('endpoints').get('default', 'names');
      return (ep.subsets?.[0]?.addresses ?? []).length === 2;
    });
    await r('pods').create({
      metadata: { name: 'client', namespace: 'default' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'wget -q -O- http://names:8080/ && cat /etc/resolv.conf'] }] },
    } as KubeObject);
    await waitFor('client Succeeded', async () => ((await r('pods').get('default', 'client')) as any).status?.phase === 'Succeeded');
    const logs = cluster.kubectl('logs', 'client');
    expect(logs).toMatch(/"pod":\s*"names-/);
    expect(logs).toContain('nameserver 127.128.0.10');
    expect(logs).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
  }, 60_000);
});

describe('Services on a cluster from kubesim up', () => {
  const r = (plural: string) => client.resource(RESOURCES.find((x) => x.plural === plural)!);

  /** The pod that answered a GET on a fresh connection (no keep-alive, so each request is spread anew). */
  function servedBy(url: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { agent: false, timeout: 3000 }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body).pod);
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
    });
  }

  it('spreads a ClusterIP, answers a NodePort on every node and a LoadBalancer EXTERNAL-IP, and a pod calls the Service by name', async () => {
    await r('deployments').create({
      metadata: { name: 'svc-web', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'svc-web' } },
        template: { metadata: { labels: { app: 'svc-web' } }, spec: { containers: [{ name: 'echo', image: 'kubesim/echo', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      },
    } as KubeObject);
    const svc: any = await r('services').create({
      metadata: { name: 'svc-web', namespace: 'default' },
      spec: { type: 'LoadBalancer', selector: { app: 'svc-web' }, ports: [{ port: 80, targetPort: 'http' }] },
    } as KubeObject);
    await waitFor('3 ready endpoints', async () => (((await r('endpoints').get('default', 'svc-web')) as any).subsets?.[0]?.addresses ?? []).length === 3);
    await waitFor('an EXTERNAL-IP', async () => !!((await r('services').get('default', 'svc-web')) as any).status?.loadBalancer?.ingress?.[0]?.ip);

    const seen = new Set<string>();
    await waitFor('the ClusterIP spreads over all 3 pods', async () => {
      seen.add(await servedBy(`http://${svc.spec.clusterIP}/`));
      return seen.size === 3;
    }, 30_000);

    const nodePort = svc.spec.ports[0].nodePort;
    for (const nodeIP of ['127.1.0.1', '127.1.0.2', '127.1.0.3']) {
      await waitFor(`NodePort on ${nodeIP}`, async () => (await servedBy(`http://${nodeIP}:${nodePort}/`)).startsWith('svc-web-'));
    }
    const external = ((await r('services').get('default', 'svc-web')) as any).status.loadBalancer.ingress[0].ip;
    expect(external).toMatch(/^127\.200\./);
    await waitFor('the LoadBalancer answers', async () => (await servedBy(`http://${external}/`)).startsWith('svc-web-'));
    expect(cluster.kubectl('get', 'svc', 'svc-web')).toMatch(new RegExp(`^svc-web\\s+LoadBalancer\\s+${svc.spec.clusterIP.replace(/\./g, '\\.')}\\s+${external.replace(/\./g, '\\.')}\\s+80:${nodePort}/TCP`, 'm'));

    await r('pods').create({
      metadata: { name: 'svc-client', namespace: 'default' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'wget -q -O- http://svc-web.default.svc.cluster.local/ && echo && printenv SVC_WEB_SERVICE_HOST SVC_WEB_SERVICE_PORT'] }] },
    } as KubeObject);
    await waitFor('svc-client Succeeded', async () => ((await r('pods').get('default', 'svc-client')) as any).status?.phase === 'Succeeded');
    const logs = cluster.kubectl('logs', 'svc-client');
    expect(logs).toMatch(/"pod":\s*"svc-web-/);
    // The Service existed when the pod started, so the pod got its variables.
    expect(logs.trim().split('\n').slice(-2)).toEqual([svc.spec.clusterIP, '80']);
  }, 120_000);
});
