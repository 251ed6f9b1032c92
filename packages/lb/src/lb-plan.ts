/**
 * What the load balancer does for one Service, as pure functions of the API objects: whether
 * the Service is its to serve, which nodes can take traffic, and the listeners on the external
 * address.
 */
import type { DeepReadonly, Endpoints, Node, Service } from '@kubesim/api';
import { affinitySeconds, endpointsFor, type ListenerSpec } from './endpoints.js';
import { inRange, type AddressRange } from './ip-range.js';

/** A node that can receive load-balanced traffic on its NodePorts. */
export interface LbNode {
  name: string;
  ip: string;
}

type Svc = DeepReadonly<Service>;

/** LoadBalancer Services without a `loadBalancerClass` (another implementation's) are ours. */
export function wantsLoadBalancer(svc: Svc): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

/** The first ingress IP in the Service's status, if any. */
export function ingressIP(svc: Svc): string | undefined {
  return svc.status?.loadBalancer?.ingress?.find((i) => i.ip)?.ip;
}

/** True when the status shows an address of ours (so only we may clear it). */
export function hasOurIngress(svc: Svc, range: AddressRange): boolean {
  return (svc.status?.loadBalancer?.ingress ?? []).some((i) => inRange(range, i.ip));
}

/** Nodes whose Ready condition is True and that have an InternalIP, by name. */
export function readyNodes(nodes: readonly DeepReadonly<Node>[]): LbNode[] {
  const out: LbNode[] = [];
  for (const n of nodes) {
    const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (ready && ip && !n.metadata.deletionTimestamp) out.push({ name: n.metadata.name!, ip });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The listeners at `ip` for each TCP port with a nodePort, spreading over `nodes`' NodePorts.
 * With `externalTrafficPolicy: Local` only nodes running a ready endpoint get traffic, as a
 * cloud load balancer learns from the healthCheckNodePort.
 */
export function lbListenerSpecs(svc: Svc, ip: string, nodes: readonly LbNode[], endpoints: DeepReadonly<Endpoints> | undefined): ListenerSpec[] {
  const id = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
  const out: ListenerSpec[] = [];
  for (const p of svc.spec?.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP' || !p.nodePort) continue;
    let targets = nodes;
    if (svc.spec?.externalTrafficPolicy === 'Local') {
      const local = new Set(endpointsFor(p, endpoints).map((b) => b.nodeName));
      targets = nodes.filter((n) => local.has(n.name));
    }
    out.push({
      key: `${ip}:${p.port}`,
      host: ip,
      port: p.port,
      backends: targets.map((n) => ({ host: n.ip, port: p.nodePort!, nodeName: n.name })),
      affinitySeconds: affinitySeconds(svc),
      name: `${id}:${p.name || p.port} (loadBalancer)`,
      // Nodes see the client's address, as behind a passthrough cloud load balancer.
      source: 'client',
    });
  }
  return out;
}
