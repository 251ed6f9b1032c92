/**
 * The pure part of the EndpointSlice controller (pkg/controller/endpointslice, its reconciler):
 * from a Service, the pods its selector matches and the slices it already has, the slices to
 * create, update and delete. Pods become endpoints with ready/serving/terminating conditions;
 * pods whose ports resolve alike share slices of at most `maxPerSlice` endpoints; endpoints stay
 * in the slice they are in, new ones fill slices with room before new slices are made; a Service
 * without endpoints keeps one empty placeholder slice. IPv4 only.
 */
import type { DeepReadonly, EndpointSlice, EndpointSliceEndpoint, EndpointSlicePort, OwnerReference, Pod, Service } from '@kubesim/api';
import { canonicalJson } from './canonical-json.js';
import { podReady, podServes, resolveTargetPort } from './endpoints-build.js';

/** The label naming a slice's Service. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** The label naming a slice's manager. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** This controller's value of LABEL_MANAGED_BY. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Set (empty) on the slices of headless Services. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
/** Upstream's default `--max-endpoints-per-slice`. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

type PodView = DeepReadonly<Pod>;
type ServiceView = DeepReadonly<Service>;
type SliceView = DeepReadonly<EndpointSlice>;

/** What to write so that the Service's slices match its pods; every list may be empty. */
export interface SlicePlan {
  create: EndpointSlice[];
  /** Full objects carrying the resourceVersion they replace. */
  update: EndpointSlice[];
  delete: SliceView[];
}

/** The Service's ports as one pod serves them (named target ports resolved on that pod). */
export function endpointPorts(svc: ServiceView, pod: PodView): EndpointSlicePort[] {
  const ports: EndpointSlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) continue;
    ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return ports;
}

/**
 * The endpoint of a pod (podToEndpoint): `serving` is the pod's readiness, `terminating` its
 * deletion, and `ready` means serving and not terminating (always true with
 * publishNotReadyAddresses). Undefined when the pod has no IPv4 address.
 */
export function podToEndpoint(svc: ServiceView, pod: PodView): EndpointSliceEndpoint | undefined {
  const ip = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)].find((a) => a && !a.includes(':'));
  if (!ip) return undefined;
  const serving = podReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const hostname = pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
  return {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    ...(hostname ? { hostname: pod.spec!.hostname! } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
}

/** One group of endpoints sharing a port list, keyed by endpoint identity. */
interface PortGroup {
  ports: EndpointSlicePort[];
  endpoints: Map<string, EndpointSliceEndpoint>;
}

/** The endpoints the Service should have, grouped by their resolved port lists. */
export function desiredGroups(svc: ServiceView, pods: readonly PodView[]): Map<string, PortGroup> {
  const groups = new Map<string, PortGroup>();
  for (const pod of pods) {
    // Terminating pods stay listed (ready false, terminating true); finished ones go.
    if (!podServes(pod, true)) continue;
    const endpoint = podToEndpoint(svc, pod);
    if (!endpoint) continue;
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: new Map() }));
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }
  return groups;
}

/**
 * The labels of the Service's slices (setEndpointSliceLabels): the Service's own labels but the
 * reserved ones, the headless marker for a Service without a cluster IP, then the service name
 * and manager.
 */
export function sliceLabels(svc: ServiceView): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY && k !== LABEL_HEADLESS) labels[k] = v;
  }
  const clusterIP = svc.spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name!;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return labels;
}

/** The controller ownerReference every slice of the Service carries. */
export function sliceOwner(svc: ServiceView): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** True when the slice belongs to this Service object (not to an earlier one of the same name). */
export function ownedBy(slice: SliceView, svc: ServiceView): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.kind === 'Service' && r.uid === svc.metadata.uid);
}

/**
 * Plans the writes that make `existing` (the slices labelled with the Service's name and this
 * controller) match `pods`. Slices of another owner or address type are deleted; within each
 * port group existing slices keep the endpoints still wanted (refreshed), and the rest fill
 * slices with room first, then new slices.
 */
export function planSlices(svc: ServiceView, pods: readonly PodView[], existing: readonly SliceView[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const groups = desiredGroups(svc, pods);
  const byGroup = new Map<string, SliceView[]>();
  for (const slice of [...existing].sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''))) {
    const key = portsKey(slice.ports ?? []);
    if (!ownedBy(slice, svc) || slice.addressType !== 'IPv4' || !groups.has(key)) plan.delete.push(slice);
    else byGroup.set(key, [...(byGroup.get(key) ?? []), slice]);
  }
  for (const [key, group] of groups) planGroup(svc, group, byGroup.get(key) ?? [], maxPerSlice, plan);
  keepPlaceholder(svc, plan, existing.length);
  return plan;
}

