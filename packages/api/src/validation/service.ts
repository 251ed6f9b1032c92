/**
 * Service and Endpoints validation (ValidateService, ValidateServiceUpdate, ValidateEndpoints).
 * Loopback addresses are accepted everywhere: kubesim gives pods and load balancers addresses
 * in 127.0.0.0/8, which Kubernetes' non-special-IP check would refuse.
 */
import type { FieldError } from '../errors.js';
import type { EndpointAddress, Endpoints, Service, ServicePort, ServiceSpec } from '../types/core.js';
import { validatePortNumOrName } from './container.js';
import { child, fieldDuplicate, fieldForbidden, fieldImmutable, fieldInvalid, fieldNotSupported, fieldRequired, index } from './errors.js';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP, isValidPortNum } from './names.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const NODE_PORT_RANGE = [30000, 32767] as const;
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

/**
 * ValidateService, and with `old` ValidateServiceUpdate. On a type change, fields the old type
 * needed and the user left as they were (node ports, externalTrafficPolicy) are tolerated:
 * Kubernetes drops them before validating, and so does the apiserver's admission.
 */
export function validateService(svc: Service, old?: Service): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, isDNS1035Label, true);
  const spec = svc.spec ?? {};
  const oldSpec = old && old.spec?.type !== spec.type ? old.spec : undefined;
  errs.push(...validateServiceSpec(spec, oldSpec));
  if (old) {
    errs.push(...validateObjectMetaUpdate(svc.metadata, old.metadata));
    const was = old.spec ?? {};
    const external = was.type === 'ExternalName' || spec.type === 'ExternalName';
    if (!external && was.clusterIP && spec.clusterIP && was.clusterIP !== spec.clusterIP) {
      errs.push(fieldImmutable('spec.clusterIP', spec.clusterIP));
    }
  }
  return errs;
}

