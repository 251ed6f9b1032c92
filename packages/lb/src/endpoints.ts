/**
 * From a Service and its Endpoints to the addresses a proxy listens on and the backends behind
 * each, as kube-proxy computes them. Pure functions of the two objects and the proxy's scope.
 */
import type { DeepReadonly, Endpoints, Service, ServicePort } from '@kubesim/api';
import { backendKey, type Backend } from './backends.js';
import type { SourceAddress } from './tcp-proxy.js';

/** Kubernetes' default ClientIP affinity timeout: three hours. */
export const DEFAULT_AFFINITY_SECONDS = 10800;

/** What one proxy process serves. */
export interface ProxyScope {
  /** Listen on Services' ClusterIPs (one process per machine may). */
  clusterIPs: boolean;
  /** This node's name, for `externalTrafficPolicy`/`internalTrafficPolicy: Local`. */
  nodeName?: string;
  /** This node's IP: NodePorts are listened on here. */
  nodeIP?: string;
}

/** One listening address and where its connections go. */
export interface ListenerSpec {
  /** `host:port`. */
  key: string;
  host: string;
  port: number;
  backends: Backend[];
  /** > 0: ClientIP affinity timeout in seconds. */
  affinitySeconds: number;
  /** Source address of backend connections. */
  source?: SourceAddress;
  /** For logs: `namespace/name:port (kind)`. */
  name: string;
}

type Svc = DeepReadonly<Service>;
type Eps = DeepReadonly<Endpoints>;

/**
 * The ready backends of one Service port: every address of `subsets[].addresses` (never
 * `notReadyAddresses`) paired with the Endpoints port of the same name and protocol. The
 * endpoints controller has already resolved a named targetPort into that port's number.
 */
export function endpointsFor(svcPort: DeepReadonly<ServicePort>, endpoints: Eps | undefined): Backend[] {
  const name = svcPort.name ?? '';
  const protocol = svcPort.protocol ?? 'TCP';
  const out: Backend[] = [];
  const seen = new Set<string>();
  for (const subset of endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol);
    if (!port) continue;
    for (const a of subset.addresses ?? []) {
      const b: Backend = { host: a.ip, port: port.port, ...(a.nodeName ? { nodeName: a.nodeName } : {}) };
      if (seen.has(backendKey(b))) continue;
      seen.add(backendKey(b));
      out.push(b);
    }
  }
  return out;
}

/** The ClientIP affinity timeout of a Service in seconds, 0 without affinity. */
export function affinitySeconds(svc: Svc): number {
  if (svc.spec?.sessionAffinity !== 'ClientIP') return 0;
  return svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS;
}

/** True for the types that get a NodePort on every node. */
export function hasNodePorts(svc: Svc): boolean {
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
}

/**
 * The listeners one proxy keeps for a Service: its ClusterIP at each port (when the scope
 * serves ClusterIPs; none for headless and ExternalName Services) and this node's IP at each
 * nodePort (NodePort and LoadBalancer Services). A `Local` traffic policy keeps only the
 * endpoints on this node; with none there the listener has no backends and refuses clients.
 * Only TCP ports are proxied.
 */
export function listenerSpecs(svc: Svc | undefined, endpoints: Eps | undefined, scope: ProxyScope): ListenerSpec[] {
  if (!svc?.spec || svc.spec.type === 'ExternalName') return [];
  const spec = svc.spec;
  const id = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
  const affinity = affinitySeconds(svc);
  const clusterIP = spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
  const out: ListenerSpec[] = [];
  for (const p of spec.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP') continue;
    const all = endpointsFor(p, endpoints);
    const portName = `${id}:${p.name || p.port}`;
    if (scope.clusterIPs && clusterIP) {
      const backends = spec.internalTrafficPolicy === 'Local' && scope.nodeName ? onNode(all, scope.nodeName) : all;
      out.push(listener(clusterIP, p.port, backends, affinity, `${portName} (clusterIP)`, 'client'));
    }
    if (scope.nodeIP && hasNodePorts(svc) && p.nodePort) {
      // Cluster: the pod sees the node (SNAT); Local: the client's own address.
      const local = spec.externalTrafficPolicy === 'Local';
      const backends = local ? onNode(all, scope.nodeName) : all;
      out.push(listener(scope.nodeIP, p.nodePort, backends, affinity, `${portName} (nodePort)`, local ? 'client' : scope.nodeIP));
    }
  }
  return out;
}

function onNode(backends: Backend[], nodeName: string | undefined): Backend[] {
  return backends.filter((b) => nodeName !== undefined && b.nodeName === nodeName);
}

function listener(host: string, port: number, backends: Backend[], affinitySeconds: number, name: string, source: SourceAddress): ListenerSpec {
  return { key: `${host}:${port}`, host, port, backends, affinitySeconds, name, source };
}
