/**
 * The arithmetic of a Deployment rollout (pkg/controller/deployment/util): surge and
 * unavailability limits from ints or percentages, how far the new ReplicaSet may grow, and how a
 * scaling event is spread over the ReplicaSets in proportion to their size.
 */
import { TerminalError, type DeepReadonly, type Deployment, type IntOrString, type ReplicaSet } from '@kubesim/api';

type DeploymentView = DeepReadonly<Deployment>;
type ReplicaSetView = DeepReadonly<ReplicaSet>;

/** Annotation on a ReplicaSet: the Deployment's replicas when the RS was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** Annotation on a ReplicaSet: replicas + maxSurge when the RS was last scaled. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/**
 * An int, or a percentage of `total` rounded up or down (intstr.GetScaledValueFromIntOrPercent).
 * Throws TerminalError for a string that is not a percentage.
 */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value);
  if (!m) throw new TerminalError(`invalid value for IntOrString: invalid type: string is not a percentage: "${value}"`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * maxSurge rounded up and maxUnavailable rounded down against `desired`; when both come out 0,
 * maxUnavailable becomes 1 so a rollout can always make progress (ResolveFenceposts).
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** spec.replicas, defaulting to 1 as the API does. */
export function desiredReplicas(d: DeploymentView): number {
  return d.spec?.replicas ?? 1;
}

/** True for the RollingUpdate strategy (the default). */
export function isRollingUpdate(d: DeploymentView): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** Pods the Deployment may run above its replicas during a rollout; 0 for Recreate. */
export function maxSurge(d: DeploymentView): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', desiredReplicas(d)).surge;
}

/** Pods that may be unavailable during a rollout, never more than replicas; 0 for Recreate. */
export function maxUnavailable(d: DeploymentView): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', replicas);
  return Math.min(unavailable, replicas);
}

/** spec.replicas of a ReplicaSet (0 when unset, as the controller reads a nil pointer). */
export function rsReplicas(rs: ReplicaSetView | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

/** Sum of spec.replicas: the pods the ReplicaSets are asked for. */
export function specReplicaSum(rss: readonly (ReplicaSetView | undefined)[]): number {
  return rss.reduce((n, rs) => n + rsReplicas(rs), 0);
}

/** Sum of a status field over ReplicaSets. */
export function statusSum(
  rss: readonly (ReplicaSetView | undefined)[],
  field: 'replicas' | 'readyReplicas' | 'availableReplicas',
): number {
  return rss.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0);
}

/**
 * The pods of a ReplicaSet a rollout may count on as available: what its status says, but never
 * more than its spec.replicas. A status written before a scale-down took effect still counts the
 * pods about to be deleted; trusting it would let a rollout go below maxUnavailable.
 */
export function availableOf(rs: ReplicaSetView): number {
  return Math.min(rs.status?.availableReplicas ?? 0, rsReplicas(rs));
}

/** {@link availableOf} summed over ReplicaSets. */
export function availableSum(rss: readonly ReplicaSetView[]): number {
  return rss.reduce((n, rs) => n + availableOf(rs), 0);
}

/**
 * The size the new ReplicaSet should have now (NewRSNewReplicas): for RollingUpdate, grow it as
 * far as replicas + maxSurge over all ReplicaSets allows, never past replicas; for Recreate,
 * straight to replicas.
 */
export function newReplicaSetReplicas(d: DeploymentView, all: readonly ReplicaSetView[], newRS: ReplicaSetView): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = specReplicaSum(all);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return rsReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - rsReplicas(newRS));
  return rsReplicas(newRS) + scaleUp;
}

/** The integer value of a ReplicaSet annotation, when it holds one. */
export function intAnnotation(rs: ReplicaSetView, key: string): number | undefined {
  const raw = rs.metadata.annotations?.[key];
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * How many replicas a ReplicaSet gains (or, negative, loses) in a proportional scaling
 * (getReplicaSetFraction): its share of the Deployment's new size, by its share of the old one
 * (the max-replicas annotation, or the Deployment's status.replicas).
 */
export function replicaSetFraction(rs: ReplicaSetView, d: DeploymentView): number {
  const replicas = desiredReplicas(d);
  if (replicas === 0) return -rsReplicas(rs);
  const deploymentReplicas = replicas + maxSurge(d);
  const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundHalfAwayFromZero((rsReplicas(rs) * deploymentReplicas) / annotated) - rsReplicas(rs);
}

/**
 * The share of `toAdd` one ReplicaSet takes, given `added` already handed out (GetProportion):
 * never more than what is left in the direction of the scaling.
 */
export function proportion(rs: ReplicaSetView, d: DeploymentView, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** Go's math.Round (halves away from zero), which integer.RoundToInt32 uses. */
function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
