/**
 * The pure part of the Endpoints controller: from a Service and the pods its selector matches,
 * the Endpoints subsets Kubernetes would write (pkg/controller/endpoint): ready pods under
 * `addresses`, not-ready ones under `notReadyAddresses`, named target ports resolved per pod,
 * pods grouped into one subset per distinct port list, addresses sorted by IP.
 */
import type { DeepReadonly, Pod, Service } from '@kubesim/api';

export interface EndpointAddress {
  ip: string;
  nodeName?: string;
  hostname?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports: EndpointPort[];
}

type PodView = DeepReadonly<Pod>;
type ServiceView = DeepReadonly<Service>;

/** True when the pod should appear at all: it has an IP, is not finished and not being deleted. */
export function podServes(pod: PodView, publishNotReady: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false;
  return publishNotReady || !pod.metadata.deletionTimestamp;
}

/** The pod's Ready condition. */
export function podReady(pod: PodView): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The port a Service port targets on this pod, or undefined when a named port is not declared. */
export function resolveTargetPort(svcPort: DeepReadonly<NonNullable<NonNullable<Service['spec']>['ports']>[number]>, pod: PodView): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** The subsets for `svc` from the pods its selector selected. */
export function buildSubsets(svc: ServiceView, pods: readonly PodView[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, EndpointSubset>();
  for (const pod of pods) {
    if (!podServes(pod, publishNotReady)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' });
    }
    if ((svc.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    const key = JSON.stringify(ports);
    let subset = groups.get(key);
    if (!subset) groups.set(key, (subset = { ports }));
    const address: EndpointAddress = {
      ip: pod.status!.podIP!,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      ...(pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
    };
    const ready = publishNotReady || podReady(pod);
    const list = ready ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= []);
    list.push(address);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) => ipOrder(a.ip) - ipOrder(b.ip);
  for (const s of groups.values()) {
    s.addresses?.sort(byIp);
    s.notReadyAddresses?.sort(byIp);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

function ipOrder(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
