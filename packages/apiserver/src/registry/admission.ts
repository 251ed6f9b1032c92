/**
 * Admission that needs the cluster's state: Service address allocation. Runs after defaulting
 * and validation, before the write.
 */
import type { KubeObject, ResourceInfo } from '@kubesim/api';
import { allocateClusterIp, allocateNodePorts } from './allocators.js';
import type { Registry } from './registry.js';

type Svc = KubeObject & { spec?: any };

/** Fills server-assigned fields of a new object (Service clusterIP and nodePorts). */
export async function admitCreate(registry: Registry, info: ResourceInfo, obj: KubeObject): Promise<void> {
  if (info.kind === 'Service') allocateService(registry, info, obj as Svc, undefined);
}

/** Keeps server-assigned fields across an update that leaves them out. */
export async function admitUpdate(registry: Registry, info: ResourceInfo, next: KubeObject, old: KubeObject): Promise<void> {
  if (info.kind === 'Service') allocateService(registry, info, next as Svc, old as Svc);
}

function allocateService(registry: Registry, info: ResourceInfo, svc: Svc, old: Svc | undefined): void {
  const spec = (svc.spec ??= {});
  const existing = registry.cached(info) as Svc[];
  const others = existing.filter((s) => !(s.metadata.namespace === svc.metadata.namespace && s.metadata.name === svc.metadata.name));
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (old?.spec?.clusterIP && !spec.clusterIP) {
    spec.clusterIP = old.spec.clusterIP;
  } else if (spec.clusterIP !== 'None' && (!old || spec.clusterIP !== old.spec?.clusterIP)) {
    spec.clusterIP = allocateClusterIp(spec.clusterIP || undefined, others);
  }
  if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
  // Fields that only mean something for external types go when the type changes away from them.
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
    delete spec.externalTrafficPolicy;
    delete spec.allocateLoadBalancerNodePorts;
    delete spec.healthCheckNodePort;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    // Keep the nodePorts an update leaves out, matched by port number.
    for (const p of ports) {
      if (!p.nodePort) p.nodePort = old?.spec?.ports?.find((o: any) => o.port === p.port && o.protocol === p.protocol)?.nodePort;
    }
    allocateNodePorts(ports, others, svc.metadata.name);
  } else {
    for (const p of ports) delete p.nodePort;
  }
}
