/**
 * Per-key retry delays for a workqueue: client-go's ItemExponentialFailureRateLimiter, the
 * per-item half of DefaultControllerRateLimiter.
 */

/** Decides how long a failed key waits before its next attempt. */
export interface RateLimiter<K = string> {
  /** The delay before the next attempt for `key`; each call counts one more failure. */
  when(key: K): number;
  /** Clears the failure count of `key` (after a success or when giving up). */
  forget(key: K): void;
  /** Failures counted for `key` since the last `forget`. */
  numRequeues(key: K): number;
}

export interface ExponentialRateLimiterOptions {
  /** Delay after the first failure (default 5 ms). */
  baseDelayMs?: number;
  /** Ceiling of the delay (default 1000 s). */
  maxDelayMs?: number;
}

/** `baseDelayMs * 2^failures`, capped at `maxDelayMs`, counted per key. */
export class ExponentialRateLimiter<K = string> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;

  constructor(options: ExponentialRateLimiterOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
    if (!(this.baseDelayMs > 0) || !(this.maxDelayMs >= this.baseDelayMs)) {
      throw new RangeError(`invalid backoff: base ${this.baseDelayMs} ms, max ${this.maxDelayMs} ms`);
    }
  }

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity for large n, which the cap absorbs.
    return Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}
