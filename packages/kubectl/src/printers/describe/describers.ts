/**
 * Describers for the kinds kubectl has dedicated output for (Pod, Node, Deployment, ReplicaSet,
 * Service, Namespace) and the generic fallback. Each is a pure function of the object and the
 * related objects the command fetched for it.
 */
import type { KubeObject } from '@kubesim/api';
import { goValue } from '../go-value.js';
import { addQuantities, formatQuantity, parseQuantity, type Quantity } from '../quantity.js';
import { since } from '../time.js';
import { writeContainers, writePodTemplate, writeVolumes } from './containers.js';
import {
  controllerOf,
  formatMap,
  formatTime,
  PrefixWriter,
  selectorString,
  writeAnnotations,
  writeEvents,
  writeLabels,
  writeTolerations,
  type EventLike,
} from './writer.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- objects are read as loose JSON */
type Json = any;

/** What a describer may use besides the object itself; undefined events means "not fetched". */
export interface DescribeExtras {
  events?: EventLike[];
  /** Pods owned by a ReplicaSet, or running on a Node. */
  pods?: KubeObject[];
  /** A Deployment's ReplicaSets. */
  replicaSets?: KubeObject[];
  /** A Service's Endpoints object. */
  endpoints?: KubeObject;
  /** A Node's Lease, or the error text of fetching it. */
  lease?: KubeObject | { error: string };
  now?: number;
}

/** Describes any object: the dedicated describer for its kind, else the generic one. */
export function describeObject(obj: KubeObject, extras: DescribeExtras = {}): string {
  const group = (obj.apiVersion ?? '').includes('/') ? obj.apiVersion!.split('/')[0] : '';
  const key = `${group}/${obj.kind}`;
  const fn = DESCRIBERS[key] ?? describeGeneric;
  return fn(obj as Json, extras);
}

const DESCRIBERS: Record<string, (obj: Json, x: DescribeExtras) => string> = {
  '/Pod': describePod,
  '/Node': describeNode,
  '/Service': describeService,
  '/Namespace': describeNamespace,
  '/ConfigMap': describeConfigMap,
  '/Secret': describeSecret,
  'apps/Deployment': describeDeployment,
  'apps/ReplicaSet': describeReplicaSet,
};

function describePod(pod: Json, x: DescribeExtras): string {
  const w = new PrefixWriter();
  const m = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  w.write(0, `Name:\t${m.name ?? ''}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ''}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${st.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (st.startTime) w.write(0, `Start Time:\t${formatTime(st.startTime)}\n`);
  writeLabels(w, 'Labels', m.labels);
  writeAnnotations(w, 'Annotations', m.annotations);
  if (m.deletionTimestamp && st.phase !== 'Failed' && st.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${since(m.deletionTimestamp, x.now)})\n`);
    w.write(0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${st.phase ?? ''}\n`);
  if (st.reason) w.write(0, `Reason:\t${st.reason}\n`);
  if (st.message) w.write(0, `Message:\t${st.message}\n`);
  w.write(0, `IP:\t${st.podIP ?? ''}\n`);
  if (st.podIPs?.length) {
    w.write(0, 'IPs:\n');
    for (const ip of st.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  } else w.write(0, 'IPs:\t<none>\n');
  const ctrl = controllerOf(m);
  if (ctrl) w.write(0, `Controlled By:\t${ctrl}\n`);
  if (st.nominatedNodeName) w.write(0, `NominatedNodeName:\t${st.nominatedNodeName}\n`);
  if (spec.initContainers?.length) writeContainers(w, 'Init Containers', spec.initContainers, st.initContainerStatuses, '');
  writeContainers(w, 'Containers', spec.containers, st.containerStatuses, '');
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  writeVolumes(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${st.qosClass ?? qosClass(spec)}\n`);
  writeLabels(w, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 'Tolerations', spec.tolerations);
  writeEvents(w, x.events, x.now);
  return w.toString();
}

/** The pod's QoS class from its containers' requests and limits (when status lacks it). */
function qosClass(spec: Json): string {
  const containers: Json[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && parseQuantity(req[r]).value !== parseQuantity(lim[r]).value)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function describeNode(node: Json, x: DescribeExtras): string {
  const w = new PrefixWriter();
  const m = node.metadata ?? {};
  const spec = node.spec ?? {};
  const st = node.status ?? {};
  w.write(0, `Name:\t${m.name ?? ''}\n`);
  const roles = nodeRoles(m.labels ?? {});
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  writeLabels(w, 'Labels', m.labels);
  writeAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `CreationTimestamp:\t${formatTime(m.creationTimestamp)}\n`);
  writeTaints(w, spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  writeLease(w, x.lease);
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${formatTime(c.lastHeartbeatTime)} \t${formatTime(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [
    ['Capacity', st.capacity],
    ['Allocatable', st.allocatable],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const n of names) w.write(0, `  ${n}:\t${formatQuantity(parseQuantity(list[n]))}\n`);
  }
  const info = st.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  for (const [label, field] of NODE_INFO) w.write(0, `  ${label}:\t${info[field] ?? ''}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  if (x.pods) writeNodeResources(w, node, x.pods, x.now);
  writeEvents(w, x.events, x.now);
  return w.toString();
}

const NODE_INFO: [string, string][] = [
  ['Machine ID', 'machineID'],
  ['System UUID', 'systemUUID'],
  ['Boot ID', 'bootID'],
  ['Kernel Version', 'kernelVersion'],
  ['OS Image', 'osImage'],
  ['Operating System', 'operatingSystem'],
  ['Architecture', 'architecture'],
  ['Container Runtime Version', 'containerRuntimeVersion'],
  ['Kubelet Version', 'kubeletVersion'],
  ['Kube-Proxy Version', 'kubeProxyVersion'],
];

function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

function writeTaints(w: PrefixWriter, taints: Json[] | undefined): void {
  w.write(0, 'Taints:\t');
  const list = [...(taints ?? [])].sort((a, b) => `${a.effect},${a.key}`.localeCompare(`${b.effect},${b.key}`));
  if (list.length === 0) {
    w.line('<none>');
    return;
  }
  list.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`);
  });
}

