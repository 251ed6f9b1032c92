/**
 * The Job controller's rules as pure functions (pkg/controller/job): how many pods to keep
 * running, when the Job has failed (backoff limit, active deadline) or completed, and how long to
 * wait before replacing a failed pod.
 */
import type { DeepReadonly, Job, JobCondition, Pod } from '@kubesim/api';
import { formatTime, isPodActive, parseTime } from './pods.js';

type JobView = DeepReadonly<Job>;
type PodView = DeepReadonly<Pod>;

/** Condition reasons of a finished Job, as upstream spells them. */
export const JOB_REASONS = {
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  completionsReached: 'CompletionsReached',
} as const;

/** The Job's backoffLimit, defaulting to 6 as the API does. */
export function backoffLimit(job: JobView): number {
  return job.spec?.backoffLimit ?? 6;
}

/** True once the Job has a Complete or Failed condition that is True. */
export function jobFinished(job: JobView): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** Pods the Job should have running: parallelism, capped by the completions still missing. */
export function wantActive(job: JobView, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** True when the Job is done: enough successes (or, without completions, one) and nothing running. */
export function jobComplete(job: JobView, succeeded: number, active: number): boolean {
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 && active === 0;
  return succeeded >= completions && active === 0;
}

/** True when the Job has run longer than activeDeadlineSeconds since its startTime. */
export function pastActiveDeadline(job: JobView, nowMs: number): boolean {
  const deadline = job.spec?.activeDeadlineSeconds;
  const start = parseTime(job.status?.startTime);
  if (deadline === undefined || deadline === null || start === undefined) return false;
  return nowMs - start >= deadline * 1000;
}

/** Milliseconds until the active deadline passes; undefined without one. */
export function msUntilActiveDeadline(job: JobView, nowMs: number): number | undefined {
  const deadline = job.spec?.activeDeadlineSeconds;
  const start = parseTime(job.status?.startTime);
  if (deadline === undefined || deadline === null || start === undefined) return undefined;
  return Math.max(0, start + deadline * 1000 - nowMs);
}

/**
 * For restartPolicy OnFailure, failures are container restarts inside running pods: true when
 * they reach the backoff limit (pastBackoffLimitOnFailure).
 */
export function pastBackoffLimitOnFailure(job: JobView, pods: readonly PodView[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    if (!isPodActive(pod)) continue;
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = backoffLimit(job);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** When a pod stopped: its containers' last finish, else its Ready condition's last change, else its creation. */
export function podFinishTime(pod: PodView): number | undefined {
  let latest: number | undefined;
  for (const s of pod.status?.containerStatuses ?? []) {
    const t = parseTime(s.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  return parseTime(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) ?? parseTime(pod.metadata.creationTimestamp);
}

/**
 * How long to wait before creating a replacement pod after failures (the Job's pod failure
 * backoff): `base * 2^(n-1)`, capped at `max`, counted from the last failure, where n is the
 * number of failed pods since the last success. 0 when nothing needs waiting.
 */
export function failureBackoffMs(pods: readonly PodView[], nowMs: number, baseMs: number, maxMs: number): number {
  let lastSuccess = -Infinity;
  for (const p of pods) if (p.status?.phase === 'Succeeded') lastSuccess = Math.max(lastSuccess, podFinishTime(p) ?? -Infinity);
  let failures = 0;
  let lastFailure = -Infinity;
  for (const p of pods) {
    if (p.status?.phase !== 'Failed') continue;
    const t = podFinishTime(p) ?? -Infinity;
    if (t < lastSuccess) continue;
    failures++;
    lastFailure = Math.max(lastFailure, t);
  }
  if (failures === 0 || lastFailure === -Infinity) return 0;
  const delay = Math.min(baseMs * 2 ** (failures - 1), maxMs);
  return Math.max(0, lastFailure + delay - nowMs);
}

/** A Job condition set to True now. */
export function jobCondition(type: 'Complete' | 'Failed', reason: string, message: string, nowMs: number): JobCondition {
  const t = formatTime(nowMs);
  return { type, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason, message };
}
