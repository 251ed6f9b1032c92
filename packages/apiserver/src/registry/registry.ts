/**
 * The generic registry: get, list, create, update, patch and delete for every resource, on top
 * of the KV store and the watch cache. Kind-specific rules come from strategy.ts, defaults and
 * validation from @kubesim/api, Service address allocation from allocators.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RequestEntityTooLargeError,
  clone,
  defaultObject,
  encode,
  findResource,
  groupVersion,
  invalidError,
  isReason,
  validateObject,
  type FieldError,
  type KubeObject,
  type ResourceInfo,
} from '@kubesim/api';
import type { KvStore } from '../store/kv-store.js';
import type { CachedObject, WatchCache } from '../store/watch-cache.js';
import { storageKey, qualifiedResource, resourcePrefix } from './keys.js';
import { prepareForCreate, prepareForUpdate, unchanged } from './strategy.js';
import { isPlainObject, randomSuffix, timestamp, withTypeMeta } from './objects.js';
import { admitCreate, admitUpdate, releaseServiceAddresses } from './admission.js';
import type { AllocationLedger } from './allocation-ledger.js';
import { rememberStored } from './stored-bytes.js';
import { updateManagedFields } from '../http/patch/index.js';

export interface RegistryConfig {
  store: KvStore;
  cache: WatchCache;
  /** Largest encoded object the store takes (etcd's 1.5 MiB by default). */
  maxObjectBytes: number;
  now: () => Date;
  /** tolerationSeconds of the not-ready/unreachable tolerations added to new pods (300). */
  defaultTolerationSeconds?: number;
  /** Claims on Service addresses shared by every apiserver of the store; without it, the cache alone decides. */
  allocations?: AllocationLedger;
}

export interface WriteFlags {
  dryRun?: boolean;
  subresource?: string;
  /** The fieldManager recorded in metadata.managedFields for this write. */
  manager?: string;
  /** Set for server-side apply, which records its own managedFields entry. */
  applied?: boolean;
}

export interface DeleteFlags {
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

const NAMESPACE_INFO = findResource('', 'v1', 'namespaces')!;
const CONFLICT_RETRIES = 8;

export class Registry {
  constructor(readonly config: RegistryConfig) {}

  private get cache(): WatchCache {
    return this.config.cache;
  }

  /** The current object, read consistently; NotFoundError if absent. */
  async get(info: ResourceInfo, namespace: string | undefined, name: string, fresh = true): Promise<CachedObject> {
    if (fresh) await this.cache.waitFresh();
    const hit = this.cache.get(storageKey(info, namespace, name));
    if (!hit) throw notFound(info, name);
    return hit;
  }

  async create(info: ResourceInfo, namespace: string | undefined, body: unknown, flags: WriteFlags = {}): Promise<KubeObject> {
    const obj = checkBody(info, body, namespace);
    const m = obj.metadata;
    if (!m.name && m.generateName) m.name = `${m.generateName}${randomSuffix()}`;
    if (info.namespaced) await this.requireActiveNamespace(namespace!);
    else delete m.namespace;
    if (info.namespaced) m.namespace = namespace;
    m.uid = randomUUID();
    m.creationTimestamp = timestamp(this.config.now());
    delete m.resourceVersion;
    prepareForCreate(info, obj);
    defaultObject(info, obj, { defaultTolerationSeconds: this.config.defaultTolerationSeconds });
    const errors = validateObject(info, obj);
    if (!errors.some((e) => e.field === 'metadata.name')) errors.push(...storableName(m.name));
    if (errors.length > 0) throw invalidError(info.kind, m.name ?? m.generateName ?? '', errors, info.group || undefined);
    const key = storageKey(info, namespace, m.name!);
    let bytes: Uint8Array;
    let rev: number;
    try {
      await admitCreate(this, info, obj, flags.dryRun);
      if (flags.manager && !flags.applied) trackFields(info, undefined, obj, flags);
      bytes = this.encodeChecked(obj);
      if (flags.dryRun) return withTypeMeta(info, obj);
      rev = await this.config.store.create(key, bytes, () => `${qualifiedResource(info)} "${m.name}"`);
    } catch (err) {
      // The Service was never stored: its address claims go back at once.
      if (info.kind === 'Service' && !flags.dryRun) await releaseServiceAddresses(this, obj, undefined);
      throw err;
    }
    obj.metadata.resourceVersion = String(rev);
    this.cache.noteOwnWrite(rev, obj);
    return rememberStored(withTypeMeta(info, obj), bytes);
  }

  /**
   * Replaces an object. With `metadata.resourceVersion` set, the write is conditional (409 if the
   * object moved on); without it, it applies to the latest version.
   */
  async update(info: ResourceInfo, namespace: string | undefined, name: string, body: unknown, flags: WriteFlags = {}): Promise<KubeObject> {
    const next = checkBody(info, body, namespace);
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw new BadRequestError(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    }
    const wanted = next.metadata.resourceVersion;
    return this.writeLoop(info, namespace, name, wanted, () => clone(next), flags);
  }

