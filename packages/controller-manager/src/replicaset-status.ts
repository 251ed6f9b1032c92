/**
 * A ReplicaSet's status from the pods it owns (the replicaset controller's calculateStatus):
 * how many exist, carry the template's labels, are ready, and have been ready for
 * minReadySeconds; plus the ReplicaFailure condition when creating or deleting pods failed.
 */
import { labelSelectorFromObject, type DeepReadonly, type Pod, type ReplicaSet, type ReplicaSetStatus } from '@kubesim/api';
import { formatTime, isPodAvailable, isPodReady, msUntilAvailable } from './pods.js';
import { canonicalJson } from './canonical-json.js';

type PodView = DeepReadonly<Pod>;
type ReplicaSetView = DeepReadonly<ReplicaSet>;

/**
 * The status for `pods` (the active pods the ReplicaSet owns). `failure` is the error of this
 * sync's creations or deletions, if any, and `diff` says which it was (negative: creating).
 */
export function calculateReplicaSetStatus(
  rs: ReplicaSetView,
  pods: readonly PodView[],
  nowMs: number,
  failure?: { error: unknown; diff: number },
): ReplicaSetStatus {
  const templateLabels = labelSelectorFromObject({ matchLabels: { ...(rs.spec?.template?.metadata?.labels ?? {}) } });
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (!isPodReady(pod)) continue;
    ready++;
    if (isPodAvailable(pod, minReady, nowMs)) available++;
  }
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
  };
  let conditions = structuredClone((rs.status?.conditions ?? []) as NonNullable<ReplicaSetStatus['conditions']>);
  const hasFailure = conditions.some((c) => c.type === 'ReplicaFailure');
  if (failure && !hasFailure) {
    const reason = failure.diff < 0 ? 'FailedCreate' : 'FailedDelete';
    const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: formatTime(nowMs), reason, message });
  } else if (!failure && hasFailure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  if (conditions.length > 0) status.conditions = conditions;
  return compactReplicaSetStatus(status);
}

/** Leaves out zero counts (omitempty) except `replicas`, which upstream always writes. */
export function compactReplicaSetStatus(status: ReplicaSetStatus): ReplicaSetStatus {
  const out: Record<string, unknown> = { replicas: status.replicas ?? 0 };
  for (const [k, v] of Object.entries(status)) {
    if (k === 'replicas' || v === undefined || v === null || v === 0) continue;
    out[k] = v;
  }
  return out as unknown as ReplicaSetStatus;
}

/** True when two statuses say the same thing (key order and omitted zeros aside). */
export function sameReplicaSetStatus(a: DeepReadonly<ReplicaSetStatus> | undefined, b: DeepReadonly<ReplicaSetStatus>): boolean {
  const stored = compactReplicaSetStatus((a ?? { replicas: 0 }) as ReplicaSetStatus);
  return canonicalJson(stored) === canonicalJson(compactReplicaSetStatus(b as ReplicaSetStatus));
}

/** Milliseconds until the next ready pod turns available (minReadySeconds), if any is waiting. */
export function msUntilNextAvailable(rs: ReplicaSetView, pods: readonly PodView[], nowMs: number): number | undefined {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let soonest: number | undefined;
  for (const pod of pods) {
    const left = msUntilAvailable(pod, minReady, nowMs);
    if (left !== undefined && (soonest === undefined || left < soonest)) soonest = left;
  }
  return soonest;
}