/** Places one port group's endpoints into its existing slices and new ones. */
function planGroup(svc: ServiceView, group: PortGroup, slices: readonly SliceView[], max: number, plan: SlicePlan): void {
  const labels = sliceLabels(svc);
  const unplaced = new Map(group.endpoints);
  const kept = slices.map((slice) => {
    const endpoints: EndpointSliceEndpoint[] = [];
    for (const ep of slice.endpoints ?? []) {
      const key = endpointKey(ep);
      const want = unplaced.get(key);
      if (want && endpoints.length < max) {
        endpoints.push(want);
        unplaced.delete(key);
      }
    }
    return { slice, endpoints };
  });
  const rest = [...unplaced.values()].sort(compareEndpoints);
  for (const k of kept) while (k.endpoints.length < max && rest.length > 0) k.endpoints.push(rest.shift()!);
  for (const { slice, endpoints } of kept) {
    if (endpoints.length === 0) plan.delete.push(slice);
    else if (!sliceMatches(slice, svc, labels, group.ports, endpoints)) plan.update.push(updatedSlice(slice, svc, labels, group.ports, endpoints));
  }
  while (rest.length > 0) plan.create.push(newSlice(svc, group.ports, rest.splice(0, max)));
}

/**
 * Upstream keeps one empty slice for a Service without endpoints: when the plan would leave
 * none, one of the Service's own slices is emptied rather than deleted, or one is created.
 */
function keepPlaceholder(svc: ServiceView, plan: SlicePlan, existing: number): void {
  if (plan.create.length > 0 || plan.update.length > 0 || plan.delete.length < existing) return;
  const placeholder = plan.delete.find((s) => ownedBy(s, svc) && s.addressType === 'IPv4');
  if (!placeholder) {
    plan.create.push(newSlice(svc, [], []));
    return;
  }
  plan.delete = plan.delete.filter((s) => s !== placeholder);
  const labels = sliceLabels(svc);
  if (!sliceMatches(placeholder, svc, labels, [], [])) plan.update.push(updatedSlice(placeholder, svc, labels, [], []));
}

function newSlice(svc: ServiceView, ports: EndpointSlicePort[], endpoints: EndpointSliceEndpoint[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels: sliceLabels(svc), ownerReferences: [sliceOwner(svc)] },
    addressType: 'IPv4',
    endpoints: [...endpoints].sort(compareEndpoints),
    ports,
  };
}

function updatedSlice(slice: SliceView, svc: ServiceView, labels: Record<string, string>, ports: EndpointSlicePort[], endpoints: EndpointSliceEndpoint[]): EndpointSlice {
  const copy = structuredClone(slice) as EndpointSlice;
  copy.metadata.labels = labels;
  copy.metadata.ownerReferences = [sliceOwner(svc), ...(copy.metadata.ownerReferences ?? []).filter((r) => r.uid !== svc.metadata.uid)];
  return { ...copy, endpoints: [...endpoints].sort(compareEndpoints), ports };
}

function sliceMatches(slice: SliceView, svc: ServiceView, labels: Record<string, string>, ports: EndpointSlicePort[], endpoints: EndpointSliceEndpoint[]): boolean {
  const owner = (slice.metadata.ownerReferences ?? []).find((r) => r.uid === svc.metadata.uid);
  return (
    canonicalJson(slice.metadata.labels ?? {}) === canonicalJson(labels) &&
    canonicalJson(owner) === canonicalJson(sliceOwner(svc)) &&
    canonicalJson(slice.ports ?? []) === canonicalJson(ports) &&
    canonicalJson(slice.endpoints ?? []) === canonicalJson([...endpoints].sort(compareEndpoints))
  );
}

/** Port lists compare by content in Service order. */
function portsKey(ports: readonly DeepReadonly<EndpointSlicePort>[]): string {
  return canonicalJson(ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', appProtocol: p.appProtocol })));
}

/** An endpoint's identity: the pod it stands for, else its first address. */
function endpointKey(ep: DeepReadonly<EndpointSliceEndpoint>): string {
  return ep.targetRef?.uid ? `pod/${ep.targetRef.uid}` : `ip/${ep.addresses?.[0] ?? ''}`;
}

function compareEndpoints(a: DeepReadonly<EndpointSliceEndpoint>, b: DeepReadonly<EndpointSliceEndpoint>): number {
  return ipv4Number(a.addresses[0] ?? '') - ipv4Number(b.addresses[0] ?? '') || compareStrings(a.targetRef?.name ?? '', b.targetRef?.name ?? '');
}

function ipv4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + (Number(part) || 0), 0);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
