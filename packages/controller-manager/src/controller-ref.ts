/**
 * Controller references (pkg/controller ControllerRefManager): which objects a controller owns,
 * adopting orphans its selector matches and releasing owned objects it no longer matches.
 */
import {
  isReason,
  type DeepReadonly,
  type KubeObject,
  type ObjectMeta,
  type OwnerReference,
  type ResourceClient,
} from '@kubesim/api';

type Meta = DeepReadonly<ObjectMeta>;

/** The owner reference marked `controller: true`, if any. */
export function controllerOf(meta: Meta): DeepReadonly<OwnerReference> | undefined {
  return meta.ownerReferences?.find((r) => r.controller === true);
}

/** The reference a controller puts on what it creates or adopts (metav1.NewControllerRef). */
export function newControllerRef(owner: { metadata: Meta }, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/**
 * What a controller does with one candidate object (ClaimObject):
 * - `keep`: it controls the object and its selector matches;
 * - `adopt`: an orphan it matches, neither side being deleted, in its namespace;
 * - `release`: it controls the object but no longer matches it (and is not being deleted);
 * - `ignore`: someone else's, or an orphan it cannot or should not take.
 */
export type ClaimDecision = 'keep' | 'adopt' | 'release' | 'ignore';

/** Decides the claim of one object by a controller (pure). */
export function claimDecision(controller: Meta, obj: Meta, matches: boolean): ClaimDecision {
  const ref = controllerOf(obj);
  if (ref) {
    if (ref.uid !== controller.uid) return 'ignore';
    if (matches) return 'keep';
    return controller.deletionTimestamp ? 'ignore' : 'release';
  }
  if (controller.deletionTimestamp || !matches || obj.deletionTimestamp) return 'ignore';
  if (controller.namespace && controller.namespace !== obj.namespace) return 'ignore';
  return 'adopt';
}

/** What claiming needs to know about the controller and the claimed resource. */
export interface ClaimOptions<T extends KubeObject> {
  /** Client of the claimed objects' resource (pods, replicasets). */
  client: ResourceClient<T>;
  /** The controller, as cached. */
  controller: DeepReadonly<KubeObject>;
  /** apiVersion and kind of the controller, for the references it writes. */
  apiVersion: string;
  kind: string;
  /** True when the controller's selector matches an object's labels. */
  matches: (obj: DeepReadonly<T>) => boolean;
  /**
   * Re-reads the controller from the apiserver and throws if it was deleted or replaced
   * (RecheckDeletionTimestamp); called once, before the first adoption.
   */
  recheck: () => Promise<void>;
}

/**
 * Claims candidates for a controller and returns those it owns afterwards: adopts matching
 * orphans, releases owned objects that stopped matching. Objects that vanish meanwhile are
 * skipped; any other failed write is thrown after the rest were tried.
 */
export async function claimObjects<T extends KubeObject>(candidates: readonly DeepReadonly<T>[], opts: ClaimOptions<T>): Promise<DeepReadonly<T>[]> {
  const claimed: DeepReadonly<T>[] = [];
  let rechecked: Promise<void> | undefined;
  let firstError: unknown;
  await Promise.all(
    candidates.map(async (obj) => {
      const decision = claimDecision(opts.controller.metadata, obj.metadata, opts.matches(obj));
      if (decision === 'keep') claimed.push(obj);
      if (decision !== 'adopt' && decision !== 'release') return;
      try {
        if (decision === 'adopt') {
          await (rechecked ??= opts.recheck());
          await adopt(opts, obj);
          claimed.push(obj);
        } else {
          await release(opts, obj);
        }
      } catch (err) {
        if (!isReason(err, 'NotFound')) firstError ??= err;
      }
    }),
  );
  if (firstError !== undefined) throw firstError;
  return claimed;
}

async function adopt<T extends KubeObject>(opts: ClaimOptions<T>, obj: DeepReadonly<T>): Promise<void> {
  const ref = newControllerRef(opts.controller, opts.apiVersion, opts.kind);
  // The resourceVersion makes the adoption conditional: an object that changed since the cache
  // saw it (perhaps adopted by someone else) is left for the next sync.
  const patch = { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: [ref] } };
  await opts.client.patch(obj.metadata.namespace, obj.metadata.name!, 'strategic', patch);
}

async function release<T extends KubeObject>(opts: ClaimOptions<T>, obj: DeepReadonly<T>): Promise<void> {
  const patch = { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: [{ $patch: 'delete', uid: opts.controller.metadata.uid }] } };
  await opts.client.patch(obj.metadata.namespace, obj.metadata.name!, 'strategic', patch);
}
