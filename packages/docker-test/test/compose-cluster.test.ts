import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from '@kubesim/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeCluster } from '../src/compose-cluster.js';
import { run } from '../src/run.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const IMAGE = process.env.KUBESIM_IMAGE ?? 'kubesim:dev';
const NODES = ['node-1', 'node-2', 'node-3'];

interface PodView {
  name: string;
  node: string;
  ip: string;
  running: boolean;
  terminating: boolean;
}

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: kubesim/echo:1.0
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

// The whole compose cluster, driven from the host the way a user does: stock kubectl through the
// published apiserver port, curl-like requests to the LoadBalancer's EXTERNAL-IP, docker kill.
describe('the docker compose cluster', () => {
  let cluster: ComposeCluster;
  const kubectl = (...args: string[]) => cluster.kubectl(args);

  beforeAll(async () => {
    cluster = new ComposeCluster({ repoRoot: REPO_ROOT, apiPort: await freePort(), profile: 'fast' });
    const existing = await cluster.containers();
    if (existing.length > 0) throw new Error(`a kubesim compose cluster is already running (${existing.join(', ')}); stop it first`);
  });

  afterAll(async () => {
    await cluster?.down();
  });

  it('comes up with three Ready nodes that the stock kubectl lists', async () => {
    const started = Date.now();
    await cluster.up();
    await eventually('three Ready nodes', async () => {
      const ready = (await nodes()).filter((n) => n.ready).map((n) => n.name);
      return ready.length === 3 && ready;
    }, { timeoutMs: 120_000, intervalMs: 500 });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const size = Number(await run('docker', ['image', 'inspect', '-f', '{{.Size}}', IMAGE]));
    console.log(`compose up to a Ready cluster: ${seconds} s; image ${IMAGE}: ${Math.round(size / 1e6)} MB`);
    expect((await nodes()).map((n) => n.name)).toEqual(NODES);
    expect((await nodes()).map((n) => n.internalIP)).toEqual(['10.211.0.11', '10.211.0.12', '10.211.0.13']);
  });

  it('serves a Deployment through a LoadBalancer Service reached from the host', async () => {
    await cluster.kubectl(['apply', '-f', '-'], APP);
    const ip = await eventually('an EXTERNAL-IP', async () => JSON.parse(await kubectl('get', 'service', 'web', '-o', 'json')).status?.loadBalancer?.ingress?.[0]?.ip as string | undefined, { timeoutMs: 60_000 });
    expect(ip).toMatch(/^127\.210\./);
    const running = await eventually('three running pods', async () => {
      const pods = (await webPods()).filter((p) => p.running && !p.terminating);
      return pods.length === 3 && pods;
    }, { timeoutMs: 60_000 });
    const answered = await eventually('answers from every pod', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 30; i++) seen.add((await echo(`http://${ip}/`)).pod);
      return seen.size === 3 && seen;
    }, { timeoutMs: 30_000 });
    expect([...answered].sort()).toEqual(running.map((p) => p.name).sort());
  });

  it('routes a NodePort on one node to pods on every node', async () => {
    const nodePort = JSON.parse(await kubectl('get', 'service', 'web', '-o', 'json')).spec.ports[0].nodePort as number;
    // A backend that refused a connection (a pod not listening yet) sits out for 2 s, so poll.
    const subnets = await eventually('answers from pods on every node', async () => {
      const ips = new Set<string>();
      for (let i = 0; i < 30; i++) ips.add((await echo(`http://10.211.0.11:${nodePort}/`)).podIP);
      const seen = [...new Set([...ips].map((ip) => ip.split('.').slice(0, 3).join('.')))].sort();
      return seen.length === 3 && seen;
    }, { timeoutMs: 15_000 });
    expect(subnets).toEqual(['10.244.1', '10.244.2', '10.244.3']);
  });

  it('lets a pod reach the Service by its DNS name and ClusterIP', async () => {
    await kubectl('run', 'client', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'wget -qO- http://web.default.svc.cluster.local/');
    await eventually('the client pod to finish', async () => JSON.parse(await kubectl('get', 'pod', 'client', '-o', 'json')).status?.phase === 'Succeeded', { timeoutMs: 60_000 });
    expect(JSON.parse(await kubectl('logs', 'client')).pod).toMatch(/^web-/);
  });

  it('lets a pod reach the apiserver through the kubernetes Service', async () => {
    await kubectl('run', 'api-client', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'wget -qO- http://kubernetes.default.svc.cluster.local:443/version');
    await eventually('the api-client pod to finish', async () => JSON.parse(await kubectl('get', 'pod', 'api-client', '-o', 'json')).status?.phase === 'Succeeded', { timeoutMs: 60_000 });
    expect(JSON.parse(await kubectl('logs', 'api-client')).gitVersion).toMatch(/kubesim/);
  });

  it('recovers the pods of a killed node container on the other nodes', async () => {
    const victim = (await webPods()).find((p) => p.running)!.node;
    await run('docker', ['kill', `kubesim-${victim}`]);
    const started = Date.now();
    const moved = await eventually(`three running pods off ${victim}`, async () => {
      const live = (await webPods()).filter((p) => p.running && !p.terminating && p.node !== victim);
      return live.length === 3 && live;
    }, { timeoutMs: 180_000, intervalMs: 1000 });
    console.log(`pods of ${victim} running elsewhere ${((Date.now() - started) / 1000).toFixed(1)} s after docker kill`);
    expect((await nodes()).find((n) => n.name === victim)?.ready).toBe(false);
    const ip = JSON.parse(await kubectl('get', 'service', 'web', '-o', 'json')).status.loadBalancer.ingress[0].ip as string;
    const answered = await eventually('answers only from live pods', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) seen.add((await echo(`http://${ip}/`)).pod);
      return [...seen].every((name) => moved.some((p) => p.name === name)) && seen;
    }, { timeoutMs: 30_000 });
    expect(answered.size).toBeGreaterThan(0);
    // Docker counts `docker kill` as a deliberate stop; starting the container brings the node back.
    await run('docker', ['start', `kubesim-${victim}`]);
    await eventually(`${victim} Ready again`, async () => (await nodes()).find((n) => n.name === victim)?.ready, { timeoutMs: 60_000 });
  });

  it('restarts a node container whose kubelet dies', async () => {
    const restarts = async () => Number(await run('docker', ['inspect', '-f', '{{.RestartCount}}', 'kubesim-node-3']));
    const before = await restarts();
    const bootID = async () => JSON.parse(await kubectl('get', 'node', 'node-3', '-o', 'json')).status.nodeInfo.bootID as string;
    const firstBoot = await bootID();
    // The pattern does not match this shell's own command line; the container may end under the exec.
    const killKubelet = 'for p in /proc/[0-9]*; do grep -qs "kubelet/dist/mai[n].js" "$p/cmdline" && kill -9 "${p#/proc/}"; done; true';
    await run('docker', ['exec', '-u', '0', 'kubesim-node-3', 'sh', '-c', killKubelet]).catch(() => undefined);
    await eventually('a restart of kubesim-node-3', async () => (await restarts()) > before, { timeoutMs: 60_000 });
    // A new kubelet registers with a new bootID; Ready then comes from it, not from before.
    await eventually('node-3 Ready from a new kubelet', async () => (await bootID()) !== firstBoot && (await nodes()).find((n) => n.name === 'node-3')?.ready, { timeoutMs: 60_000 });
    expect(await cluster.state('kubesim-node-3')).toBe('running');
  });

  it('leaves nothing behind after compose down', async () => {
    await cluster.down();
    expect(await cluster.containers()).toEqual([]);
    expect(await run('docker', ['network', 'ls', '-q', '--filter', 'name=^kubesim$'])).toBe('');
    expect(await run('docker', ['volume', 'ls', '-q', '--filter', 'name=^kubesim-nats-data$'])).toBe('');
  });

  async function nodes(): Promise<{ name: string; ready: boolean; internalIP?: string }[]> {
    const list = JSON.parse(await kubectl('get', 'nodes', '-o', 'json'));
    return list.items
      .map((n: any) => ({
        name: n.metadata.name,
        ready: n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false,
        internalIP: n.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address,
      }))
      .sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
  }

  async function webPods(): Promise<PodView[]> {
    const list = JSON.parse(await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json'));
    return list.items.map((p: any) => ({
      name: p.metadata.name,
      node: p.spec.nodeName,
      ip: p.status?.podIP,
      running: p.status?.phase === 'Running',
      terminating: Boolean(p.metadata.deletionTimestamp),
    }));
  }
});

/** One request to the echo app on a new connection (the proxies spread connections, not requests). */
function echo(url: string): Promise<{ pod: string; podIP: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
        else resolve(JSON.parse(body) as { pod: string; podIP: string });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
  });
}
