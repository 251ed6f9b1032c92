/**
 * The garbage collector (pkg/controller/garbagecollector): follows ownerReferences.
 *
 * - A dependent whose owners are all gone (by uid; a namespaced owner is looked for in the
 *   dependent's namespace) is deleted, in the background unless its own finalizers say otherwise.
 * - An owner deleted with propagationPolicy=Foreground (finalizer `foregroundDeletion`) has its
 *   dependents deleted first, waits until those with blockOwnerDeletion are gone, then loses
 *   the finalizer, so the apiserver removes it.
 * - An owner deleted with propagationPolicy=Orphan (finalizer `orphan`) has the references to
 *   it removed from its dependents, then loses the finalizer.
 *
 * The owner→dependents graph is the informers' caches, indexed by owner uid. Caches of different
 * resources lag each other, so a deletion is only done after re-reading the dependent, and an
 * owner missing from the cache is looked up in the apiserver before it is called gone.
 */
import {
  Controller,
  RESOURCES,
  isReason,
  parseApiVersion,
  type DeepReadonly,
  type Informer,
  type KubeObject,
  type LogFn,
  type OwnerReference,
  type ResourceClient,
  type ResourceInfo,
} from '@kubesim/api';
import {
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
  blockingDependents,
  decideForDependent,
  isBeingDeleted,
  isDeletingDependents,
  isOrphaning,
  ownerNamespace,
  ownerState,
  withoutOwners,
  type ClassifiedReference,
  type GcAction,
  type OwnerState,
} from '../gc-policy.js';
import { OWNER_UID_INDEX } from '../informers.js';
import { canonicalJson } from '../canonical-json.js';
import type { ControllerContext, ManagedController } from './context.js';

type Obj = DeepReadonly<KubeObject>;

/** An object and the resource it belongs to. */
interface Item {
  info: ResourceInfo;
  obj: Obj;
}

/** Every stored resource except events (which nothing owns in practice and which churn). */
export const GC_RESOURCES: readonly ResourceInfo[] = RESOURCES.filter(
  (r) => r.plural !== 'events' && (!r.storageVersion || r.storageVersion === r.version),
);

/** How many owner uids known to be gone are remembered (upstream keeps 500). */
const ABSENT_OWNERS_CAPACITY = 10_000;
const WRITE_RETRIES = 5;

/** Registers its handlers on construction; `run` starts both queues' workers. */
export class GarbageCollector implements ManagedController {
  readonly name = 'garbagecollector';
  /** Decides and deletes (attemptToDelete). */
  readonly deleter: Controller;
  /** Lets dependents go (attemptToOrphan). */
  readonly orphaner: Controller;
  private readonly informers = new Map<ResourceInfo, Informer<KubeObject>>();
  private readonly absentOwners = new Set<string>();
  private readonly unknownKinds = new Set<string>();
  private readonly log: LogFn;

