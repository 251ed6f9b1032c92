/** Restart delays: `initialMs` doubling up to `maxMs`, back to `initialMs` after a healthy run. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A process that ran at least this long before it exited restarts after `initialMs` again. */
  resetAfterMs: number;
}

/** Kubernetes-like crash-loop backoff: 1 s doubling to 30 s, reset after 60 s of running. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

/**
 * The delay before restarting a process that exited after running `ranForMs`, given the delay
 * used before its previous restart (null if it never restarted).
 */
export function restartDelay(previousMs: number | null, ranForMs: number, policy: BackoffPolicy): number {
  if (previousMs === null || ranForMs >= policy.resetAfterMs) return policy.initialMs;
  return Math.min(previousMs * 2, policy.maxMs);
}
