/**
 * Revision bookkeeping on a Deployment and its ReplicaSets, which `kubectl rollout history` and
 * `rollout undo` read (pkg/controller/deployment/util): each template change gets the next
 * revision number; a rollback re-uses the old ReplicaSet and moves its number to the top,
 * remembering the numbers it had in `revision-history`.
 *
 * The functions work on plain annotation maps so callers decide what to write.
 */
import type { DeepReadonly, ReplicaSet } from '@kubesim/api';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './rollout-math.js';

/** The revision number, on a ReplicaSet and (copied from the newest) on its Deployment. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Earlier revision numbers of a ReplicaSet that a rollback re-used. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** Why a revision was made; copied from the Deployment to its new ReplicaSet. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Upstream's cap on the revision-history annotation. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** Annotations of a Deployment that never move to its ReplicaSets. */
const NOT_COPIED = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO,
]);

type Annotations = Record<string, string>;

/** The revision number of a ReplicaSet; 0 when it has none (or an unreadable one). */
export function revisionOf(rs: DeepReadonly<ReplicaSet> | undefined): number {
  const raw = rs?.metadata.annotations?.[REVISION_ANNOTATION];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0;
}

/** The highest revision among ReplicaSets (0 for none). */
export function maxRevision(rss: readonly (DeepReadonly<ReplicaSet> | undefined)[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Copies the Deployment's annotations (except the bookkeeping ones) onto a ReplicaSet's. */
export function copyDeploymentAnnotations(from: Readonly<Annotations> | undefined, to: Annotations): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(from ?? {})) {
    if (NOT_COPIED.has(k) || to[k] === v) continue;
    to[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(to: Annotations, desired: number, max: number): boolean {
  let changed = false;
  for (const [k, v] of [
    [DESIRED_REPLICAS_ANNOTATION, String(desired)],
    [MAX_REPLICAS_ANNOTATION, String(max)],
  ] as const) {
    if (to[k] === v) continue;
    to[k] = v;
    changed = true;
  }
  return changed;
}

/** True when desired-replicas or max-replicas differ from what they should be. */
export function replicasAnnotationsNeedUpdate(annotations: Readonly<Annotations> | undefined, desired: number, max: number): boolean {
  return annotations?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations?.[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * Brings the new ReplicaSet's annotations up to date (SetNewReplicaSetAnnotations): the
 * Deployment's annotations, `revision` raised to `newRevision` (an older number moves into
 * `revision-history`), and, for a ReplicaSet not yet created, the replicas annotations.
 * Returns true when anything changed.
 */
export function setNewReplicaSetAnnotations(
  deploymentAnnotations: Readonly<Annotations> | undefined,
  rs: Annotations,
  newRevision: number,
  exists: boolean,
  replicas: { desired: number; max: number },
): boolean {
  let changed = copyDeploymentAnnotations(deploymentAnnotations, rs);
  const oldRaw = rs[REVISION_ANNOTATION];
  if (oldRaw !== undefined && oldRaw !== '' && !/^\d+$/.test(oldRaw)) return changed;
  const oldRevision = oldRaw ? Number(oldRaw) : 0;
  if (oldRevision < newRevision) {
    rs[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRaw !== undefined && oldRaw !== '') appendRevisionHistory(rs, oldRaw);
  }
  if (!exists && setReplicasAnnotations(rs, replicas.desired, replicas.max)) changed = true;
  return changed;
}

/** Sets the Deployment's revision annotation; true when it changed. */
export function setDeploymentRevision(annotations: Annotations, revision: string): boolean {
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}

/** Appends `oldRevision` to revision-history, dropping the oldest entries past the length cap. */
function appendRevisionHistory(rs: Annotations, oldRevision: string): void {
  const history = rs[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    rs[REVISION_HISTORY_ANNOTATION] = oldRevision;
    return;
  }
  const entries = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > MAX_REVISION_HISTORY_CHARS && start < entries.length) total -= entries[start++].length + 1;
  if (total <= MAX_REVISION_HISTORY_CHARS) rs[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), oldRevision].join(',');
}