  constructor(private readonly ctx: ControllerContext) {
    this.log = ctx.log('garbage-collector');
    const common = { clock: ctx.clock, log: this.log, workers: ctx.settings.workers.garbagecollector };
    this.deleter = new Controller({ ...common, name: 'garbage-collector-delete', reconcile: (key) => this.attemptToDelete(key) });
    this.orphaner = new Controller({ ...common, name: 'garbage-collector-orphan', reconcile: (key) => this.attemptToOrphan(key) });
    for (const info of GC_RESOURCES) {
      const inf = ctx.informers.informer(info);
      ctx.informers.ensureIndex(info, OWNER_UID_INDEX);
      this.informers.set(info, inf);
      inf.addEventHandler({
        onAdd: (obj) => this.added({ info, obj }),
        onUpdate: (old, cur) => this.updated(info, old, cur),
        onDelete: (obj) => this.deleted({ info, obj }),
      });
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.deleter.start(signal), this.orphaner.start(signal)]);
  }

  // ---- attemptToDelete ----

  /** Handles one object: a foreground deletion in progress, or a dependent to check. */
  async attemptToDelete(key: string): Promise<void> {
    const item = this.fromKey(key);
    if (!item) return;
    const meta = item.obj.metadata;
    if (isDeletingDependents(meta)) return this.processDeletingDependents(item);
    if (isBeingDeleted(meta) || !meta.ownerReferences?.length) return;
    let action = decideForDependent(await this.classify(item.obj, meta.ownerReferences), this.hasDependents(meta.uid!), meta.finalizers);
    if (action.kind === 'none') return;
    // The caches of different resources lag each other: decide again on the live object.
    const live = await this.getLive(item.info, meta.namespace, meta.name!, meta.uid!);
    if (!live || isBeingDeleted(live.metadata)) return;
    const liveRefs = live.metadata.ownerReferences ?? [];
    if (canonicalJson(liveRefs) !== canonicalJson(meta.ownerReferences)) {
      action = decideForDependent(await this.classify(live, liveRefs), this.hasDependents(meta.uid!), live.metadata.finalizers);
    }
    await this.execute(item.info, live, action);
  }

  /** Classifies each owner reference of `dependent` as solid, dangling or waiting. */
  private async classify(dependent: Obj, refs: readonly DeepReadonly<OwnerReference>[]): Promise<ClassifiedReference[]> {
    return Promise.all(refs.map(async (ref) => ({ ref, state: await this.ownerStateOf(dependent, ref) })));
  }

  private async ownerStateOf(dependent: Obj, ref: DeepReadonly<OwnerReference>): Promise<OwnerState> {
    const info = storedResource(ref.apiVersion, ref.kind);
    if (!info) {
      // Nothing of that kind can exist here, but a reference to it cannot be verified either: keep.
      if (!this.unknownKinds.has(`${ref.apiVersion}/${ref.kind}`)) {
        this.unknownKinds.add(`${ref.apiVersion}/${ref.kind}`);
        this.log('warn', 'owner reference to an unknown kind; the dependent is kept', { apiVersion: ref.apiVersion, kind: ref.kind });
      }
      return 'solid';
    }
    const where = ownerNamespace(dependent.metadata.namespace, info.namespaced);
    if (where === 'invalid' || this.absentOwners.has(ref.uid)) return 'dangling';
    const cached = this.informers.get(info)?.get(cacheKey(where.namespace, ref.name));
    if (cached?.metadata.uid === ref.uid) return ownerState(cached.metadata);
    const live = await this.getLive(info, where.namespace, ref.name, ref.uid);
    if (!live) this.rememberAbsent(ref.uid);
    return ownerState(live?.metadata);
  }

  private async execute(info: ResourceInfo, live: KubeObject, action: GcAction): Promise<void> {
    const { namespace, name, uid } = live.metadata;
    const client = this.ctx.client.resource(info);
    if (action.kind === 'removeOwnerReferences') {
      const patch = { metadata: { resourceVersion: live.metadata.resourceVersion, ownerReferences: withoutOwners(live.metadata.ownerReferences, action.uids) } };
      await ignoreNotFound(client.patch(namespace, name!, 'merge', patch));
    } else if (action.kind === 'delete') {
      this.log('info', 'deleting a dependent', { resource: info.plural, namespace, name, propagationPolicy: action.policy });
      await ignoreNotFound(client.delete(namespace, name!, { propagationPolicy: action.policy, preconditions: { uid } }));
    }
  }

  /**
   * A foreground deletion: while dependents with blockOwnerDeletion remain, make sure every
   * dependent is being deleted; once none blocks, remove the finalizer.
   */
  private async processDeletingDependents(owner: Item): Promise<void> {
    const deps = this.dependents(owner.obj.metadata.uid!);
    const blocking = blockingDependents(owner.obj.metadata.uid!, deps.map((d) => d.obj));
    if (blocking.length === 0) {
      await this.removeFinalizer(owner.info, owner.obj, FOREGROUND_FINALIZER);
      return;
    }
    for (const dep of deps) if (!isDeletingDependents(dep.obj.metadata)) this.deleter.enqueue(itemKey(dep));
  }

  // ---- attemptToOrphan ----

  /** Removes the references to an orphaning owner from its dependents, then its finalizer. */
  async attemptToOrphan(key: string): Promise<void> {
    const owner = this.fromKey(key);
    if (!owner || !isOrphaning(owner.obj.metadata)) return;
    const uid = owner.obj.metadata.uid!;
    await Promise.all(this.dependents(uid).map((dep) => this.dropReference(dep, uid)));
    await this.removeFinalizer(owner.info, owner.obj, ORPHAN_FINALIZER);
  }

  private async dropReference(dep: Item, ownerUid: string): Promise<void> {
    const { namespace, name, uid } = dep.obj.metadata;
    await this.writeLoop(dep.info, namespace, name!, uid!, (live) => {
      const refs = live.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === ownerUid)) return undefined;
      return { metadata: { resourceVersion: live.metadata.resourceVersion, ownerReferences: withoutOwners(refs, [ownerUid]) } };
    });
  }

  private async removeFinalizer(info: ResourceInfo, obj: Obj, finalizer: string): Promise<void> {
    const { namespace, name, uid } = obj.metadata;
    await this.writeLoop(info, namespace, name!, uid!, (live) => {
      const finalizers = live.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      return { metadata: { resourceVersion: live.metadata.resourceVersion, finalizers: finalizers.filter((f) => f !== finalizer) } };
    });
  }

  /**
   * Read-modify-write with the resourceVersion as precondition: `patchOf` builds a merge patch
   * from the live object (undefined: nothing to do). Retried on conflicts; a vanished object
   * (or another one under the name) ends it.
   */
  private async writeLoop(info: ResourceInfo, namespace: string | undefined, name: string, uid: string, patchOf: (live: KubeObject) => object | undefined): Promise<void> {
    const client = this.ctx.client.resource(info);
    for (let attempt = 0; ; attempt++) {
      const live = await this.getLive(info, namespace, name, uid);
      const patch = live && patchOf(live);
      if (!patch) return;
      try {
        await client.patch(namespace, name, 'merge', patch);
        return;
      } catch (err) {
        if (isReason(err, 'NotFound')) return;
        if (!isReason(err, 'Conflict') || attempt >= WRITE_RETRIES) throw err;
      }
    }
  }

  // ---- the graph ----

  /** Objects of every watched resource that name `uid` as an owner. */
  private dependents(uid: string): Item[] {
    const out: Item[] = [];
    for (const [info, inf] of this.informers) for (const obj of inf.byIndex(OWNER_UID_INDEX, uid)) out.push({ info, obj });
    return out;
  }

  private hasDependents(uid: string): boolean {
    for (const inf of this.informers.values()) if (inf.byIndex(OWNER_UID_INDEX, uid).length > 0) return true;
    return false;
  }

  /** The cached owner a reference of `dependent` points at, when cached with that uid. */
  private cachedOwner(dependent: Obj, ref: DeepReadonly<OwnerReference>): Item | undefined {
    const info = storedResource(ref.apiVersion, ref.kind);
    if (!info) return undefined;
    const where = ownerNamespace(dependent.metadata.namespace, info.namespaced);
    if (where === 'invalid') return undefined;
    const obj = this.informers.get(info)?.get(cacheKey(where.namespace, ref.name));
    return obj && obj.metadata.uid === ref.uid ? { info, obj } : undefined;
  }

  /** The live object, or undefined when it is gone or another object (uid) has its name. */
  private async getLive(info: ResourceInfo, namespace: string | undefined, name: string, uid: string): Promise<KubeObject | undefined> {
    try {
      const live = await (this.ctx.client.resource(info) as ResourceClient<KubeObject>).get(namespace, name);
      return live.metadata.uid === uid ? live : undefined;
    } catch (err) {
      if (isReason(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  private rememberAbsent(uid: string): void {
    if (this.absentOwners.size >= ABSENT_OWNERS_CAPACITY) this.absentOwners.delete(this.absentOwners.values().next().value!);
    this.absentOwners.add(uid);
  }

  private fromKey(key: string): Item | undefined {
    const [group, plural, namespace, name, uid] = key.split('|');
    const info = GC_RESOURCES.find((r) => r.group === group && r.plural === plural);
    const obj = info && this.informers.get(info)?.get(cacheKey(namespace || undefined, name));
    return obj && obj.metadata.uid === uid ? { info: info!, obj } : undefined;
  }

  // ---- handlers: they only enqueue ----

  private added(item: Item): void {
    const m = item.obj.metadata;
    if (m.ownerReferences?.length || isDeletingDependents(m)) this.deleter.enqueue(itemKey(item));
    if (isOrphaning(m)) this.orphaner.enqueue(itemKey(item));
  }

  private updated(info: ResourceInfo, old: Obj, cur: Obj): void {
    const item = { info, obj: cur };
    const refsChanged = canonicalJson(old.metadata.ownerReferences ?? []) !== canonicalJson(cur.metadata.ownerReferences ?? []);
    if (refsChanged) {
      this.deleter.enqueue(itemKey(item));
      // A dependent that dropped (or unblocked) a reference may be what a foreground deletion waits for.
      for (const ref of [...(old.metadata.ownerReferences ?? []), ...(cur.metadata.ownerReferences ?? [])]) this.enqueueIfDeletingDependents(cur, ref);
    }
    if (isDeletingDependents(cur.metadata)) {
      this.deleter.enqueue(itemKey(item));
      if (!isDeletingDependents(old.metadata)) for (const dep of this.dependents(cur.metadata.uid!)) this.deleter.enqueue(itemKey(dep));
    }
    if (isOrphaning(cur.metadata)) this.orphaner.enqueue(itemKey(item));
  }

  private deleted(item: Item): void {
    for (const dep of this.dependents(item.obj.metadata.uid!)) this.deleter.enqueue(itemKey(dep));
    for (const ref of item.obj.metadata.ownerReferences ?? []) this.enqueueIfDeletingDependents(item.obj, ref);
  }

  private enqueueIfDeletingDependents(dependent: Obj, ref: DeepReadonly<OwnerReference>): void {
    const owner = this.cachedOwner(dependent, ref);
    if (owner && isDeletingDependents(owner.obj.metadata)) this.deleter.enqueue(itemKey(owner));
  }
}

/** The stored resource of an apiVersion and kind (any served version of the group). */
function storedResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  const { group } = parseApiVersion(apiVersion);
  return RESOURCES.find((r) => r.group === group && r.kind === kind && (!r.storageVersion || r.storageVersion === r.version));
}

/** The workqueue key of an object: resource, namespace, name and uid. */
function itemKey({ info, obj }: Item): string {
  return [info.group, info.plural, obj.metadata.namespace ?? '', obj.metadata.name ?? '', obj.metadata.uid ?? ''].join('|');
}

function cacheKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isReason(err, 'NotFound')) throw err;
  }
}
