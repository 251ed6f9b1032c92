/**
 * Which pods the scheduler takes, and which object changes are worth another scheduling
 * attempt for the pods waiting in unschedulable (kube-scheduler's cluster events, simplified).
 */
import type { DeepReadonly, Node, Pod } from '@kubesim/api';

/** kube-scheduler's default profile name; pods get it from defaulting. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/**
 * True for a pod this scheduler must place: it names this scheduler, has no node, is not being
 * deleted, has not finished, and carries no scheduling gates.
 */
export function needsScheduling(pod: DeepReadonly<Pod>, schedulerName: string): boolean {
  if ((pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) !== schedulerName) return false;
  if (pod.spec?.nodeName || pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return (pod.spec?.schedulingGates ?? []).length === 0;
}

/**
 * True when a pending pod changed in a way that may change where it fits: its spec, labels or
 * annotations. Status-only changes (such as the scheduler's own PodScheduled condition) are not.
 */
export function schedulingInputsChanged(old: DeepReadonly<Pod>, cur: DeepReadonly<Pod>): boolean {
  return (
    !sameJson(old.spec, cur.spec) ||
    !sameJson(old.metadata.labels, cur.metadata.labels) ||
    !sameJson(old.metadata.annotations, cur.metadata.annotations)
  );
}

/**
 * True when a node update may let a waiting pod fit: allocatable, labels, taints, cordoning or
 * readiness changed. Heartbeats and other status churn are not.
 */
export function nodeSchedulingChanged(old: DeepReadonly<Node>, cur: DeepReadonly<Node>): boolean {
  const ready = (n: DeepReadonly<Node>) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return (
    !sameJson(old.status?.allocatable, cur.status?.allocatable) ||
    !sameJson(old.metadata.labels, cur.metadata.labels) ||
    !sameJson(old.spec?.taints, cur.spec?.taints) ||
    !!old.spec?.unschedulable !== !!cur.spec?.unschedulable ||
    ready(old) !== ready(cur)
  );
}

/** creationTimestamp in ms, 0 when absent or unreadable. */
export function creationMs(pod: DeepReadonly<Pod>): number {
  const t = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
