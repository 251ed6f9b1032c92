/**
 * Which pods to delete first when a controller scales down (pkg/controller ActivePodsWithRanks):
 * the least valuable go first, so a scale-down removes pods that serve nothing yet before pods
 * that have been serving for long.
 */
import type { DeepReadonly, Pod } from '@kubesim/api';
import { isPodReady, maxContainerRestarts, parseTime, readyCondition } from './pods.js';

type PodView = DeepReadonly<Pod>;

/** Pending before Unknown before Running: an earlier phase is cheaper to lose. */
const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The annotation that lets users say which pods matter less (upstream PodDeletionCost). */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** A pod and how many of its related pods share its node (more = doubled up = cheaper to lose). */
export interface RankedPod {
  pod: PodView;
  rank: number;
}

/**
 * Negative when `a` should be deleted before `b`. The order, first difference wins:
 * 1. unassigned before assigned;
 * 2. Pending before Unknown before Running;
 * 3. not ready before ready;
 * 4. lower pod-deletion-cost before higher;
 * 5. more related pods on the same node before fewer;
 * 6. ready for less time before ready for longer;
 * 7. higher container restart count before lower;
 * 8. newer before older.
 */
export function compareForDeletion(a: RankedPod, b: RankedPod): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const phaseA = PHASE_ORDER[pa.status?.phase ?? ''] ?? 0;
  const phaseB = PHASE_ORDER[pb.status?.phase ?? ''] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costA = deletionCost(pa);
  const costB = deletionCost(pb);
  if (costA !== costB) return costA - costB;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (readyA && readyB) {
    const byReady = newerFirst(parseTime(readyCondition(pa)?.lastTransitionTime), parseTime(readyCondition(pb)?.lastTransitionTime));
    if (byReady !== 0) return byReady;
  }
  const restarts = maxContainerRestarts(pb) - maxContainerRestarts(pa);
  if (restarts !== 0) return restarts;
  return newerFirst(parseTime(pa.metadata.creationTimestamp), parseTime(pb.metadata.creationTimestamp));
}

/**
 * Picks `count` pods of `pods` to delete. `related` are the pods whose node placement counts
 * towards the rank (the controller's own and its siblings', e.g. all pods of one Deployment).
 */
export function podsToDelete(pods: readonly PodView[], related: readonly PodView[], count: number): PodView[] {
  if (count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: perNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort(compareForDeletion);
  return ranked.slice(0, count).map((r) => r.pod);
}

/** The pod-deletion-cost annotation as a number; 0 when absent or not an integer. */
function deletionCost(pod: PodView): number {
  const raw = pod.metadata.annotations?.[POD_DELETION_COST];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(n) ? n : 0;
}

/** Upstream afterOrZero: a missing time sorts first, then the later time. */
function newerFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
}
