import { describe, expect, it } from 'vitest';
import type { Endpoints, Service, ServicePort } from '@kubesim/api';
import { affinitySeconds, endpointsFor, listenerSpecs, type ProxyScope } from '@kubesim/lb';

function svc(spec: Service['spec'], name = 'web'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

/** Endpoints as the endpoints controller writes them: named ports carry the resolved numbers. */
const EPS: Endpoints = {
  metadata: { name: 'web', namespace: 'default' },
  subsets: [
    {
      addresses: [
        { ip: '127.64.1.2', nodeName: 'node-1' },
        { ip: '127.64.2.2', nodeName: 'node-2' },
      ],
      notReadyAddresses: [{ ip: '127.64.3.2', nodeName: 'node-3' }],
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'metrics', port: 9090, protocol: 'TCP' },
      ],
    },
    // Pods whose named port "http" resolves to another number form their own subset.
    { addresses: [{ ip: '127.64.1.3', nodeName: 'node-1' }], ports: [{ name: 'http', port: 8081, protocol: 'TCP' }] },
  ],
};

const hostPorts = (bs: { host: string; port: number }[]) => bs.map((b) => `${b.host}:${b.port}`);

describe('endpointsFor', () => {
  it.each<{ name: string; port: ServicePort; eps?: Endpoints; want: string[] }>([
    {
      name: 'a named targetPort: the Endpoints port of the same name, per subset',
      port: { name: 'http', port: 80, targetPort: 'web' },
      eps: EPS,
      want: ['127.64.1.2:8080', '127.64.2.2:8080', '127.64.1.3:8081'],
    },
    { name: 'another port name picks its own numbers', port: { name: 'metrics', port: 9000, targetPort: 9090 }, eps: EPS, want: ['127.64.1.2:9090', '127.64.2.2:9090'] },
    { name: 'a name the Endpoints lack gives nothing', port: { name: 'admin', port: 81 }, eps: EPS, want: [] },
    {
      name: 'an unnamed single port matches the unnamed Endpoints port',
      port: { port: 80, targetPort: 8080 },
      eps: { metadata: { name: 'x' }, subsets: [{ addresses: [{ ip: '127.64.1.9' }], ports: [{ port: 8080 }] }] },
      want: ['127.64.1.9:8080'],
    },
    {
      name: 'protocols must agree',
      port: { name: 'dns', port: 53, protocol: 'UDP' },
      eps: { metadata: { name: 'x' }, subsets: [{ addresses: [{ ip: '127.64.1.9' }], ports: [{ name: 'dns', port: 53, protocol: 'TCP' }] }] },
      want: [],
    },
    { name: 'no Endpoints object gives nothing', port: { name: 'http', port: 80 }, want: [] },
  ])('$name', ({ port, eps, want }) => {
    expect(hostPorts(endpointsFor(port, eps))).toEqual(want);
  });

  it('keeps the node of each address and never uses notReadyAddresses', () => {
    const got = endpointsFor({ name: 'http', port: 80 }, EPS);
    expect(got.map((b) => b.nodeName)).toEqual(['node-1', 'node-2', 'node-1']);
    expect(got.some((b) => b.host === '127.64.3.2')).toBe(false);
  });
});

