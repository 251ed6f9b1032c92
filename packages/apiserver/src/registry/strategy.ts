/**
 * Per-kind write rules the generic registry applies: what a create may set, what an update of
 * the object or of its status keeps from the old object, and when `generation` moves.
 */
import { clone, type KubeObject, type ResourceInfo } from '@kubesim/api';

/** Kinds whose status a creator may set (everything else starts with a defaulted status). */
const STATUS_SET_ON_CREATE = new Set(['Node', 'Event', 'Lease']);

/** Applies create-time rules before defaulting: drops a status the creator may not set. */
export function prepareForCreate(info: ResourceInfo, obj: KubeObject): void {
  if (info.subresources.includes('status') && !STATUS_SET_ON_CREATE.has(info.kind)) delete obj.status;
  const m = obj.metadata;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  m.generation = 1;
}

/**
 * Builds the object to store from an update of the object (`subresource` undefined) or of its
 * status. System-owned metadata always comes from the old object.
 */
export function prepareForUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject, subresource?: string): KubeObject {
  let out: KubeObject;
  if (subresource === 'status') {
    out = { ...clone(old), status: clone(next.status) };
  } else if (subresource === 'finalize') {
    out = clone(old);
    (out as any).spec = { ...(out as any).spec, finalizers: (next as any).spec?.finalizers ?? [] };
  } else {
    out = next;
    // Namespace finalizers change only through the finalize subresource.
    if (info.kind === 'Namespace') (out as any).spec = { ...(out as any).spec, finalizers: clone((old as any).spec?.finalizers) };
    // A binding writes spec.nodeName and the PodScheduled condition together, as Kubernetes' binding does.
    if (info.subresources.includes('status') && subresource !== 'binding') out.status = clone(old.status);
  }
  const m = out.metadata;
  const o = old.metadata;
  m.name = o.name;
  m.namespace = o.namespace;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.generateName !== undefined) m.generateName = o.generateName;
  else delete m.generateName;
  if (o.deletionTimestamp) {
    m.deletionTimestamp = o.deletionTimestamp;
    m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  } else {
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
  m.generation = (o.generation ?? 1) + (specChanged(old, out) ? 1 : 0);
  return out;
}

/** True when anything besides metadata and status differs. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest }: KubeObject) => rest;
  return canonical(strip(a)) !== canonical(strip(b));
}

/** JSON with sorted keys, so equal objects compare equal whatever their key order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : val,
  );
}

/** True when the update changes nothing that is stored (so no new revision is needed). */
export function unchanged(old: KubeObject, next: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } });
  return canonical(strip(old)) === canonical(strip(next));
}
