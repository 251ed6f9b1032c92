/**
 * The workqueue every controller runs on, with client-go's rules (util/workqueue/queue.go):
 *
 * - a key waiting in the queue is not added twice;
 * - a key added while a worker processes it is marked dirty and queued again when that worker
 *   calls `done(key)`, so the change is never lost and the key is never handed out twice at once;
 * - `addAfter` delays an add (the earliest pending time per key wins);
 * - `addRateLimited` delays by a per-key exponential backoff that `forget` resets.
 *
 * Unlike client-go, shutting down drops keys that are queued but not yet handed out: controllers
 * are level-triggered and rebuild their queue from a fresh list when they start again.
 */
import { realClock, type Clock, type ClockTimer } from '../clock.js';
import { ExponentialRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<K = string> {
  /** Per-key backoff for `addRateLimited`; default an {@link ExponentialRateLimiter} from the two delays below. */
  rateLimiter?: RateLimiter<K>;
  /** First backoff delay when no `rateLimiter` is given (default 5 ms). */
  baseDelayMs?: number;
  /** Backoff ceiling when no `rateLimiter` is given (default 1000 s). */
  maxDelayMs?: number;
  clock?: Clock;
}

export class WorkQueue<K = string> {
  private items: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private readonly delayed = new Map<K, { at: number; timer: ClockTimer }>();
  private readonly drainers: (() => void)[] = [];
  private stopping = false;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.clock = options.clock ?? realClock;
    this.rateLimiter =
      options.rateLimiter ?? new ExponentialRateLimiter<K>({ baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs });
  }

  /** Queues `key` unless it is already queued; if it is being processed, queues it again after `done`. */
  add(key: K): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.items.push(key);
    this.handOut();
  }

  /**
   * The next key, marked as being processed until `done(key)`. Waits while the queue is empty;
   * resolves `undefined` once the queue is shut down.
   */
  get(): Promise<K | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    if (this.length() > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends the processing of `key`; re-queues it if it was added meanwhile. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    if (this.stopping) {
      if (this.processing.size === 0) this.drainers.splice(0).forEach((d) => d());
      return;
    }
    if (this.dirty.has(key)) {
      this.items.push(key);
      this.handOut();
    }
  }

  /** Keys waiting to be handed out (not counting those being processed or delayed). */
  len(): number {
    return this.length();
  }

  /** Adds `key` after `ms`; if the key is already waiting, the earlier of the two times wins. */
  addAfter(key: K, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.clock.clearTimeout(pending.timer);
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Adds `key` after its backoff delay, and counts one more failure for it. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets the backoff of `key` (after a success, or when giving up on it). */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  /** How many times `key` was rate-limited since its last `forget`. */
  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** True once `shutDown` or `shutDownWithDrain` was called. */
  shuttingDown(): boolean {
    return this.stopping;
  }

  /** Stops at once: adds are ignored, waiting and future `get` calls resolve `undefined`. */
  shutDown(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
    this.items = [];
    this.head = 0;
    this.dirty.clear();
    this.getters.splice(0).forEach((g) => g(undefined));
  }

  /** Shuts down like `shutDown`, then resolves once every key being processed is `done`. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private length(): number {
    return this.items.length - this.head;
  }

  private take(): K {
    const key = this.items[this.head++];
    // Compact now and then so a long-lived queue does not keep a growing dead prefix.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.length() > 0) this.getters.shift()!(this.take());
  }
}