describe('listenerSpecs', () => {
  const clusterOnly: ProxyScope = { clusterIPs: true };
  const node1: ProxyScope = { clusterIPs: false, nodeName: 'node-1', nodeIP: '127.1.0.1' };
  const node3: ProxyScope = { clusterIPs: false, nodeName: 'node-3', nodeIP: '127.1.0.3' };
  const ports: ServicePort[] = [
    { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP', nodePort: 30080 },
    { name: 'metrics', port: 9000, targetPort: 9090, protocol: 'TCP', nodePort: 30090 },
  ];
  const summary = (specs: ReturnType<typeof listenerSpecs>) => specs.map((s) => `${s.key} -> ${hostPorts(s.backends).join(',') || 'refuse'}`);

  it.each<{ name: string; service: Service; scope: ProxyScope; want: string[] }>([
    {
      name: 'a ClusterIP Service is listened on at its ClusterIP, each port',
      service: svc({ type: 'ClusterIP', clusterIP: '127.128.0.10', ports: ports.map(({ nodePort, ...p }) => p) }),
      scope: clusterOnly,
      want: ['127.128.0.10:80 -> 127.64.1.2:8080,127.64.2.2:8080,127.64.1.3:8081', '127.128.0.10:9000 -> 127.64.1.2:9090,127.64.2.2:9090'],
    },
    { name: 'a node proxy leaves ClusterIPs alone', service: svc({ type: 'ClusterIP', clusterIP: '127.128.0.10', ports: [ports[0]] }), scope: node1, want: [] },
    { name: 'a headless Service gets nothing', service: svc({ type: 'ClusterIP', clusterIP: 'None', ports: [ports[0]] }), scope: clusterOnly, want: [] },
    { name: 'an ExternalName Service gets nothing', service: svc({ type: 'ExternalName', externalName: 'example.com' }), scope: { ...node1, clusterIPs: true }, want: [] },
    {
      name: 'a NodePort Service is listened on at the node IP, with endpoints on any node',
      service: svc({ type: 'NodePort', clusterIP: '127.128.0.10', externalTrafficPolicy: 'Cluster', ports }),
      scope: node3,
      want: ['127.1.0.3:30080 -> 127.64.1.2:8080,127.64.2.2:8080,127.64.1.3:8081', '127.1.0.3:30090 -> 127.64.1.2:9090,127.64.2.2:9090'],
    },
    {
      name: 'both scopes in one process give both listeners',
      service: svc({ type: 'LoadBalancer', clusterIP: '127.128.0.10', ports: [ports[1]] }),
      scope: { ...node1, clusterIPs: true },
      want: ['127.128.0.10:9000 -> 127.64.1.2:9090,127.64.2.2:9090', '127.1.0.1:30090 -> 127.64.1.2:9090,127.64.2.2:9090'],
    },
    {
      name: 'externalTrafficPolicy Local keeps this node\'s endpoints only',
      service: svc({ type: 'NodePort', clusterIP: '127.128.0.10', externalTrafficPolicy: 'Local', ports: [ports[0]] }),
      scope: node1,
      want: ['127.1.0.1:30080 -> 127.64.1.2:8080,127.64.1.3:8081'],
    },
    {
      name: 'externalTrafficPolicy Local on a node without endpoints refuses',
      service: svc({ type: 'NodePort', clusterIP: '127.128.0.10', externalTrafficPolicy: 'Local', ports: [ports[0]] }),
      scope: node3,
      want: ['127.1.0.3:30080 -> refuse'],
    },
    {
      name: 'internalTrafficPolicy Local narrows the ClusterIP of a node-scoped proxy',
      service: svc({ type: 'ClusterIP', clusterIP: '127.128.0.10', internalTrafficPolicy: 'Local', ports: [ports[1]] }),
      scope: { clusterIPs: true, nodeName: 'node-2', nodeIP: '127.1.0.2' },
      want: ['127.128.0.10:9000 -> 127.64.2.2:9090'],
    },
    {
      name: 'UDP ports are not proxied',
      service: svc({ type: 'NodePort', clusterIP: '127.128.0.10', ports: [{ name: 'http', port: 53, protocol: 'UDP', nodePort: 30053 }] }),
      scope: { ...node1, clusterIPs: true },
      want: [],
    },
  ])('$name', ({ service, scope, want }) => {
    expect(summary(listenerSpecs(service, EPS, scope))).toEqual(want);
  });

  it.each([
    { policy: 'Cluster', want: [['127.128.0.10:80', 'client'], ['127.1.0.1:30080', '127.1.0.1']] },
    { policy: 'Local', want: [['127.128.0.10:80', 'client'], ['127.1.0.1:30080', 'client']] },
  ])('with externalTrafficPolicy $policy, pods see the node (SNAT) or the client on a NodePort, and the client on a ClusterIP', ({ policy, want }) => {
    const specs = listenerSpecs(svc({ type: 'NodePort', clusterIP: '127.128.0.10', externalTrafficPolicy: policy, ports: [ports[0]] }), EPS, { ...node1, clusterIPs: true });
    expect(specs.map((s) => [s.key, s.source])).toEqual(want);
  });

  it('a deleted Service has no listeners', () => {
    expect(listenerSpecs(undefined, EPS, { ...node1, clusterIPs: true })).toEqual([]);
  });

  it.each([
    { name: 'None', spec: { sessionAffinity: 'None' }, want: 0 },
    { name: 'ClientIP with a timeout', spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 30 } } }, want: 30 },
    { name: 'ClientIP without one: three hours', spec: { sessionAffinity: 'ClientIP' }, want: 10800 },
  ])('affinity $name', ({ spec, want }) => {
    expect(affinitySeconds(svc({ ...spec, ports: [ports[0]] }))).toBe(want);
  });
});
