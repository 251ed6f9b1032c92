/**
 * Pod predicates the workload controllers share (k8s.io/kubernetes pkg/api/v1/pod and
 * pkg/controller's FilterActivePods): readiness, availability, activity.
 */
import type { DeepReadonly, Pod, PodCondition } from '@kubesim/api';

type PodView = DeepReadonly<Pod>;

/** The pod's Ready condition, if it has one. */
export function readyCondition(pod: PodView): DeepReadonly<PodCondition> | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: PodView): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * True when the pod has been ready for at least `minReadySeconds` at `nowMs` (upstream
 * IsPodAvailable: with minReadySeconds 0, ready means available).
 */
export function isPodAvailable(pod: PodView, minReadySeconds: number, nowMs: number): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(ready.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/**
 * Milliseconds until a ready but not yet available pod becomes available, or undefined when it
 * is not ready or already available.
 */
export function msUntilAvailable(pod: PodView, minReadySeconds: number, nowMs: number): number | undefined {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True' || minReadySeconds <= 0) return undefined;
  const since = parseTime(ready.lastTransitionTime);
  if (since === undefined) return undefined;
  const left = since + minReadySeconds * 1000 - nowMs;
  return left >= 0 ? left + 1 : undefined;
}

/** True for a pod that has neither finished (Succeeded/Failed) nor started terminating. */
export function isPodActive(pod: PodView): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** True when the pod ran to an end: phase Succeeded or Failed. */
export function isPodTerminal(pod: PodView): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The highest restart count among the pod's containers (init containers included). */
export function maxContainerRestarts(pod: PodView): number {
  let max = 0;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    max = Math.max(max, s.restartCount ?? 0);
  }
  return max;
}

/** Milliseconds since the epoch for an RFC 3339 time; undefined for a missing or bad one. */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An RFC 3339 timestamp with second precision, as metav1.Time serializes. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
