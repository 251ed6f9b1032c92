/**
 * Stopping one container as the kubelet's killContainer does: the preStop hook first, then
 * SIGTERM, then SIGKILL when the grace period is over. The hook's time counts against the grace
 * period; a hook still running when the period ends is left behind, and the container still gets
 * a short SIGTERM window (minimumGracePeriodInSeconds) before it is killed.
 */
import type { Clock } from '@kubesim/api';
import type { HookOutcome } from './lifecycle-hooks.js';
import type { ContainerHandle } from './runtime/types.js';

/** What the container gets between SIGTERM and SIGKILL at least, once a preStop hook has run. */
export const MIN_GRACE_AFTER_HOOK_MS = 2_000;

/** One container to stop. */
export interface StopOptions {
  handle: ContainerHandle;
  /** The whole budget, hook included. */
  graceMs: number;
  clock: Clock;
  /** Runs the container's preStop hook, when it has one; aborting `signal` abandons it. */
  preStop?: (signal: AbortSignal) => Promise<HookOutcome>;
  /** The hook failed (or was cut short by the container's end). */
  onHookFailed?: (message: string) => void;
}

/**
 * Runs the preStop hook (unless the grace period is 0) until it finishes, the container exits or
 * the grace period runs out; then stops the container with what is left of the period, never less
 * than {@link MIN_GRACE_AFTER_HOOK_MS}. Resolves with the exit code.
 */
export async function stopContainer(o: StopOptions): Promise<number> {
  if (!o.preStop || o.graceMs <= 0) return o.handle.stop(o.graceMs);
  const hookAc = new AbortController();
  const started = o.clock.now();
  const hook = o.preStop(hookAc.signal).then((outcome) => {
    if (!outcome.ok) o.onHookFailed?.(outcome.message ?? 'PreStop hook failed');
  });
  const timer = new AbortController();
  await Promise.race([hook, o.handle.wait(), o.clock.sleep(o.graceMs, timer.signal)]);
  timer.abort();
  // The kubelet subtracts the hook's whole seconds (truncated) from the period.
  const usedMs = Math.floor((o.clock.now() - started) / 1000) * 1000;
  const leftMs = Math.max(o.graceMs - usedMs, MIN_GRACE_AFTER_HOOK_MS);
  try {
    return await o.handle.stop(leftMs);
  } finally {
    // A hook still running dies with its container, as an exec in a stopped container does.
    hookAc.abort();
  }
}
