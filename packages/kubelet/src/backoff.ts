/**
 * Restart back-off (the kubelet's CrashLoopBackOff and ImagePullBackOff): the first retry is
 * immediate, then each retry waits twice as long as the one before (10 s, 20 s, 40 s … 300 s by
 * default), and a container that ran long enough before failing starts over. Pure: time is passed in.
 */
import type { BackoffSettings } from './config.js';

/** The verdict for one retry. */
export type BackoffDecision =
  | { retry: true }
  /** Still backing off: retry in `remainingMs`; `delayMs` is the current window (for messages). */
  | { retry: false; delayMs: number; remainingMs: number };

/** Per-key exponential back-off. */
export class Backoff {
  private readonly entries = new Map<string, { delayMs: number; since: number }>();

  constructor(private readonly settings: BackoffSettings) {}

  /**
   * Asks whether `key` may be retried at `now` after a failure at `failedAt`; `ranMs` is how long
   * the failed attempt ran (0 for a failed pull). Retrying widens the window for the next time.
   */
  next(key: string, now: number, failedAt: number, ranMs = 0): BackoffDecision {
    let entry = this.entries.get(key);
    if (entry && (ranMs >= this.settings.resetMs || failedAt - entry.since > 2 * this.settings.maxMs)) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (entry && now - failedAt < entry.delayMs) {
      return { retry: false, delayMs: entry.delayMs, remainingMs: entry.delayMs - (now - failedAt) };
    }
    const delayMs = entry ? Math.min(entry.delayMs * 2, this.settings.maxMs) : this.settings.initialMs;
    this.entries.set(key, { delayMs, since: now });
    return { retry: true };
  }

  /** Forgets a key (its pod is gone). */
  forget(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** `10s`, `1m20s`, `5m0s`: Go's time.Duration formatting for whole seconds, as kubelet messages show. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