function writeLease(w: PrefixWriter, lease: DescribeExtras['lease']): void {
  if (lease === undefined) return;
  if ('error' in lease) {
    w.write(0, `Lease:\tFailed to get lease: ${lease.error}\n`);
    return;
  }
  const spec = (lease as Json).spec ?? {};
  w.write(0, 'Lease:\n');
  w.write(1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
  w.write(1, `AcquireTime:\t${spec.acquireTime ? formatTime(spec.acquireTime) : '<unset>'}\n`);
  w.write(1, `RenewTime:\t${spec.renewTime ? formatTime(spec.renewTime) : '<unset>'}\n`);
}

function writeNodeResources(w: PrefixWriter, node: Json, pods: Json[], now?: number): void {
  const alloc = Object.keys(node.status?.allocatable ?? {}).length ? node.status.allocatable : (node.status?.capacity ?? {});
  const pct = (q: Quantity, total: unknown) => {
    const t = parseQuantity(total as string).value;
    return t ? Math.trunc((q.value / t) * 100) : 0;
  };
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const totals: Record<'req' | 'lim', Record<string, Quantity[]>> = { req: {}, lim: {} };
  for (const pod of pods) {
    const { req, lim } = podResources(pod);
    for (const [k, v] of Object.entries(req)) (totals.req[k] ??= []).push(v);
    for (const [k, v] of Object.entries(lim)) (totals.lim[k] ??= []).push(v);
    const cell = (q: Quantity | undefined, r: string) => `${formatQuantity(q ?? parseQuantity(0))} (${pct(q ?? parseQuantity(0), alloc[r])}%)`;
    w.write(
      1,
      `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t${cell(req.cpu, 'cpu')}\t${cell(lim.cpu, 'cpu')}\t${cell(req.memory, 'memory')}\t${cell(lim.memory, 'memory')}\t${since(pod.metadata?.creationTimestamp, now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = addQuantities(totals.req[r] ?? []);
    const lim = addQuantities(totals.lim[r] ?? []);
    w.write(1, `${r}\t${formatQuantity(req)} (${pct(req, alloc[r])}%)\t${formatQuantity(lim)} (${pct(lim, alloc[r])}%)\n`);
  }
}

/** Sum of the containers' requests and limits (init containers ignored, as a simplification). */
function podResources(pod: Json): { req: Record<string, Quantity>; lim: Record<string, Quantity> } {
  const req: Record<string, Quantity[]> = {};
  const lim: Record<string, Quantity[]> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) (req[k] ??= []).push(parseQuantity(v as string));
    for (const [k, v] of Object.entries(c.resources?.limits ?? {})) (lim[k] ??= []).push(parseQuantity(v as string));
  }
  const sum = (m: Record<string, Quantity[]>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, addQuantities(v)]));
  return { req: sum(req), lim: sum(lim) };
}

function describeDeployment(d: Json, x: DescribeExtras): string {
  const w = new PrefixWriter();
  const m = d.metadata ?? {};
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  w.write(0, `Name:\t${m.name ?? ''}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${formatTime(m.creationTimestamp)}\n`);
  writeLabels(w, 'Labels', m.labels);
  writeAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ''} max unavailable, ${ru.maxSurge ?? ''} max surge\n`);
  writePodTemplate(w, spec.template);
  writeConditions(w, st.conditions);
  if (x.replicaSets) {
    const { newRS, oldRSs } = splitReplicaSets(d, x.replicaSets);
    if (newRS || oldRSs.length) {
      w.write(0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
      w.write(0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
    }
  }
  writeEvents(w, x.events, x.now);
  return w.toString();
}

function writeConditions(w: PrefixWriter, conditions: Json[] | undefined): void {
  if (!conditions?.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

/** The Deployment's ReplicaSets: the one whose template matches (ignoring pod-template-hash) is new. */
function splitReplicaSets(d: Json, all: Json[]): { newRS?: Json; oldRSs: Json[] } {
  const owned = all.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o: Json) => o.controller && o.uid === d.metadata?.uid));
  const newRS = owned.find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
  return { newRS, oldRSs: owned.filter((rs) => rs !== newRS) };
}

function sameTemplate(a: Json, b: Json): boolean {
  const strip = (t: Json) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
    return JSON.stringify(sortDeep(c));
  };
  return strip(a) === strip(b);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Json)[k])]));
  return v;
}

