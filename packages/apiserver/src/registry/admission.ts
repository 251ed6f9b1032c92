/**
 * Admission that needs the cluster's state: Service address allocation. Runs after defaulting
 * and validation, before the write. Addresses are chosen from the cache, then claimed in the
 * AllocationLedger (when the registry has one), so two apiservers never give one out twice.
 */
import { AlreadyExistsError, type KubeObject, type ResourceInfo } from '@kubesim/api';
import { clusterIpClaim, nodePortClaim, type AllocationLedger, type ClaimOwner } from './allocation-ledger.js';
import { allocateClusterIp, allocateNodePorts, alreadyAllocated, DEFAULT_RANGES } from './allocators.js';
import type { Registry } from './registry.js';

type Svc = KubeObject & { spec?: any };

/** Claims tried before giving up on one address (each loss means another apiserver just took it). */
const CLAIM_ATTEMPTS = 16;

/** Fills server-assigned fields of a new object (Service clusterIP and nodePorts). */
export async function admitCreate(registry: Registry, info: ResourceInfo, obj: KubeObject, dryRun = false): Promise<void> {
  if (info.kind === 'Service') await allocateService(registry, info, obj as Svc, undefined, dryRun);
}

/** Keeps server-assigned fields across an update that leaves them out. */
export async function admitUpdate(registry: Registry, info: ResourceInfo, next: KubeObject, old: KubeObject, dryRun = false): Promise<void> {
  if (info.kind === 'Service') await allocateService(registry, info, next as Svc, old as Svc, dryRun);
}

/**
 * After a Service's write: gives back the addresses `before` had and `after` (undefined once
 * deleted) no longer has.
 */
export async function releaseServiceAddresses(registry: Registry, before: KubeObject, after: KubeObject | undefined): Promise<void> {
  const ledger = registry.config.allocations;
  if (!ledger) return;
  const kept = new Set(after ? claimsOf(after as Svc) : []);
  await Promise.all(claimsOf(before as Svc).filter((c) => !kept.has(c)).map((c) => ledger.release(c, before.metadata.uid!)));
}

function claimsOf(svc: Svc): string[] {
  const ip = svc.spec?.clusterIP;
  const ports: any[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  return [...(ip && ip !== 'None' ? [clusterIpClaim(ip)] : []), ...ports.filter((p) => p.nodePort).map((p) => nodePortClaim(p.nodePort))];
}

async function allocateService(registry: Registry, info: ResourceInfo, svc: Svc, old: Svc | undefined, dryRun: boolean): Promise<void> {
  const spec = (svc.spec ??= {});
  // A consistent read: an address just freed through another apiserver must show as free here.
  const existing = (await registry.list(info, undefined)).items as Svc[];
  const others = existing.filter((s) => !(s.metadata.namespace === svc.metadata.namespace && s.metadata.name === svc.metadata.name));
  const ledger = dryRun ? undefined : registry.config.allocations;
  const owner: ClaimOwner = { uid: svc.metadata.uid!, namespace: svc.metadata.namespace!, name: svc.metadata.name! };
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (old?.spec?.clusterIP && !spec.clusterIP) {
    spec.clusterIP = old.spec.clusterIP;
  } else if (spec.clusterIP !== 'None' && (!old || spec.clusterIP !== old.spec?.clusterIP)) {
    spec.clusterIP = await claimClusterIp(ledger, owner, spec.clusterIP || undefined, others, !old);
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
    await claimNodePorts(ledger, owner, ports, others, old);
  } else {
    for (const p of ports) delete p.nodePort;
  }
}

/** A requested ClusterIP, claimed; or a free one, claimed, trying others while claims are lost. */
async function claimClusterIp(ledger: AllocationLedger | undefined, owner: ClaimOwner, requested: string | undefined, others: Svc[], creating: boolean): Promise<string> {
  const lost = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    const ip = allocateClusterIp(requested, others, DEFAULT_RANGES, lost);
    const holder = ledger ? await ledger.claim(clusterIpClaim(ip), owner) : null;
    if (!holder) return ip;
    // A Service of the same name holds it: this create is the second of that Service.
    if (creating && holder.namespace === owner.namespace && holder.name === owner.name) {
      throw new AlreadyExistsError(`services "${owner.name}" already exists`);
    }
    if (requested || attempt + 1 >= CLAIM_ATTEMPTS) throw alreadyAllocated('spec.clusterIP', ip);
    lost.add(ip);
  }
}

/**
 * Fills and claims the nodePorts. A requested port (or one the Service already had) someone
 * else holds is a 422; a chosen one lost to a concurrent claim is chosen again.
 */
async function claimNodePorts(ledger: AllocationLedger | undefined, owner: ClaimOwner, ports: any[], others: Svc[], old: Svc | undefined): Promise<void> {
  const requested = ports.map((p) => p.nodePort as number | undefined);
  const held = new Set<number>((old?.spec?.ports ?? []).map((p: any) => p.nodePort).filter(Boolean));
  const lost = new Set<number>();
  for (let attempt = 0; ; attempt++) {
    ports.forEach((p, i) => (p.nodePort = requested[i]));
    allocateNodePorts(ports, others, owner.name, DEFAULT_RANGES, lost);
    if (!ledger) return;
    const fresh = ports.map((p, i) => ({ port: p.nodePort as number, i })).filter(({ port }) => !held.has(port));
    const holders = await Promise.all(fresh.map(({ port }) => ledger.claim(nodePortClaim(port), owner)));
    const won = holders.map((holder) => holder === null);
    const failed = fresh.filter((_, k) => !won[k]);
    if (failed.length === 0) return;
    if (!old && holders.some((h) => h && h.namespace === owner.namespace && h.name === owner.name)) {
      throw new AlreadyExistsError(`services "${owner.name}" already exists`);
    }
    // Claims won in a round that is thrown away are given back.
    await Promise.all(fresh.filter((_, k) => won[k]).map(({ port }) => ledger.release(nodePortClaim(port), owner.uid)));
    const pinned = failed.find(({ i }) => requested[i] !== undefined);
    if (pinned || attempt + 1 >= CLAIM_ATTEMPTS) {
      const f = pinned ?? failed[0];
      throw alreadyAllocated(`spec.ports[${f.i}].nodePort`, f.port);
    }
    for (const { port } of failed) lost.add(port);
  }
}
