/**
 * Orders and picks among a Deployment's ReplicaSets (pkg/controller and deployment/util):
 * oldest first, largest first, by revision; which one is the new ReplicaSet (its template equals
 * the Deployment's), and which one a plain scaling should resize.
 */
import type { DeepReadonly, Deployment, ReplicaSet } from '@kubesim/api';
import { parseTime } from './pods.js';
import { revisionOf } from './revisions.js';
import { DESIRED_REPLICAS_ANNOTATION, desiredReplicas, intAnnotation, rsReplicas } from './rollout-math.js';
import { equalIgnoreHash } from './template-hash.js';

type RSView = DeepReadonly<ReplicaSet>;

/** Oldest first; same second: by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: RSView, b: RSView): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Largest first; same size: newest first (ReplicaSetsBySizeNewer, used to scale up). */
export function bySizeNewer(a: RSView, b: RSView): number {
  const d = rsReplicas(b) - rsReplicas(a);
  return d !== 0 ? d : byCreation(b, a);
}

/** Largest first; same size: oldest first (ReplicaSetsBySizeOlder, used to scale down). */
export function bySizeOlder(a: RSView, b: RSView): number {
  const d = rsReplicas(b) - rsReplicas(a);
  return d !== 0 ? d : byCreation(a, b);
}

/** Lowest revision first; same revision: oldest first (ReplicaSetsByRevision). */
export function byRevision(a: RSView, b: RSView): number {
  const d = revisionOf(a) - revisionOf(b);
  return d !== 0 ? d : byCreation(a, b);
}

/** ReplicaSets asked for at least one pod. */
export function activeReplicaSets(rss: readonly (RSView | undefined)[]): RSView[] {
  return rss.filter((rs): rs is RSView => !!rs && rsReplicas(rs) > 0);
}

/** The oldest ReplicaSet whose template equals the Deployment's, hash label aside (FindNewReplicaSet). */
export function findNewReplicaSet(d: DeepReadonly<Deployment>, rss: readonly RSView[]): RSView | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/**
 * The one ReplicaSet a plain scaling resizes (FindActiveOrLatest): the only active one, or, when
 * none is active, the new one or else the newest old one; undefined when several are active.
 */
export function findActiveOrLatest(newRS: RSView | undefined, oldRSs: readonly RSView[]): RSView | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** True when the new ReplicaSet alone runs every replica, all available (IsSaturated). */
export function isSaturated(d: DeepReadonly<Deployment>, rs: RSView | undefined): boolean {
  if (!rs) return false;
  const replicas = desiredReplicas(d);
  return rsReplicas(rs) === replicas && intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}