function rsList(list: Json[]): string {
  if (list.length === 0) return '<none>';
  return list.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ');
}

function describeReplicaSet(rs: Json, x: DescribeExtras): string {
  const w = new PrefixWriter();
  const m = rs.metadata ?? {};
  w.write(0, `Name:\t${m.name ?? ''}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${selectorString(rs.spec?.selector, '<none>')}\n`);
  writeLabels(w, 'Labels', m.labels);
  writeAnnotations(w, 'Annotations', m.annotations);
  const ctrl = controllerOf(m);
  if (ctrl) w.write(0, `Controlled By:\t${ctrl}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const p of (x.pods ?? []) as Json[]) {
    const owner = (p.metadata?.ownerReferences ?? []).find((o: Json) => o.controller);
    if (owner?.uid !== m.uid) continue;
    const phase = p.status?.phase as keyof typeof counts;
    if (phase in counts) counts[phase]++;
  }
  w.write(0, `Pods Status:\t${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed\n`);
  writePodTemplate(w, rs.spec?.template);
  writeConditions(w, rs.status?.conditions);
  writeEvents(w, x.events, x.now);
  return w.toString();
}

function describeService(svc: Json, x: DescribeExtras): string {
  const w = new PrefixWriter();
  const m = svc.metadata ?? {};
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${m.name ?? ''}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', m.labels);
  writeAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${formatMap(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress: Json[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => i.ip || i.hostname).join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${formatEndpoints(x.endpoints as Json, p.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  writeEvents(w, x.events, x.now);
  return w.toString();
}

/** `ip:port,...` of the ready addresses serving a port name, at most 3 then `+ N more...`. */
function formatEndpoints(ep: Json, portName: string): string {
  const subsets: Json[] = ep?.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const s of subsets) {
    for (const port of s.ports ?? []) {
      if ((port.name ?? '') !== portName) continue;
      for (const a of s.addresses ?? []) {
        if (list.length < 3) list.push(`${a.ip}:${port.port}`);
        count++;
      }
    }
  }
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

function describeNamespace(ns: Json, _x: DescribeExtras): string {
  const w = new PrefixWriter();
  const m = ns.metadata ?? {};
  w.write(0, `Name:\t${m.name ?? ''}\n`);
  writeLabels(w, 'Labels', m.labels);
  writeAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conditions: Json[] = ns.status?.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type}\t${c.status}\t${formatTime(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  return w.toString();
}

function describeConfigMap(cm: Json, x: DescribeExtras): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${cm.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', cm.metadata?.labels);
  writeAnnotations(w, 'Annotations', cm.metadata?.annotations);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${Buffer.from(cm.binaryData[k], 'base64').length} bytes\n`);
  w.write(0, '\n');
  writeEvents(w, x.events, x.now);
  return w.toString();
}

function describeSecret(secret: Json, _x: DescribeExtras): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${secret.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${secret.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', secret.metadata?.labels);
  writeAnnotations(w, 'Annotations', secret.metadata?.annotations);
  w.write(0, `\nType:\t${secret.type ?? ''}\n`);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(secret.data ?? {}).sort()) w.write(0, `${k}:\t${Buffer.from(secret.data[k], 'base64').length} bytes\n`);
  return w.toString();
}

const GENERIC_SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

/** The generic describer: name, namespace, labels, annotations, then every other field as text. */
export function describeGeneric(obj: Json, x: DescribeExtras): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${obj.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', obj.metadata?.labels);
  writeAnnotations(w, 'Annotations', obj.metadata?.annotations);
  writeUnstructured(w, 0, obj, '');
  writeEvents(w, x.events, x.now);
  return w.toString();
}

function writeUnstructured(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (GENERIC_SKIP.has(path)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      writeUnstructured(w, level + 1, value as Record<string, unknown>, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) writeUnstructured(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
  }
}

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** kubectl's smartLabelFor: `apiVersion` → `API Version`, `creationTimestamp` → `Creation Timestamp`. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

/** fatih/camelcase Split: runs of one character class; an upper run before a lower run gives it its last letter. */
function camelSplit(s: string): string[] {
  const cls = (c: string) => (/\p{Lu}/u.test(c) ? 1 : /\p{Ll}/u.test(c) ? 2 : /\d/.test(c) ? 3 : 4);
  const runs: string[] = [];
  let last = 0;
  for (const c of s) {
    const k = cls(c);
    if (k === last && runs.length) runs[runs.length - 1] += c;
    else runs.push(c);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (runs[i].length > 0 && cls(runs[i][0]) === 1 && cls(runs[i + 1][0]) === 2) {
      runs[i + 1] = runs[i].slice(-1) + runs[i + 1];
      runs[i] = runs[i].slice(0, -1);
    }
  }
  return runs.filter((r) => r.length > 0);
}
