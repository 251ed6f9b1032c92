/**
 * Finding what a Service, endpoint or Pod name stands for in the cluster state, the way CoreDNS's
 * kubernetes plugin does (plugin/kubernetes/kubernetes.go findServices, findPods).
 */
import type { DeepReadonly, EndpointAddress, Endpoints, Pod, Service } from '@kubesim/api';
import { clusterIps, podIps, type ClusterView } from '../cluster-view.js';
import { dashedIp, undashIpv4 } from './parse.js';

/** One address a name stands for, with the port it was found with (if any) and its SRV target. */
export interface Target {
  ip: string;
  port?: number;
  /** The host name that points at `ip`, for SRV targets and their additional records. */
  host: string;
}

/** What a Service name resolves to. */
export type ServiceLookup =
  | { kind: 'none' }
  | { kind: 'external'; name: string }
  | { kind: 'targets'; targets: Target[] };

/** Narrows a lookup: an empty `port` or `protocol` matches every port; `endpoint` picks addresses. */
export interface ServiceFilter {
  port?: string;
  protocol?: string;
  endpoint?: string;
}

/** How `pod.<domain>` names are answered, as CoreDNS's `pods` option. */
export type PodMode = 'verified' | 'insecure' | 'disabled';

/**
 * The targets of `<svc>.<ns>.svc.<domain>` and the names under it. A ClusterIP service stands
 * for its clusterIPs, a headless one (and any endpoint name) for its ready endpoint addresses, an
 * ExternalName one for its external name (never with a port or endpoint). No match is `none`,
 * which the zone answers with NXDOMAIN.
 */
export function lookupService(view: ClusterView, namespace: string, name: string, filter: ServiceFilter, domain: string): ServiceLookup {
  const svc = view.service(namespace, name);
  if (!svc?.spec) return { kind: 'none' };
  const serviceHost = `${name}.${namespace}.svc.${domain}`;
  if (svc.spec.type === 'ExternalName') {
    const external = svc.spec.externalName?.replace(/\.$/, '') ?? '';
    // CoreDNS answers only names; an address there is not a CNAME target.
    if (filter.port || filter.protocol || filter.endpoint || !external || /^[\d.]+$|:/.test(external)) return { kind: 'none' };
    return { kind: 'external', name: external.toLowerCase() };
  }
  const headless = clusterIps(svc).length === 0;
  let targets: Target[];
  if (headless || filter.endpoint) {
    targets = endpointTargets(view, svc, filter, serviceHost);
    if (filter.endpoint && headless) targets.push(...hostnamePodTargets(view, svc, filter, serviceHost));
  } else {
    targets = clusterIpTargets(svc, filter, serviceHost);
  }
  return targets.length > 0 ? { kind: 'targets', targets: unique(targets) } : { kind: 'none' };
}

function clusterIpTargets(svc: DeepReadonly<Service>, filter: ServiceFilter, host: string): Target[] {
  const ports = svc.spec?.ports ?? [];
  const ips = clusterIps(svc);
  if (ports.length === 0) return filter.port || filter.protocol ? [] : ips.map((ip) => ({ ip, host }));
  const matching = ports.filter((p) => portMatches(filter, p.name, p.protocol));
  return matching.flatMap((p) => ips.map((ip) => ({ ip, port: p.port, host })));
}

/** Ready addresses of the Service's Endpoints (one per address and matching port). */
function endpointTargets(view: ClusterView, svc: DeepReadonly<Service>, filter: ServiceFilter, serviceHost: string): Target[] {
  const namespace = svc.metadata.namespace ?? '';
  const ep: DeepReadonly<Endpoints> | undefined = view.endpoints(namespace, svc.metadata.name ?? '');
  const targets: Target[] = [];
  for (const subset of ep?.subsets ?? []) {
    const ports = subset.ports ?? [];
    const matching = ports.filter((p) => portMatches(filter, p.name, p.protocol));
    // A subset without ports still names its addresses (a headless Service without ports).
    const usable: (number | undefined)[] = ports.length === 0 ? (filter.port || filter.protocol ? [] : [undefined]) : matching.map((p) => p.port);
    for (const addr of subset.addresses ?? []) {
      const label = endpointHostname(view, namespace, svc.metadata.name ?? '', addr);
      if (filter.endpoint && label.toLowerCase() !== filter.endpoint) continue;
      for (const port of usable) targets.push({ ip: addr.ip, port, host: `${label.toLowerCase()}.${serviceHost}` });
    }
  }
  return targets;
}