  /**
   * Read-modify-write with optimistic concurrency: `mutate` builds the new object from the
   * current one; a conflict with a concurrent writer is retried unless the caller pinned a
   * resourceVersion, in which case it is the caller's 409.
   */
  async writeLoop(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    pinnedVersion: string | undefined,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    flags: WriteFlags = {},
  ): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(info, namespace, name);
      if (pinnedVersion && pinnedVersion !== current.object.metadata.resourceVersion) throw conflict(info, name);
      const candidate = await mutate(clone(current.object));
      try {
        return await this.commitUpdate(info, current, candidate, flags);
      } catch (err) {
        if (!isReason(err, 'Conflict') || pinnedVersion || attempt >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  private async commitUpdate(info: ResourceInfo, current: CachedObject, candidate: KubeObject, flags: WriteFlags): Promise<KubeObject> {
    const old = current.object;
    const next = prepareForUpdate(info, candidate, old, flags.subresource);
    defaultObject(info, next, { defaultTolerationSeconds: this.config.defaultTolerationSeconds });
    const errors = validateFor(info, next, old, flags.subresource);
    if (errors.length > 0) throw invalidError(info.kind, old.metadata.name!, errors, info.group || undefined);
    await admitUpdate(this, info, next, old, flags.dryRun);
    if (unchanged(old, next)) return withTypeMeta(info, old);
    if (flags.manager && !flags.applied) trackFields(info, old, next, flags);
    if (next.metadata.deletionTimestamp && isFinalized(info, next) && !awaitingGrace(info, next)) {
      if (flags.dryRun) return withTypeMeta(info, next);
      return this.remove(info, current, next);
    }
    const bytes = this.encodeChecked(stripVersion(next));
    if (flags.dryRun) return withTypeMeta(info, next);
    const rev = await this.config.store.update(current.key, bytes, current.revision, () => conflict(info, old.metadata.name!).message);
    next.metadata.resourceVersion = String(rev);
    this.cache.noteOwnWrite(rev, next);
    if (info.kind === 'Service') await releaseServiceAddresses(this, old, next);
    return rememberStored(withTypeMeta(info, next), bytes);
  }

  /**
   * Deletes an object the Kubernetes way: finalizers and graceful pod termination leave it in
   * place with a deletionTimestamp; otherwise it is removed. Returns the last state.
   */
  async delete(info: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteFlags = {}): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(info, namespace, name);
      const obj = clone(current.object);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid) {
        throw new ConflictError(`Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
        throw new ConflictError(`Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
      }
      markForDeletion(info, obj, opts, this.config.now());
      try {
        if (isFinalized(info, obj) && !awaitingGrace(info, obj)) {
          if (opts.dryRun) return withTypeMeta(info, obj);
          return await this.remove(info, current, obj);
        }
        if (unchanged(current.object, obj) || opts.dryRun) return withTypeMeta(info, obj);
        const rev = await this.config.store.update(current.key, this.encodeChecked(stripVersion(obj)), current.revision, () => conflict(info, name).message);
        obj.metadata.resourceVersion = String(rev);
        return withTypeMeta(info, obj);
      } catch (err) {
        if (!isReason(err, 'Conflict') || pre?.resourceVersion || attempt >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  private async remove(info: ResourceInfo, current: CachedObject, last: KubeObject): Promise<KubeObject> {
    const rev = await this.config.store.delete(current.key, current.revision, () => conflict(info, last.metadata.name!).message);
    last.metadata.resourceVersion = String(rev);
    if (info.kind === 'Service') await releaseServiceAddresses(this, current.object, undefined);
    return withTypeMeta(info, last);
  }

  /** Every cached object of a resource (optionally one namespace), after a consistent catch-up. */
  async list(info: ResourceInfo, namespace: string | undefined, resourceVersion?: string): Promise<{ items: KubeObject[]; revision: number }> {
    if (resourceVersion === undefined || resourceVersion === '') await this.cache.waitFresh();
    else if (resourceVersion !== '0') {
      const rv = Number(resourceVersion);
      if (!Number.isInteger(rv) || rv < 0) throw new BadRequestError(`invalid resource version: ${resourceVersion}`);
      await this.cache.waitForRevision(rv);
    }
    const entries = this.cache.list(resourcePrefix(info), info.namespaced ? namespace : undefined);
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { items: entries.map((e) => e.object), revision: this.cache.revision };
  }

  /** Objects of another resource, straight from the cache (for admission checks). */
  cached(info: ResourceInfo, namespace?: string): KubeObject[] {
    return this.cache.list(resourcePrefix(info), namespace).map((e) => e.object);
  }

  private async requireActiveNamespace(namespace: string): Promise<void> {
    const key = storageKey(NAMESPACE_INFO, undefined, namespace);
    // The cache answers for namespaces it has; only a miss is worth a consistent re-read
    // (the namespace may have been created a moment ago through another apiserver).
    if (!this.cache.get(key)) await this.cache.waitFresh();
    const ns = this.cache.get(key);
    if (!ns) throw new NotFoundError(`namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    if (ns.object.metadata.deletionTimestamp) {
      throw new ForbiddenError(`unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  private encodeChecked(obj: KubeObject): Uint8Array {
    const bytes = encode(stripVersion(obj));
    if (bytes.length > this.config.maxObjectBytes) {
      throw new RequestEntityTooLargeError(
        `Request entity too large: the object is ${bytes.length} bytes, more than the store's limit of ${this.config.maxObjectBytes} bytes`,
      );
    }
    return bytes;
  }
}

/**
 * Validation for a write: a binding is the one sanctioned change of an immutable pod spec
 * (nodeName), so it is checked as a new object; a status write answers only for the status,
 * as Kubernetes' status strategies do, so an object stored before a rule existed can still get
 * its status written.
 */
function validateFor(info: ResourceInfo, next: KubeObject, old: KubeObject, subresource?: string): FieldError[] {
  if (subresource === 'binding') return validateObject(info, next);
  const errors = validateObject(info, next, old);
  return subresource === 'status' ? errors.filter((e) => e.field.startsWith('status') || e.field.startsWith('metadata')) : errors;
}

/**
 * Records the writer's fields in metadata.managedFields. Only writes that name a fieldManager
 * are tracked (kubectl always names one); cluster components writing over NATS usually do not,
 * since the bookkeeping would cost them a third of the write throughput.
 */
function trackFields(info: ResourceInfo, old: KubeObject | undefined, next: KubeObject, flags: WriteFlags): void {
  const typed = (o: KubeObject) => (o.kind ? o : { ...o, kind: info.kind, apiVersion: groupVersion(info) });
  const tracked = updateManagedFields(old && typed(old), typed(next), flags.manager ?? 'unknown', 'Update', {
    now: new Date(),
    subresource: flags.subresource === 'status' || flags.subresource === 'scale' ? flags.subresource : undefined,
  });
  next.metadata.managedFields = tracked.metadata.managedFields;
}

/**
 * Whatever a kind's own rules say, a name must be storable: the store key is built from it.
 * Kind validation reports the precise DNS rule; this only guards the key.
 */
function storableName(name: string | undefined): { field: string; reason: string; message: string }[] {
  if (name === undefined || name === '') return [];
  if (/^[A-Za-z0-9._-]+$/.test(name) && name !== '.' && name !== '..' && name.length <= 253) return [];
  return [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: a name may contain only letters, digits, '-', '.' and '_'` }];
}

/** Validates the envelope of a body: an object whose kind/apiVersion (if given) fit the resource. */
function checkBody(info: ResourceInfo, body: unknown, namespace: string | undefined): KubeObject {
  if (!isPlainObject(body)) throw new BadRequestError('the request body must be a JSON object');
  // Bodies arrive freshly decoded (JSON or msgpack), so the registry may own them without a copy.
  const obj = body as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isPlainObject(obj.metadata)) throw new BadRequestError('metadata must be an object');
  const gv = info.group ? `${info.group}/${info.version}` : info.version;
  if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
    throw new BadRequestError(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`);
  }
  if (obj.kind !== undefined && obj.kind !== info.kind) {
    throw new BadRequestError(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${info.kind})`);
  }
  if (info.namespaced && obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
    throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
  }
  return obj;
}

function markForDeletion(info: ResourceInfo, obj: KubeObject, opts: DeleteFlags, now: Date): void {
  const m = obj.metadata;
  const finalizers = new Set(m.finalizers ?? []);
  if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
  if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
  if (finalizers.size > 0) m.finalizers = [...finalizers];
  const grace = gracePeriod(info, obj, opts);
  if (!m.deletionTimestamp) {
    m.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
    m.deletionGracePeriodSeconds = grace;
  } else if (grace < (m.deletionGracePeriodSeconds ?? 0)) {
    // A second delete may only shorten the grace period.
    m.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
    m.deletionGracePeriodSeconds = grace;
  }
  if (info.kind === 'Namespace') (obj as any).status = { ...(obj as any).status, phase: 'Terminating' };
}

/** Pods on a node get their grace period; everything else is deleted at once. */
function gracePeriod(info: ResourceInfo, obj: KubeObject, opts: DeleteFlags): number {
  if (info.kind !== 'Pod') return 0;
  const pod = obj as any;
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  if (!pod.spec?.nodeName || terminal) return 0;
  const g = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, g);
}

function awaitingGrace(info: ResourceInfo, obj: KubeObject): boolean {
  return info.kind === 'Pod' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
}

function isFinalized(info: ResourceInfo, obj: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return false;
  if (info.kind === 'Namespace' && ((obj as any).spec?.finalizers ?? []).length > 0) return false;
  return true;
}

function stripVersion(obj: KubeObject): KubeObject {
  if (obj.metadata.resourceVersion === undefined) return obj;
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The 404 for a missing object, worded as Kubernetes words it. */
export function notFound(info: ResourceInfo, name: string): NotFoundError {
  return new NotFoundError(`${qualifiedResource(info)} "${name}" not found`, {
    name,
    group: info.group || undefined,
    kind: info.plural,
  });
}

/** The 409 for a stale resourceVersion, worded as Kubernetes words it. */
export function conflict(info: ResourceInfo, name: string): ConflictError {
  return new ConflictError(
    `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: info.group || undefined, kind: info.plural },
  );
}
