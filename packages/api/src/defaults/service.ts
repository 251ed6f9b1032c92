/**
 * Service and Endpoints defaulting: SetDefaults_Service plus the IP family fields the Service
 * registry fills in (single-stack IPv4). Address and node port allocation are the apiserver's.
 */
import { child, defaultPtr, defaultStr, items, unset, type Obj } from './json.js';

/** Three hours, the default ClientIP session affinity timeout. */
const DEFAULT_CLIENT_IP_TIMEOUT = 10800;

/** Defaults a Service in place. */
export function defaultService(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (!spec) return;
  defaultStr(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = child(child(spec, 'sessionAffinityConfig') ?? {}, 'clientIP');
    if (!clientIP || unset(clientIP.timeoutSeconds)) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT } };
    }
  }
  defaultStr(spec, 'type', 'ClusterIP');
  for (const port of items(spec, 'ports')) {
    defaultStr(port, 'protocol', 'TCP');
    if (unset(port.targetPort) || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = spec.type;
  const external = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (external) defaultStr(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') defaultPtr(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') {
    defaultPtr(spec, 'allocateLoadBalancerNodePorts', true);
    const status = child(obj, 'status');
    for (const ingress of items(status && child(status, 'loadBalancer'), 'ingress')) {
      if (typeof ingress.ip === 'string' && ingress.ip !== '') defaultPtr(ingress, 'ipMode', 'VIP');
    }
  }
  if (type !== 'ExternalName') {
    defaultPtr(spec, 'ipFamilyPolicy', 'SingleStack');
    if (unset(spec.ipFamilies) || (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length === 0)) spec.ipFamilies = ['IPv4'];
  }
}

/** SetDefaults_Endpoints: port protocol TCP. */
export function defaultEndpoints(obj: Obj): void {
  for (const subset of items(obj, 'subsets')) for (const port of items(subset, 'ports')) defaultStr(port, 'protocol', 'TCP');
}
