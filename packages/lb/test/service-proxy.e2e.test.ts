/**
 * kubesim-proxy as real processes against a real control plane: one serving ClusterIPs, two
 * serving nodes. The test writes the Endpoints (the endpoints controller's job) and runs the
 * "pods" itself: HTTP servers on pod addresses that answer with their name and the address
 * the connection came from.
 */
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoints, Service } from '@kubesim/api';
import { TestControlPlane, type TestProcess } from '@kubesim/testing';
import { closeServer, connectOutcome, eventually, get, httpBackend } from './helpers.js';
import { endpoints, namespace, proxyHealthy, res, service, startProxy, suiteAddresses } from './harness.js';

const POD_PORT = 8080;

describe('kubesim-proxy', () => {
  const addr = suiteAddresses();
  const nodeA = addr.nodeIP(1);
  const nodeB = addr.nodeIP(2);
  let cp: TestControlPlane;
  const procs: TestProcess[] = [];
  const backends: http.Server[] = [];
  /** Pods: four on node-a (the fourth never ready), one on node-b. */
  const pods = [
    { name: 'pod-1', ip: addr.podIP(11), nodeName: 'node-a' },
    { name: 'pod-2', ip: addr.podIP(12), nodeName: 'node-a' },
    { name: 'pod-3', ip: addr.podIP(13), nodeName: 'node-a' },
    { name: 'pod-unready', ip: addr.podIP(14), nodeName: 'node-a' },
  ];
  const ready = pods.slice(0, 3).map(({ ip, nodeName }) => ({ ip, nodeName }));
  const unready = [{ ip: pods[3].ip, nodeName: 'node-a' }];

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    for (const p of pods) backends.push((await httpBackend(p.name, p.ip, POD_PORT)).server);
    procs.push(startProxy(cp, 'proxy-cluster-ips', ['--cluster-ips']));
    procs.push(startProxy(cp, 'proxy-node-a', ['--node-name', 'node-a', '--node-ip', nodeA]));
    procs.push(startProxy(cp, 'proxy-node-b', ['--node-name', 'node-b', '--node-ip', nodeB]));
    await eventually(async () => (await proxyHealthy(nodeA)) && (await proxyHealthy(nodeB)), 'both node proxies healthy');
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGTERM')));
    await Promise.all(backends.map(closeServer));
    await cp?.stop();
  });

  const services = () => res<Service>(cp.natsClient, 'services');
  const endpointsApi = () => res<Endpoints>(cp.natsClient, 'endpoints');

  /** Which pod answered each of `n` sequential requests, counted by name. */
  async function spread(host: string, port: number, n: number, localAddress?: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const name = (await get(host, port, { localAddress })).body.split(' ')[0];
      counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
  }

  it('spreads requests to a ClusterIP over every ready endpoint, and follows Endpoints changes', async () => {
    const ns = await namespace(cp.natsClient, 'cip');
    const svc = await services().create(service(ns, 'web', { ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    await endpointsApi().create(endpoints(ns, 'web', { name: 'http', port: POD_PORT }, ready, unready));
    const ip = svc.spec!.clusterIP!;
    await eventually(() => get(ip, 80).then((r) => r.status === 200), `an answer on ${ip}:80`);

    expect(await spread(ip, 80, 30)).toEqual({ 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 });

    await endpointsApi().update({ ...(await endpointsApi().get(ns, 'web')), subsets: [{ addresses: ready.slice(1), ports: [{ name: 'http', port: POD_PORT }] }] });
    await eventually(async () => !('pod-1' in (await spread(ip, 80, 6))), 'pod-1 dropped');
    expect(await spread(ip, 80, 20)).toEqual({ 'pod-2': 10, 'pod-3': 10 });
  });

  it('keeps each client on one endpoint with sessionAffinity ClientIP', async () => {
    const ns = await namespace(cp.natsClient, 'aff');
    const svc = await services().create(service(ns, 'sticky', { sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 8000, targetPort: 'web' }] }));
    await endpointsApi().create(endpoints(ns, 'sticky', { name: 'http', port: POD_PORT }, ready));
    const ip = svc.spec!.clusterIP!;
    await eventually(() => get(ip, 8000).then((r) => r.status === 200), `an answer on ${ip}:8000`);
    const clients = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
    const chosen = new Set<string>();
    for (const client of clients) {
      const counts = await spread(ip, 8000, 5, client);
      expect(Object.values(counts)).toEqual([5]);
      chosen.add(Object.keys(counts)[0]);
    }
    expect(chosen.size).toBeGreaterThan(1);
    // No SNAT on a ClusterIP: the pod sees who connected.
    expect((await get(ip, 8000, { localAddress: '127.0.0.7' })).body).toMatch(/ 127\.0\.0\.7$/);
  });

  it('answers a NodePort on every node proxy, also on a node running none of the endpoints', async () => {
    const ns = await namespace(cp.natsClient, 'np');
    const svc = await services().create(service(ns, 'web', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    await endpointsApi().create(endpoints(ns, 'web', { name: 'http', port: POD_PORT }, ready));
    const nodePort = svc.spec!.ports![0].nodePort!;
    for (const node of [nodeA, nodeB]) {
      await eventually(() => get(node, nodePort).then((r) => r.status === 200), `an answer on ${node}:${nodePort}`);
      const replies = await Promise.all([0, 1, 2].map(() => get(node, nodePort)));
      // The pods see the node's address, as behind kube-proxy's SNAT for externalTrafficPolicy Cluster.
      for (const r of replies) expect(r.body).toMatch(new RegExp(`^pod-[123] ${node.replace(/\./g, '\\.')}$`));
    }
    expect(Object.keys(await spread(nodeB, nodePort, 9)).sort()).toEqual(['pod-1', 'pod-2', 'pod-3']);
  });

  it('with externalTrafficPolicy Local, serves a NodePort only on nodes with a local endpoint', async () => {
    const ns = await namespace(cp.natsClient, 'local');
    const svc = await services().create(service(ns, 'web', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    await endpointsApi().create(endpoints(ns, 'web', { name: 'http', port: POD_PORT }, ready.slice(0, 1)));
    const nodePort = svc.spec!.ports![0].nodePort!;
    await eventually(() => get(nodeA, nodePort).then((r) => r.status === 200), `an answer on node-a:${nodePort}`);
    // No SNAT with Local: the pod sees the client's own address.
    expect((await get(nodeA, nodePort, { localAddress: '127.0.0.9' })).body).toBe('pod-1 127.0.0.9');
    expect(await connectOutcome(nodeB, nodePort)).toBe('ECONNREFUSED');

    // The endpoint moves to node-b: node-a refuses, node-b answers.
    await endpointsApi().update({ ...(await endpointsApi().get(ns, 'web')), subsets: [{ addresses: [{ ip: pods[0].ip, nodeName: 'node-b' }], ports: [{ name: 'http', port: POD_PORT }] }] });
    await eventually(async () => (await connectOutcome(nodeA, nodePort)) === 'ECONNREFUSED', 'node-a refusing');
    await eventually(() => get(nodeB, nodePort).then((r) => r.status === 200), `an answer on node-b:${nodePort}`);
  });

  it('stops listening when a Service is deleted', async () => {
    const ns = await namespace(cp.natsClient, 'del');
    const svc = await services().create(service(ns, 'web', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    await endpointsApi().create(endpoints(ns, 'web', { name: 'http', port: POD_PORT }, ready));
    const [ip, nodePort] = [svc.spec!.clusterIP!, svc.spec!.ports![0].nodePort!];
    await eventually(() => get(ip, 80).then((r) => r.status === 200), 'the ClusterIP answering');
    await eventually(() => get(nodeA, nodePort).then((r) => r.status === 200), 'the NodePort answering');
    await services().delete(ns, 'web');
    await eventually(async () => (await connectOutcome(ip, 80)) === 'ECONNREFUSED', 'the ClusterIP refusing');
    await eventually(async () => (await connectOutcome(nodeA, nodePort)) === 'ECONNREFUSED', 'the NodePort refusing');
  });

  it('reports healthy on the node IP at :10256/healthz, as kube-proxy does', async () => {
    const r = await get(nodeA, 10256, { path: '/healthz' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ nodeName: 'node-a', nodeHealthy: true });
  });
});