/**
 * Pods that claim `<hostname>.<subdomain>` with spec.hostname and spec.subdomain, for a headless
 * Service named after the subdomain; ready ones only unless the Service publishes not-ready
 * addresses. Their Endpoints say the same once an endpoints controller has written them.
 */
function hostnamePodTargets(view: ClusterView, svc: DeepReadonly<Service>, filter: ServiceFilter, serviceHost: string): Target[] {
  if (filter.port || filter.protocol || !filter.endpoint) return [];
  const namespace = svc.metadata.namespace ?? '';
  const pods = view.podsWithHostname(namespace, svc.metadata.name ?? '', filter.endpoint);
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  return pods
    .filter((p) => !p.metadata.deletionTimestamp && (publishNotReady || podReady(p)))
    .flatMap((p) => podIps(p).map((ip) => ({ ip, host: `${filter.endpoint}.${serviceHost}` })));
}

/**
 * The label an endpoint address goes by: its hostname, else the hostname of the Pod it points
 * to when that Pod's subdomain is the Service (what the endpoints controller would have set),
 * else its IP with dashes.
 */
export function endpointHostname(view: ClusterView, namespace: string, service: string, addr: DeepReadonly<EndpointAddress>): string {
  if (addr.hostname) return addr.hostname;
  const ref = addr.targetRef;
  if (ref?.kind === 'Pod' && ref.name) {
    const pod = view.pod(ref.namespace ?? namespace, ref.name);
    if (pod?.spec?.hostname && pod.spec.subdomain === service) return pod.spec.hostname;
  }
  return dashedIp(addr.ip);
}

/**
 * The address of `<a-b-c-d>.<ns>.pod.<domain>`, or undefined (NXDOMAIN). `verified` needs a
 * live Pod with that IP in that namespace; `insecure` only a known namespace.
 */
export function lookupPod(view: ClusterView, namespace: string, label: string, mode: PodMode): string | undefined {
  if (mode === 'disabled') return undefined;
  const ip = undashIpv4(label);
  if (!ip) return undefined;
  if (mode === 'insecure') return view.hasNamespace(namespace) ? ip : undefined;
  const live = view.podsWithIp(ip).some((p) => p.metadata.namespace === namespace && !p.metadata.deletionTimestamp);
  return live ? ip : undefined;
}

/** The names whose address is `ip`: Services by clusterIP, then endpoint names by address. */
export function reverseNames(view: ClusterView, ip: string, domain: string): string[] {
  const names = view.servicesWithClusterIp(ip).map((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.${domain}`);
  for (const ep of view.endpointsWithAddress(ip)) {
    const namespace = ep.metadata.namespace ?? '';
    const service = ep.metadata.name ?? '';
    for (const addr of (ep.subsets ?? []).flatMap((s) => s.addresses ?? []).filter((a) => a.ip === ip)) {
      names.push(`${endpointHostname(view, namespace, service, addr).toLowerCase()}.${service}.${namespace}.svc.${domain}`);
    }
  }
  return [...new Set(names)];
}

function portMatches(filter: ServiceFilter, name: string | undefined, protocol: string | undefined): boolean {
  if (filter.port && (name ?? '').toLowerCase() !== filter.port) return false;
  if (filter.protocol && (protocol ?? 'TCP').toLowerCase() !== filter.protocol) return false;
  return true;
}

function podReady(pod: DeepReadonly<Pod>): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function unique(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.ip}|${t.port ?? ''}|${t.host}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
