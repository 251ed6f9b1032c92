/**
 * A Deployment's status and conditions, computed from its ReplicaSets (the deployment
 * controller's calculateStatus and syncRolloutStatus). `kubectl rollout status` reads
 * observedGeneration, replicas, updatedReplicas and availableReplicas, and the Progressing
 * condition's reason for the progress deadline.
 */
import type { DeepReadonly, Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '@kubesim/api';
import { formatTime, parseTime } from './pods.js';
import { desiredReplicas, maxUnavailable, specReplicaSum, statusSum } from './rollout-math.js';

type DeploymentView = DeepReadonly<Deployment>;
type ReplicaSetView = DeepReadonly<ReplicaSet>;

/** Progressing condition reasons and Available ones, spelled as upstream spells them. */
export const REASONS = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  failedCreate: 'ReplicaSetCreateError',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** progressDeadlineSeconds' "no deadline" value (math.MaxInt32). */
const NO_DEADLINE = 2147483647;

/** A condition stamped with `nowMs` as both its update and transition time. */
export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = formatTime(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** The condition of a type, if present. */
export function getCondition(status: DeepReadonly<DeploymentStatus> | undefined, type: string): DeepReadonly<DeploymentCondition> | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets a condition (SetDeploymentCondition): nothing changes when status and reason are the
 * same; the transition time is kept when only the reason changes.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  if (current && current.status === cond.status) cond = { ...cond, lastTransitionTime: current.lastTransitionTime };
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

/** Removes the condition of a type. */
export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** True when progressDeadlineSeconds is set to a real deadline. */
export function hasProgressDeadline(d: DeploymentView): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== NO_DEADLINE;
}

/**
 * The status the ReplicaSets imply (calculateStatus): counts summed over them, updatedReplicas
 * from the new one, and the Available condition from maxUnavailable. Other conditions are kept.
 */
export function calculateStatus(
  d: DeploymentView,
  all: readonly ReplicaSetView[],
  newRS: ReplicaSetView | undefined,
  nowMs: number,
): DeploymentStatus {
  const available = statusSum(all, 'availableReplicas');
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: statusSum(all, 'replicas'),
    updatedReplicas: statusSum(newRS ? [newRS] : [], 'replicas'),
    readyReplicas: statusSum(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicaSum(all) - available),
    conditions: structuredClone((d.status?.conditions ?? []) as DeploymentCondition[]),
    collisionCount: d.status?.collisionCount,
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASONS.minimumAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', REASONS.minimumUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** True when every replica is updated and available and the spec was observed (DeploymentComplete). */
export function deploymentComplete(d: DeploymentView, status: DeepReadonly<DeploymentStatus>): boolean {
  const replicas = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** True when the new status shows progress over the Deployment's current one (DeploymentProgressing). */
export function deploymentProgressing(d: DeploymentView, next: DeepReadonly<DeploymentStatus>): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** True when the Progressing condition has not moved for longer than the deadline (DeploymentTimedOut). */
export function deploymentTimedOut(d: DeploymentView, next: DeepReadonly<DeploymentStatus>, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(next, 'Progressing');
  if (!cond) return false;
  if (cond.reason === REASONS.newReplicaSetAvailable) return false;
  if (cond.reason === REASONS.timedOut) return true;
  const from = parseTime(cond.lastUpdateTime);
  return from !== undefined && from + d.spec!.progressDeadlineSeconds! * 1000 < nowMs;
}

/**
 * The status to write after a rollout step (syncRolloutStatus): calculateStatus plus the
 * Progressing condition, which records completion, progress (refreshing its update time) or a
 * missed deadline.
 */
export function rolloutStatus(
  d: DeploymentView,
  all: readonly ReplicaSetView[],
  newRS: ReplicaSetView | undefined,
  nowMs: number,
): DeploymentStatus {
  const next = calculateStatus(d, all, newRS, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(next, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = next.replicas === next.updatedReplicas && current?.reason === REASONS.newReplicaSetAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, next)) {
      setCondition(next, newCondition('Progressing', 'True', REASONS.newReplicaSetAvailable, `${subject} has successfully progressed.`, nowMs));
    } else if (deploymentProgressing(d, next)) {
      // Progress refreshes lastUpdateTime even when the reason stays, which setCondition would not do.
      const cond = newCondition('Progressing', 'True', REASONS.replicaSetUpdated, `${subject} is progressing.`, nowMs);
      if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(next, 'Progressing');
      setCondition(next, cond);
    } else if (deploymentTimedOut(d, next, nowMs)) {
      setCondition(next, newCondition('Progressing', 'False', REASONS.timedOut, `${subject} has timed out progressing.`, nowMs));
    }
  }
  return next;
}

/**
 * When to look at a Deployment again if nothing else happens (requeueStuckDeployment): just
 * after its progress deadline would pass; undefined when no deadline is pending.
 */
export function msUntilProgressCheck(d: DeploymentView, next: DeepReadonly<DeploymentStatus>, nowMs: number): number | undefined {
  const cond = getCondition(next, 'Progressing');
  if (!hasProgressDeadline(d) || !cond) return undefined;
  if (deploymentComplete(d, next) || cond.reason === REASONS.timedOut || cond.reason === REASONS.newReplicaSetAvailable) return undefined;
  const from = parseTime(cond.lastUpdateTime);
  if (from === undefined) return undefined;
  return Math.max(0, from + d.spec!.progressDeadlineSeconds! * 1000 - nowMs) + 1000;
}

/**
 * The status as upstream serializes it: zero counts and empty lists are left out (omitempty),
 * so an unchanged status compares equal to the stored one.
 */
export function compactStatus(status: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) {
    if (v === undefined || v === null || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as DeploymentStatus;
}
