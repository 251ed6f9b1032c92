import { describe, expect, it } from 'vitest';
import type { Endpoints, Node, Service } from '@kubesim/api';
import { lbListenerSpecs, readyNodes, wantsLoadBalancer } from '@kubesim/lb';

function node(name: string, ip: string | undefined, ready: string, extra: Partial<Node['metadata']> = {}): Node {
  return {
    metadata: { name, ...extra },
    status: {
      conditions: [{ type: 'Ready', status: ready }],
      addresses: ip ? [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] : [],
    },
  };
}

const NODES = [node('node-1', '127.1.0.1', 'True'), node('node-2', '127.1.0.2', 'True'), node('node-3', '127.1.0.3', 'True')];

function lbService(spec: Partial<NonNullable<Service['spec']>> = {}): Service {
  return {
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      type: 'LoadBalancer',
      clusterIP: '127.128.0.9',
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 31000 },
        { name: 'dns', port: 53, protocol: 'UDP', nodePort: 31053 },
      ],
      ...spec,
    },
  };
}

describe('readyNodes', () => {
  it('keeps Ready nodes with an InternalIP, by name', () => {
    const got = readyNodes([
      node('node-3', '127.1.0.3', 'True'),
      node('node-1', '127.1.0.1', 'True'),
      node('node-2', '127.1.0.2', 'Unknown'),
      node('node-4', undefined, 'True'),
      node('node-5', '127.1.0.5', 'False'),
      node('node-6', '127.1.0.6', 'True', { deletionTimestamp: '2024-01-01T00:00:00Z' }),
    ]);
    expect(got).toEqual([
      { name: 'node-1', ip: '127.1.0.1' },
      { name: 'node-3', ip: '127.1.0.3' },
    ]);
  });
});

describe('wantsLoadBalancer', () => {
  it.each([
    { name: 'a LoadBalancer Service', spec: {}, want: true },
    { name: 'one with another implementation\'s class', spec: { loadBalancerClass: 'example.com/lb' }, want: false },
    { name: 'a NodePort Service', spec: { type: 'NodePort' }, want: false },
  ])('$name: $want', ({ spec, want }) => {
    expect(wantsLoadBalancer(lbService(spec))).toBe(want);
  });
});

describe('lbListenerSpecs', () => {
  const eps: Endpoints = {
    metadata: { name: 'web', namespace: 'shop' },
    subsets: [{ addresses: [{ ip: '127.64.2.5', nodeName: 'node-2' }], ports: [{ name: 'http', port: 8080 }] }],
  };

  it('listens on the external address at each TCP port and spreads over every node\'s NodePort', () => {
    const [spec, ...rest] = lbListenerSpecs(lbService(), '127.200.0.1', readyNodes(NODES), eps);
    expect(rest).toEqual([]);
    expect(spec).toMatchObject({ key: '127.200.0.1:80', host: '127.200.0.1', port: 80, affinitySeconds: 0, name: 'shop/web:http (loadBalancer)' });
    expect(spec.backends).toEqual([
      { host: '127.1.0.1', port: 31000, nodeName: 'node-1' },
      { host: '127.1.0.2', port: 31000, nodeName: 'node-2' },
      { host: '127.1.0.3', port: 31000, nodeName: 'node-3' },
    ]);
  });

  it('sends externalTrafficPolicy Local traffic only to nodes with a ready endpoint', () => {
    const [spec] = lbListenerSpecs(lbService({ externalTrafficPolicy: 'Local' }), '127.200.0.1', readyNodes(NODES), eps);
    expect(spec.backends.map((b) => b.nodeName)).toEqual(['node-2']);
  });

  it('carries ClientIP affinity to the node choice', () => {
    const svc = lbService({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } });
    expect(lbListenerSpecs(svc, '127.200.0.1', readyNodes(NODES), eps)[0].affinitySeconds).toBe(600);
  });

  it('has nothing to spread over without nodePorts', () => {
    const svc = lbService({ allocateLoadBalancerNodePorts: false, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    expect(lbListenerSpecs(svc, '127.200.0.1', readyNodes(NODES), eps)).toEqual([]);
  });
});
