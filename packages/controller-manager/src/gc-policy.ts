/**
 * The garbage collector's decisions, as pure functions (pkg/controller/garbagecollector
 * attemptToDeleteItem and processDeletingDependentsItem): what to do with an object given the
 * state of each of its owners, and when a foreground deletion may finish.
 */
import type { DeepReadonly, ObjectMeta, OwnerReference } from '@kubesim/api';

/** Finalizer the apiserver adds for propagationPolicy=Foreground. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Finalizer the apiserver adds for propagationPolicy=Orphan. */
export const ORPHAN_FINALIZER = 'orphan';

type Meta = DeepReadonly<ObjectMeta>;

/**
 * What an owner reference points at:
 * - `solid`: an owner that exists and is not waiting for its dependents;
 * - `dangling`: no such owner (gone, another uid under that name, or an invalid reference);
 * - `waiting`: an owner being deleted in the foreground, waiting for its dependents to go.
 */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

/** An owner reference and the state of its owner. */
export interface ClassifiedReference {
  ref: DeepReadonly<OwnerReference>;
  state: OwnerState;
}

/** What the collector does to one dependent. */
export type GcAction =
  | { kind: 'none' }
  | { kind: 'removeOwnerReferences'; uids: string[] }
  | { kind: 'delete'; policy: 'Background' | 'Foreground' | 'Orphan' };

/** True once the object has a deletionTimestamp. */
export function isBeingDeleted(meta: Meta): boolean {
  return !!meta.deletionTimestamp;
}

/** True for an object being deleted in the foreground: it waits for its dependents. */
export function isDeletingDependents(meta: Meta): boolean {
  return isBeingDeleted(meta) && (meta.finalizers ?? []).includes(FOREGROUND_FINALIZER);
}

/** True for an object being deleted with orphan propagation: its dependents are to be let go. */
export function isOrphaning(meta: Meta): boolean {
  return isBeingDeleted(meta) && (meta.finalizers ?? []).includes(ORPHAN_FINALIZER);
}

/** The state of an owner found with the referenced uid; `undefined` means it does not exist. */
export function ownerState(owner: Meta | undefined): OwnerState {
  if (!owner) return 'dangling';
  return isDeletingDependents(owner) ? 'waiting' : 'solid';
}

/**
 * Decides the fate of an object with owner references (attemptToDeleteItem):
 * - any solid owner keeps it; references to dangling or waiting owners are removed;
 * - with no solid owner but an owner waiting in the foreground, an object that has dependents
 *   of its own is deleted in the foreground too (so the wait propagates down the tree);
 * - otherwise it is garbage: deleted with the propagation its own finalizers ask for, else
 *   in the background.
 */
export function decideForDependent(refs: readonly ClassifiedReference[], hasDependents: boolean, finalizers: readonly string[] = []): GcAction {
  if (refs.length === 0) return { kind: 'none' };
  const solid = refs.filter((r) => r.state === 'solid');
  const stale = refs.filter((r) => r.state !== 'solid');
  if (solid.length > 0) {
    return stale.length === 0 ? { kind: 'none' } : { kind: 'removeOwnerReferences', uids: stale.map((r) => r.ref.uid) };
  }
  if (hasDependents && refs.some((r) => r.state === 'waiting')) return { kind: 'delete', policy: 'Foreground' };
  if (finalizers.includes(ORPHAN_FINALIZER)) return { kind: 'delete', policy: 'Orphan' };
  if (finalizers.includes(FOREGROUND_FINALIZER)) return { kind: 'delete', policy: 'Foreground' };
  return { kind: 'delete', policy: 'Background' };
}

/** Dependents that hold up a foreground deletion of `ownerUid`: those with blockOwnerDeletion. */
export function blockingDependents<T extends { metadata: Meta }>(ownerUid: string, dependents: readonly T[]): T[] {
  return dependents.filter((d) => (d.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true));
}

/** The owner references left once those to `uids` are taken out. */
export function withoutOwners(refs: readonly DeepReadonly<OwnerReference>[] | undefined, uids: readonly string[]): OwnerReference[] {
  return (refs ?? []).filter((r) => !uids.includes(r.uid)).map((r) => ({ ...r }));
}

/**
 * Where to look for the owner a reference names: the dependent's namespace for a namespaced
 * owner kind, nowhere for a cluster-scoped dependent naming a namespaced kind (an invalid
 * reference, treated as dangling), and the cluster scope otherwise.
 */
export function ownerNamespace(dependentNamespace: string | undefined, ownerNamespaced: boolean): { namespace?: string } | 'invalid' {
  if (!ownerNamespaced) return {};
  if (!dependentNamespace) return 'invalid';
  return { namespace: dependentNamespace };
}
