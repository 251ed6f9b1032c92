/**
 * The Service `kubectl expose` builds for an object (generateversioned's ServiceGeneratorV2
 * with polymorphichelpers' introspection): its selector, ports and protocols taken from the
 * exposed Pod, Service, ReplicationController, Deployment or ReplicaSet unless given as flags.
 */
import type { KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { sortKeys } from '../printers/objects.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- exposed objects are read as loose JSON */
type Json = any;

/** The expose flags the generator reads (empty strings when not given). */
export interface ExposeParams {
  name: string;
  port: string;
  targetPort: string;
  protocol: string;
  type: string;
  labels: string;
  selector: string;
  externalIp: string;
  loadBalancerIp: string;
  sessionAffinity: string;
  clusterIp: string;
}

const EXPOSABLE = new Set(['/Pod', '/Service', '/ReplicationController', 'apps/Deployment', 'apps/ReplicaSet', 'extensions/Deployment', 'extensions/ReplicaSet']);

/** kubectl's CanBeExposed: the kinds with a pod selector. `groupKind` is `Kind[.group]`. */
export function canBeExposed(group: string, kind: string, groupKind: string): void {
  if (!EXPOSABLE.has(`${group}/${kind}`)) throw new CommandError(`cannot expose a ${groupKind}`);
}

/** The exposed object's pod selector as a map (MapBasedSelectorForObject). */
export function selectorFor(obj: Json): Record<string, string> {
  switch (obj.kind) {
    case 'Pod':
      if (Object.keys(obj.metadata?.labels ?? {}).length === 0) throw new Error('the pod has no labels and cannot be exposed');
      return obj.metadata.labels;
    case 'Service':
      if (Object.keys(obj.spec?.selector ?? {}).length === 0) throw new Error('the service has no pod selector set');
      return obj.spec.selector;
    case 'ReplicationController':
      return obj.spec?.selector ?? {};
    default: {
      const sel = obj.spec?.selector ?? {};
      if ((sel.matchExpressions ?? []).length > 0) throw new Error(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
      return sel.matchLabels ?? {};
    }
  }
}

/** The object's ports, as strings (PortsForObject), and their protocols (ProtocolsForObject). */
export function portsFor(obj: Json): { ports: string[]; protocols: Map<string, string> } {
  const protocols = new Map<string, string>();
  if (obj.kind === 'Service') {
    const ports = (obj.spec?.ports ?? []).map((p: Json) => String(p.port));
    for (const p of obj.spec?.ports ?? []) protocols.set(String(p.port), p.protocol ?? 'TCP');
    return { ports, protocols };
  }
  const spec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  const ports: string[] = [];
  for (const c of spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      ports.push(String(p.containerPort));
      protocols.set(String(p.containerPort), p.protocol ?? 'TCP');
    }
  }
  return { ports, protocols };
}

/** Parses `k=v,k2=v2` (labels and selectors given as flags). */
export function parseLabelList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new CommandError(`invalid label spec: ${part}`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** The Service to create, keys sorted as kubectl sends it. */
export function exposedService(obj: KubeObject, params: ExposeParams): KubeObject {
  const o = obj as Json;
  const selector = params.selector ? parseLabelList(params.selector) : selectorOrUsage(o);
  const introspected = portsFor(o);
  const ports = params.port ? [params.port] : introspected.ports;
  if (ports.length === 0 && params.clusterIp !== 'None') throw new CommandError("couldn't find port via --port flag or introspection");
  const spec: Json = { ports: servicePorts(ports, params, introspected.protocols), selector };
  if (params.externalIp) spec.externalIPs = [params.externalIp];
  if (params.type) spec.type = params.type;
  if (params.type === 'LoadBalancer' && params.loadBalancerIp) spec.loadBalancerIP = params.loadBalancerIp;
  if (params.sessionAffinity) spec.sessionAffinity = params.sessionAffinity;
  if (params.clusterIp) spec.clusterIP = params.clusterIp;
  const labels = params.labels ? parseLabelList(params.labels) : (o.metadata?.labels ?? {});
  const metadata: Json = { creationTimestamp: null, name: (params.name || o.metadata?.name || '').slice(0, 63) };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  return sortKeys({ apiVersion: 'v1', kind: 'Service', metadata, spec, status: { loadBalancer: {} } }) as KubeObject;
}

function selectorOrUsage(obj: Json): Record<string, string> {
  try {
    return selectorFor(obj);
  } catch (err) {
    throw new CommandError(`couldn't retrieve selectors via --selector flag or introspection: ${(err as Error).message}`);
  }
}

function servicePorts(ports: string[], params: ExposeParams, protocols: Map<string, string>): Json[] {
  return ports.map((text, i) => {
    if (!/^[+-]?\d+$/.test(text)) throw new CommandError(`strconv.Atoi: parsing "${text}": invalid syntax`);
    const port = Number(text);
    const protocol = params.protocol || protocols.get(text) || 'TCP';
    const target = params.targetPort ? (/^\d+$/.test(params.targetPort) ? Number(params.targetPort) : params.targetPort) : port;
    const entry: Json = { port, protocol, targetPort: target };
    if (ports.length > 1) entry.name = `port-${i + 1}`;
    return entry;
  });
}
