/**
 * The cluster state the zone answers from: Services, Endpoints and Pods with the lookups DNS
 * needs, read-only. {@link InformerClusterView} serves it from informer caches, so every answer
 * reflects the latest watch event.
 */
import {
  findResource,
  Informer,
  type ApiClient,
  type Clock,
  type DeepReadonly,
  type Endpoints,
  type InformerOptions,
  type KubeObject,
  type LogFn,
  type Pod,
  type Service,
} from '@kubesim/api';

export interface ClusterView {
  /** False until every cache holds its first list: until then no answer can be trusted. */
  synced(): boolean;
  service(namespace: string, name: string): DeepReadonly<Service> | undefined;
  endpoints(namespace: string, name: string): DeepReadonly<Endpoints> | undefined;
  pod(namespace: string, name: string): DeepReadonly<Pod> | undefined;
  /** Pods whose status.podIP or status.podIPs holds `ip`. */
  podsWithIp(ip: string): DeepReadonly<Pod>[];
  /** Pods of `namespace` with spec.subdomain `subdomain` and spec.hostname `hostname`. */
  podsWithHostname(namespace: string, subdomain: string, hostname: string): DeepReadonly<Pod>[];
  /** Services whose clusterIP (or clusterIPs) is `ip`. */
  servicesWithClusterIp(ip: string): DeepReadonly<Service>[];
  /** Endpoints with `ip` among their ready addresses. */
  endpointsWithAddress(ip: string): DeepReadonly<Endpoints>[];
  /** True when something (a Service or a Pod) lives in `namespace`. */
  hasNamespace(namespace: string): boolean;
  /** Seconds since the epoch of the last change seen: the zone's SOA serial. */
  serial(): number;
}

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
const PODS = findResource('', 'v1', 'pods')!;

const POD_IP_INDEX = 'status.podIPs';
const POD_HOSTNAME_INDEX = 'spec.subdomain+hostname';
const CLUSTER_IP_INDEX = 'spec.clusterIPs';
const ADDRESS_INDEX = 'subsets.addresses.ip';

export interface InformerClusterViewOptions {
  clock: Clock;
  log: LogFn;
  /** Longest wait between retries of a failed list or watch. */
  backoffMaxMs: number;
}

/** A {@link ClusterView} over three informers (Services, Endpoints, Pods) of one API client. */
export class InformerClusterView implements ClusterView {
  private readonly services: Informer<Service>;
  private readonly endpointsInformer: Informer<Endpoints>;
  private readonly pods: Informer<Pod>;
  private modified: number;

  /** Creates the informers and their indexes; nothing runs until {@link start}. */
  constructor(client: ApiClient, private readonly options: InformerClusterViewOptions) {
    const informerOptions: InformerOptions = { clock: options.clock, log: options.log, backoffMaxMs: options.backoffMaxMs };
    this.services = new Informer<Service>(client.resource<Service>(SERVICES), informerOptions);
    this.endpointsInformer = new Informer<Endpoints>(client.resource<Endpoints>(ENDPOINTS), informerOptions);
    this.pods = new Informer<Pod>(client.resource<Pod>(PODS), informerOptions);
    this.services.addIndex(CLUSTER_IP_INDEX, clusterIps);
    this.endpointsInformer.addIndex(ADDRESS_INDEX, readyAddresses);
    this.pods.addIndex(POD_IP_INDEX, podIps);
    this.pods.addIndex(POD_HOSTNAME_INDEX, (p) => (p.spec?.hostname && p.spec.subdomain ? [hostnameKey(p.metadata.namespace ?? '', p.spec.subdomain, p.spec.hostname)] : []));
    this.modified = this.nowSeconds();
    for (const informer of [this.services, this.endpointsInformer, this.pods] as Informer<KubeObject>[]) {
      const touch = () => void (this.modified = this.nowSeconds());
      informer.addEventHandler({ onAdd: touch, onUpdate: touch, onDelete: touch });
    }
  }

  /** Lists and watches until `signal` aborts; never rejects (the informers retry). */
  async start(signal: AbortSignal): Promise<void> {
    await Promise.all([this.services.start(signal), this.endpointsInformer.start(signal), this.pods.start(signal)]);
  }

  /** Resolves true once every cache is synced, false if `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all([this.services, this.endpointsInformer, this.pods].map((i) => (i as Informer<KubeObject>).waitForSync(signal)));
    return results.every(Boolean);
  }

  synced(): boolean {
    return this.services.hasSynced() && this.endpointsInformer.hasSynced() && this.pods.hasSynced();
  }

  service(namespace: string, name: string): DeepReadonly<Service> | undefined {
    return this.services.get(`${namespace}/${name}`);
  }

  endpoints(namespace: string, name: string): DeepReadonly<Endpoints> | undefined {
    return this.endpointsInformer.get(`${namespace}/${name}`);
  }

  pod(namespace: string, name: string): DeepReadonly<Pod> | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  podsWithIp(ip: string): DeepReadonly<Pod>[] {
    return this.pods.byIndex(POD_IP_INDEX, ip);
  }

  podsWithHostname(namespace: string, subdomain: string, hostname: string): DeepReadonly<Pod>[] {
    return this.pods.byIndex(POD_HOSTNAME_INDEX, hostnameKey(namespace, subdomain, hostname));
  }

  servicesWithClusterIp(ip: string): DeepReadonly<Service>[] {
    return this.services.byIndex(CLUSTER_IP_INDEX, ip);
  }

  endpointsWithAddress(ip: string): DeepReadonly<Endpoints>[] {
    return this.endpointsInformer.byIndex(ADDRESS_INDEX, ip);
  }

  hasNamespace(namespace: string): boolean {
    return this.services.byNamespace(namespace).length > 0 || this.pods.byNamespace(namespace).length > 0;
  }

  serial(): number {
    return this.modified;
  }

  private nowSeconds(): number {
    return Math.floor(this.options.clock.now() / 1000);
  }
}

/** The IPs a Service answers on: its clusterIPs, none for headless and ExternalName ones. */
export function clusterIps(svc: DeepReadonly<Service>): string[] {
  const spec = svc.spec;
  if (!spec || spec.type === 'ExternalName') return [];
  const ips = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return ips.filter((ip) => ip !== 'None' && ip !== '');
}

/** A Pod's IPs from status.podIPs and status.podIP, without duplicates. */
export function podIps(pod: DeepReadonly<Pod>): string[] {
  const ips = new Set<string>();
  if (pod.status?.podIP) ips.add(pod.status.podIP);
  for (const p of pod.status?.podIPs ?? []) if (p.ip) ips.add(p.ip);
  return [...ips];
}

function readyAddresses(ep: DeepReadonly<Endpoints>): string[] {
  return [...new Set((ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)))];
}

function hostnameKey(namespace: string, subdomain: string, hostname: string): string {
  return `${namespace}/${subdomain.toLowerCase()}/${hostname.toLowerCase()}`;
}
