/**
 * Printers of the small core kinds: Namespace, Service, Endpoints, ConfigMap, Secret,
 * ServiceAccount.
 */
import { AGE_COLUMN, NAME_COLUMN, age, column, formatLabels, spec, status, top, type Printer } from './helpers.js';

const LOAD_BALANCER_WIDTH = 16;

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells: (ns, now) => [ns.metadata?.name ?? '', status<{ phase: string }>(ns).phase ?? '', age(ns, now)],
};

interface ServiceSpec {
  type: string;
  clusterIP: string;
  clusterIPs: string[];
  externalIPs: string[];
  externalName: string;
  selector: Record<string, string>;
  ports: { port?: number; nodePort?: number; protocol?: string }[];
}

interface ServiceStatus {
  loadBalancer: { ingress?: { ip?: string; hostname?: string }[] };
}

/** `loadBalancerStatusStringer`: the distinct ingress IPs (or hostnames), sorted, clipped unless wide. */
function loadBalancerAddresses(s: Partial<ServiceStatus>, wide: boolean): string {
  const seen = new Set<string>();
  for (const ing of s.loadBalancer?.ingress ?? []) {
    if (ing.ip) seen.add(ing.ip);
    else if (ing.hostname) seen.add(ing.hostname);
  }
  const joined = [...seen].sort().join(',');
  return !wide && joined.length > LOAD_BALANCER_WIDTH ? `${joined.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : joined;
}

/** `getServiceExternalIP`. Tables are generated wide, as the apiserver generates them. */
export function serviceExternalIP(sp: Partial<ServiceSpec>, s: Partial<ServiceStatus>): string {
  const external = sp.externalIPs ?? [];
  switch (sp.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(s, true);
      if (external.length > 0) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return sp.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** `makePortString`: `80/TCP`, or `80:31086/TCP` with a node port. */
export function servicePorts(ports: ServiceSpec['ports'] | undefined): string {
  const pieces = (ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
  });
  return pieces.join(',') || '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', { wide: true }),
  ],
  cells(svc, now) {
    const sp = spec<ServiceSpec>(svc);
    const clusterIP = sp.clusterIPs?.[0] || sp.clusterIP || '<none>';
    return [
      svc.metadata?.name ?? '',
      sp.type ?? 'ClusterIP',
      clusterIP,
      serviceExternalIP(sp, status<ServiceStatus>(svc)),
      servicePorts(sp.ports),
      age(svc, now),
      formatLabels(sp.selector),
    ];
  },
};

interface EndpointSubset {
  addresses?: { ip?: string }[];
  ports?: { port?: number; name?: string }[];
}

/** `formatEndpoints`: up to three `ip:port`, then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(subsets: EndpointSubset[] | undefined): string {
  if (!subsets || subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const addAll = (render: (ip: string) => string, addresses: { ip?: string }[]) => {
    count += addresses.length;
    for (const a of addresses) {
      if (list.length === max) {
        more = true;
        break;
      }
      list.push(render(a.ip ?? ''));
    }
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      addAll((ip) => ip, addresses);
      continue;
    }
    for (const port of ss.ports) addAll((ip) => (ip.includes(':') ? `[${ip}]:${port.port}` : `${ip}:${port.port}`), addresses);
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE_COLUMN],
  cells: (ep, now) => [ep.metadata?.name ?? '', formatEndpoints(top<{ subsets: EndpointSubset[] }>(ep).subsets), age(ep, now)],
};

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, column('Data', 'string', 'Data contains the configuration data.'), AGE_COLUMN],
  cells(cm, now) {
    const { data, binaryData } = top<{ data: Record<string, string>; binaryData: Record<string, string> }>(cm);
    return [cm.metadata?.name ?? '', Object.keys(data ?? {}).length + Object.keys(binaryData ?? {}).length, age(cm, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    AGE_COLUMN,
  ],
  cells(secret, now) {
    const { type, data } = top<{ type: string; data: Record<string, string> }>(secret);
    return [secret.metadata?.name ?? '', type ?? 'Opaque', Object.keys(data ?? {}).length, age(secret, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COLUMN, column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE_COLUMN],
  cells: (sa, now) => [sa.metadata?.name ?? '', (top<{ secrets: unknown[] }>(sa).secrets ?? []).length, age(sa, now)],
};
