/**
 * kubesim-lb and three node proxies as real processes against a real control plane. The test
 * registers the Nodes and writes the Endpoints itself; the "pods" are HTTP servers on pod
 * addresses answering `<pod> <address the connection came from>`, which names the node proxy
 * that forwarded it (node proxies connect from their node IP).
 */
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoints, Event, Node, Service } from '@kubesim/api';
import { inRange, parseRange } from '@kubesim/lb';
import { TestControlPlane, type TestProcess } from '@kubesim/testing';
import { closeServer, connectOutcome, eventually, get, httpBackend } from './helpers.js';
import { endpoints, namespace, proxyHealthy, readyNode, res, service, startLb, startProxy, suiteAddresses } from './harness.js';

const POD_PORT = 8080;
const NODES = ['node-1', 'node-2', 'node-3'];

interface Outcome {
  start: number;
  ok: boolean;
  /** The node whose proxy carried the request, for answered ones. */
  node?: string;
}

describe('kubesim-lb', () => {
  const addr = suiteAddresses();
  const range = parseRange(addr.lbRange);
  const nodeIPs = new Map(NODES.map((n, i) => [n, addr.nodeIP(i + 1)]));
  const nodeByIP = new Map([...nodeIPs].map(([n, ip]) => [ip, n]));
  const pods = NODES.map((node, i) => ({ name: `pod-${i + 1}`, ip: addr.podIP(21 + i), nodeName: node }));
  let cp: TestControlPlane;
  let lb: TestProcess;
  const proxies = new Map<string, TestProcess>();
  const backends: http.Server[] = [];

  const startNodeProxy = (node: string) => proxies.set(node, startProxy(cp, `proxy-${node}`, ['--node-name', node, '--node-ip', nodeIPs.get(node)!]));

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    for (const [name, ip] of nodeIPs) await res<Node>(cp.natsClient, 'nodes').create(readyNode(name, ip));
    for (const p of pods) backends.push((await httpBackend(p.name, p.ip, POD_PORT)).server);
    NODES.forEach(startNodeProxy);
    lb = startLb(cp, range.cidr);
    await eventually(async () => (await Promise.all([...nodeIPs.values()].map(proxyHealthy))).every(Boolean), 'the node proxies healthy');
  });

  afterAll(async () => {
    for (const p of proxies.values()) if (p.running) process.kill(p.pid, 'SIGCONT');
    await Promise.all([lb, ...proxies.values()].map((p) => p?.kill('SIGTERM')));
    await Promise.all(backends.map(closeServer));
    await cp?.stop();
  });

  const services = () => res<Service>(cp.natsClient, 'services');

  /** Creates a LoadBalancer Service with the three pods as endpoints; resolves with its external IP once it answers. */
  async function loadBalanced(ns: string, name: string): Promise<string> {
    await services().create(service(ns, name, { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    await res<Endpoints>(cp.natsClient, 'endpoints').create(endpoints(ns, name, { name: 'http', port: POD_PORT }, pods.map(({ ip, nodeName }) => ({ ip, nodeName }))));
    const ip = await externalIP(ns, name);
    await eventually(() => get(ip, 80).then((r) => r.status === 200), `an answer on ${ip}:80`);
    return ip;
  }

  function externalIP(ns: string, name: string): Promise<string> {
    return eventually(async () => (await services().get(ns, name)).status?.loadBalancer?.ingress?.[0]?.ip, `${ns}/${name} to get an external IP`);
  }

  /** `n` sequential requests on new connections; `at(i)` runs before request i. */
  async function traffic(ip: string, n: number, at: (i: number) => void, timeoutMs: number): Promise<Outcome[]> {
    const out: Outcome[] = [];
    for (let i = 0; i < n; i++) {
      at(i);
      const start = Date.now();
      try {
        const r = await get(ip, 80, { timeoutMs });
        out.push({ start, ok: r.status === 200, node: nodeByIP.get(r.body.split(' ')[1]) });
      } catch {
        out.push({ start, ok: false });
      }
    }
    return out;
  }

  function successRate(label: string, outcomes: Outcome[]): number {
    const ok = outcomes.filter((o) => o.ok).length;
    const rate = ok / outcomes.length;
    console.log(`${label}: ${ok}/${outcomes.length} requests served (${(rate * 100).toFixed(2)}%)`);
    return rate;
  }

  /** Resolves once a request through the load balancer is carried by `node`. */
  const servedVia = (ip: string, node: string) => eventually(async () => (await traffic(ip, 6, () => undefined, 2000)).some((o) => o.node === node), `traffic through ${node}`);

  it('gives a LoadBalancer Service an EXTERNAL-IP from its range and spreads its traffic over every node', async () => {
    const ns = await namespace(cp.natsClient, 'lb');
    const ip = await loadBalanced(ns, 'web');
    expect(inRange(range, ip)).toBe(true);
    const outcomes = await traffic(ip, 30, () => undefined, 5000);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(new Set(outcomes.map((o) => o.node))).toEqual(new Set(NODES));
    await eventually(async () => {
      const reasons = (await res<Event>(cp.natsClient, 'events').list({ namespace: ns })).items.map((e) => e.reason);
      return reasons.includes('EnsuringLoadBalancer') && reasons.includes('EnsuredLoadBalancer');
    }, 'the EnsuringLoadBalancer and EnsuredLoadBalancer events');
  });

  it('with externalTrafficPolicy Local, sends traffic only to nodes running an endpoint, and the pod sees the client', async () => {
    const ns = await namespace(cp.natsClient, 'local');
    await services().create(service(ns, 'web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    await res<Endpoints>(cp.natsClient, 'endpoints').create(endpoints(ns, 'web', { name: 'http', port: POD_PORT }, [{ ip: pods[1].ip, nodeName: 'node-2' }]));
    const ip = await externalIP(ns, 'web');
    await eventually(() => get(ip, 80).then((r) => r.status === 200), `an answer on ${ip}:80`);
    for (let i = 0; i < 9; i++) expect((await get(ip, 80, { localAddress: '127.0.0.42' })).body).toBe('pod-2 127.0.0.42');
  });

  it('keeps external addresses across a restart, and releases one when the Service stops being a LoadBalancer', async () => {
    const ns = await namespace(cp.natsClient, 'keep');
    const [a, b] = [await loadBalanced(ns, 'a'), await loadBalanced(ns, 'b')];
    expect(a).not.toBe(b);
    await lb.kill('SIGKILL');
    lb = startLb(cp, range.cidr);
    await eventually(async () => (await connectOutcome(a, 80)) === 'connected', 'the restarted load balancer listening');
    expect([await externalIP(ns, 'a'), await externalIP(ns, 'b')]).toEqual([a, b]);
    expect((await get(b, 80)).status).toBe(200);

    // The fields only external Services may have go with the type (the apiserver keeps them otherwise).
    await services().patch(ns, 'b', 'merge', { spec: { type: 'ClusterIP', externalTrafficPolicy: null, allocateLoadBalancerNodePorts: null } });
    await eventually(async () => !(await services().get(ns, 'b')).status?.loadBalancer?.ingress, 'the ingress cleared');
    await eventually(async () => (await connectOutcome(b, 80)) === 'ECONNREFUSED', `${b}:80 refusing`);
    expect((await get(a, 80)).status).toBe(200);
  });

  it('keeps serving through a SIGKILL of a node proxy, and takes the node back once its proxy returns', async () => {
    const ip = await loadBalanced(await namespace(cp.natsClient, 'kill'), 'web');
    const victim = proxies.get('node-3')!;
    const outcomes = await traffic(ip, 3000, (i) => i === 1000 && process.kill(victim.pid, 'SIGKILL'), 5000);
    expect(successRate('SIGKILL of the node-3 proxy', outcomes)).toBeGreaterThanOrEqual(0.999);
    expect(outcomes.slice(1001).some((o) => o.node === 'node-3')).toBe(false);
    await victim.exited;
    startNodeProxy('node-3');
    await servedVia(ip, 'node-3');
  });

  it('keeps serving through a SIGSTOP of a node proxy: the stopped node is taken out, and back after SIGCONT', async () => {
    const ip = await loadBalanced(await namespace(cp.natsClient, 'stop'), 'web');
    const victim = proxies.get('node-2')!;
    let stoppedAt = Infinity;
    let continuedAt = Infinity;
    let continued!: Promise<void>;
    const outcomes = await traffic(
      ip,
      3000,
      (i) => {
        if (i !== 1000) return;
        process.kill(victim.pid, 'SIGSTOP');
        stoppedAt = Date.now();
        continued = new Promise((resolve) =>
          setTimeout(() => {
            process.kill(victim.pid, 'SIGCONT');
            continuedAt = Date.now();
            resolve();
          }, 5000),
        );
      },
      3000,
    );
    await continued;
    expect(successRate('SIGSTOP of the node-2 proxy for 5 s', outcomes)).toBeGreaterThanOrEqual(0.999);
    // Only requests sent before the health checks caught up can have met the frozen proxy.
    const caughtUp = stoppedAt + 3000;
    expect(outcomes.filter((o) => !o.ok && o.start >= caughtUp)).toEqual([]);
    const whileOut = outcomes.filter((o) => o.start >= caughtUp && o.start < continuedAt);
    expect(whileOut.length).toBeGreaterThan(0);
    expect(whileOut.every((o) => o.ok && o.node !== 'node-2')).toBe(true);
    await servedVia(ip, 'node-2');
  });
});
