/**
 * Cluster objects for the zone's table tests, and a ClusterView over plain arrays of them.
 */
import type { DeepReadonly, Endpoints, EndpointSubset, Pod, Service, ServicePort } from '@kubesim/api';
import { clusterIps, podIps, type ClusterView } from '../src/cluster-view.js';

export function service(namespace: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name, resourceVersion: '1' }, spec };
}

export function clusterIpService(namespace: string, name: string, clusterIP: string, ports: ServicePort[]): Service {
  return service(namespace, name, { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports });
}

export function endpoints(namespace: string, name: string, subsets: EndpointSubset[]): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace, name, resourceVersion: '1' }, subsets };
}

export function pod(namespace: string, name: string, ip: string, extra: { hostname?: string; subdomain?: string; ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, resourceVersion: '1', ...(extra.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'echo' }], hostname: extra.hostname, subdomain: extra.subdomain },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
  };
}

/** A synced view of fixed objects, answering every lookup by scanning them. */
export class StaticView implements ClusterView {
  constructor(
    private readonly objects: { services?: Service[]; endpoints?: Endpoints[]; pods?: Pod[] },
    private readonly isSynced = true,
  ) {}

  synced(): boolean {
    return this.isSynced;
  }

  service(namespace: string, name: string): DeepReadonly<Service> | undefined {
    return this.find(this.objects.services, namespace, name);
  }

  endpoints(namespace: string, name: string): DeepReadonly<Endpoints> | undefined {
    return this.find(this.objects.endpoints, namespace, name);
  }

  pod(namespace: string, name: string): DeepReadonly<Pod> | undefined {
    return this.find(this.objects.pods, namespace, name);
  }

  podsWithIp(ip: string): DeepReadonly<Pod>[] {
    return (this.objects.pods ?? []).filter((p) => podIps(p).includes(ip));
  }

  podsWithHostname(namespace: string, subdomain: string, hostname: string): DeepReadonly<Pod>[] {
    return (this.objects.pods ?? []).filter((p) => p.metadata.namespace === namespace && p.spec?.subdomain === subdomain && p.spec?.hostname === hostname);
  }

  servicesWithClusterIp(ip: string): DeepReadonly<Service>[] {
    return (this.objects.services ?? []).filter((s) => clusterIps(s).includes(ip));
  }

  endpointsWithAddress(ip: string): DeepReadonly<Endpoints>[] {
    return (this.objects.endpoints ?? []).filter((e) => (e.subsets ?? []).some((s) => (s.addresses ?? []).some((a) => a.ip === ip)));
  }

  hasNamespace(namespace: string): boolean {
    return [...(this.objects.services ?? []), ...(this.objects.pods ?? [])].some((o) => o.metadata.namespace === namespace);
  }

  serial(): number {
    return 1700000000;
  }

  private find<T extends { metadata: { namespace?: string; name?: string } }>(list: T[] | undefined, namespace: string, name: string): T | undefined {
    return (list ?? []).find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
  }
}