function validateServiceSpec(spec: ServiceSpec, typeChangedFrom: ServiceSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(fieldRequired('spec.ports'));
  errs.push(...validateTypeSpecific(spec, headless, typeChangedFrom));
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, index('spec.ports', i))));
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateAffinity(spec));
  errs.push(...validateClusterIPs(spec));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    for (const msg of isValidIP(ip)) errs.push(fieldInvalid(index('spec.externalIPs', i), ip, msg));
  });
  if (spec.type !== undefined && !SERVICE_TYPES.includes(spec.type)) errs.push(fieldNotSupported('spec.type', spec.type, SERVICE_TYPES));
  errs.push(...validateNodePorts(spec, typeChangedFrom));
  errs.push(...validateTrafficPolicies(spec, typeChangedFrom));
  if (spec.loadBalancerIP && spec.type !== 'LoadBalancer' && typeChangedFrom?.loadBalancerIP !== spec.loadBalancerIP) {
    errs.push(fieldForbidden('spec.loadBalancerIP', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer' && typeChangedFrom === undefined) {
    errs.push(fieldForbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateTypeSpecific(spec: ServiceSpec, headless: boolean, typeChangedFrom: ServiceSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && headless) {
    errs.push(fieldInvalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
  }
  if (spec.type === 'LoadBalancer') {
    (spec.ports ?? []).forEach((p, i) => {
      if (p.port === 10250) errs.push(fieldInvalid(index('spec.ports', i), p.port, 'may not expose port 10250 externally since it is used by kubelet'));
    });
  }
  if (spec.type === 'ExternalName') {
    // addresses and families left over from the old type are dropped by the apiserver
    if (!typeChangedFrom) {
      if ((spec.clusterIPs ?? []).length > 0) errs.push(fieldForbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if ((spec.ipFamilies ?? []).length > 0) errs.push(fieldForbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined) errs.push(fieldForbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    }
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (!cname) errs.push(fieldRequired('spec.externalName'));
    else for (const msg of isDNS1123Subdomain(cname)) errs.push(fieldInvalid('spec.externalName', cname, msg));
  }
  return errs;
}

function validateServicePort(p: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(fieldRequired(child(path, 'name')));
  else if (p.name) {
    for (const msg of isDNS1123Label(p.name)) errs.push(fieldInvalid(child(path, 'name'), p.name, msg));
    if (names.has(p.name)) errs.push(fieldDuplicate(child(path, 'name'), p.name));
    names.add(p.name);
  }
  for (const msg of isValidPortNum(p.port ?? 0)) errs.push(fieldInvalid(child(path, 'port'), p.port ?? 0, msg));
  if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) errs.push(fieldNotSupported(child(path, 'protocol'), p.protocol, PROTOCOLS));
  if (p.targetPort !== undefined) errs.push(...validatePortNumOrName(p.targetPort, child(path, 'targetPort')));
  if (p.appProtocol) for (const msg of isQualifiedName(p.appProtocol)) errs.push(fieldInvalid(child(path, 'appProtocol'), p.appProtocol, msg));
  return errs;
}

function validateAffinity(spec: ServiceSpec): FieldError[] {
  const affinity = spec.sessionAffinity;
  if (affinity === undefined) return [];
  if (!AFFINITIES.includes(affinity)) return [fieldNotSupported('spec.sessionAffinity', affinity, AFFINITIES)];
  const config = spec.sessionAffinityConfig;
  if (affinity === 'None') return config ? [fieldForbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None')] : [];
  const path = 'spec.sessionAffinityConfig';
  if (!config) return [fieldRequired(path, 'when session affinity type is ClientIP')];
  if (!config.clientIP) return [fieldRequired(child(path, 'clientIP'), 'when session affinity type is ClientIP')];
  const timeout = config.clientIP.timeoutSeconds;
  if (timeout === undefined) return [fieldRequired(child(path, 'clientIP.timeoutSeconds'), 'when session affinity type is ClientIP')];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [fieldInvalid(child(path, 'clientIP.timeoutSeconds'), timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  if (spec.clusterIPs && spec.clusterIPs.length > 0 && spec.clusterIP && spec.clusterIP !== spec.clusterIPs[0]) {
    errs.push(fieldInvalid('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    const p = index('spec.clusterIPs', i);
    if (ip === 'None') {
      if (i > 0 || ips.length > 1) errs.push(fieldInvalid(p, ip, "'None' must be the first and only value"));
    } else if (ip !== '') {
      for (const msg of isValidIP(ip)) errs.push(fieldInvalid(p, ip, msg));
    }
  });
  if (ips.length > 2) errs.push(fieldInvalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (spec.ipFamilyPolicy !== undefined && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(fieldNotSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  const families = spec.ipFamilies ?? [];
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!IP_FAMILIES.includes(f)) errs.push(fieldNotSupported(index('spec.ipFamilies', i), f, IP_FAMILIES));
    else if (seen.has(f)) errs.push(fieldDuplicate(index('spec.ipFamilies', i), f));
    seen.add(f);
  });
  if (families.length > 2) errs.push(fieldInvalid('spec.ipFamilies', families, 'may only hold up to 2 values'));
  return errs;
}

function validateNodePorts(spec: ServiceSpec, typeChangedFrom: ServiceSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seenNodePorts = new Set<string>();
  const seenPorts = new Set<string>();
  (spec.ports ?? []).forEach((p, i) => {
    const path = index('spec.ports', i);
    const protocol = p.protocol ?? 'TCP';
    if (p.nodePort) {
      // a node port the old type had and the user left alone is dropped by the apiserver
      const leftOver = typeChangedFrom?.ports?.some((o) => o.nodePort === p.nodePort) ?? false;
      if ((spec.type === 'ClusterIP' || spec.type === 'ExternalName') && !leftOver) {
        errs.push(fieldForbidden(child(path, 'nodePort'), `may not be used when \`type\` is '${spec.type}'`));
      } else if (!leftOver && (p.nodePort < NODE_PORT_RANGE[0] || p.nodePort > NODE_PORT_RANGE[1])) {
        errs.push(
          fieldInvalid(
            child(path, 'nodePort'),
            p.nodePort,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}`,
          ),
        );
      }
      const key = `${protocol}/${p.nodePort}`;
      if (seenNodePorts.has(key)) errs.push(fieldDuplicate(child(path, 'nodePort'), p.nodePort));
      seenNodePorts.add(key);
    }
    const key = `${protocol}/${p.port}`;
    if (seenPorts.has(key)) errs.push(fieldDuplicate(path, { port: p.port, protocol }));
    seenPorts.add(key);
  });
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec, typeChangedFrom: ServiceSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  const etp = spec.externalTrafficPolicy;
  if (etp !== undefined && etp !== '') {
    if (!external) {
      if (typeChangedFrom?.externalTrafficPolicy !== etp) {
        errs.push(fieldInvalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
      }
    } else if (!TRAFFIC_POLICIES.includes(etp)) {
      errs.push(fieldNotSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
    }
  }
  const itp = spec.internalTrafficPolicy;
  if (itp !== undefined && !TRAFFIC_POLICIES.includes(itp)) errs.push(fieldNotSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  if (spec.healthCheckNodePort && !(spec.type === 'LoadBalancer' && etp === 'Local') && typeChangedFrom === undefined) {
    errs.push(fieldInvalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  return errs;
}

/** ValidateEndpoints: addresses, ports, and port names when there are several. */
export function validateEndpoints(ep: Endpoints, old?: Endpoints): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, isDNS1123Subdomain, true);
  (ep.subsets ?? []).forEach((ss, i) => {
    const p = index('subsets', i);
    if ((ss.addresses ?? []).length === 0 && (ss.notReadyAddresses ?? []).length === 0) {
      errs.push(fieldRequired(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(p, 'addresses'), j))));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(p, 'notReadyAddresses'), j))));
    const ports = ss.ports ?? [];
    ports.forEach((port, j) => {
      const pp = index(child(p, 'ports'), j);
      if (ports.length > 1 && !port.name) errs.push(fieldRequired(child(pp, 'name')));
      else if (port.name) for (const msg of isDNS1123Label(port.name)) errs.push(fieldInvalid(child(pp, 'name'), port.name, msg));
      for (const msg of isValidPortNum(port.port ?? 0)) errs.push(fieldInvalid(child(pp, 'port'), port.port ?? 0, msg));
      if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.push(fieldNotSupported(child(pp, 'protocol'), port.protocol, PROTOCOLS));
    });
  });
  if (old) errs.push(...validateObjectMetaUpdate(ep.metadata, old.metadata));
  return errs;
}

function validateEndpointAddress(a: EndpointAddress, path: string): FieldError[] {
  const errs = isValidIP(a.ip ?? '').map((msg) => fieldInvalid(child(path, 'ip'), a.ip ?? '', msg));
  if (a.hostname) for (const msg of isDNS1123Label(a.hostname)) errs.push(fieldInvalid(child(path, 'hostname'), a.hostname, msg));
  if (a.nodeName) for (const msg of isDNS1123Subdomain(a.nodeName)) errs.push(fieldInvalid(child(path, 'nodeName'), a.nodeName, msg));
  return errs;
}
