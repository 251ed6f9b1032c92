/**
 * The scheduling queue (kube-scheduler's PriorityQueue): three places a pending pod can wait.
 *
 * - active: ready to be scheduled, highest priority first, then oldest, then first added;
 * - backoff: failed recently; back to active when its backoff (initial × 2^(attempts-1),
 *   capped) has passed;
 * - unschedulable: no node fitted; moved back (to active, or to backoff while still backing
 *   off) when the cluster changes in a way that may help, or after `maxInUnschedulableMs`.
 *
 * A pod popped for scheduling is "in flight" until its cycle ends. If the cluster changed while
 * it was in flight, a failure sends it to backoff instead of unschedulable, so the change that
 * might have helped it is not missed (kube-scheduler's moveRequestCycle).
 */
import { realClock, type Clock, type ClockTimer } from '@kubesim/api';
import { KeyedHeap } from './heap.js';

/** A pod in the queue: its key plus what ordering and backoff need. */
export interface QueuedPod {
  readonly key: string;
  readonly priority: number;
  /** metadata.creationTimestamp in ms (0 when unknown). */
  readonly createdMs: number;
  /** Insertion order, the last tie-break. */
  readonly seq: number;
  /** Times popped for scheduling. */
  attempts: number;
  /** When it last failed or entered the queue: its backoff and unschedulable time count from here. */
  timestampMs: number;
  /** The scheduling cycle of its last attempt. */
  cycle: number;
}

export interface SchedulingQueueOptions {
  clock?: Clock;
  /** Backoff after the first failed attempt (default 1 s), doubled per attempt... */
  initialBackoffMs?: number;
  /** ...up to this (default 10 s). */
  maxBackoffMs?: number;
  /** Longest stay in unschedulable without a cluster event (default 60 s). */
  maxInUnschedulableMs?: number;
}

/** Where a pod is waiting; `inFlight` means popped and being scheduled. */
export type QueueLocation = 'active' | 'backoff' | 'unschedulable' | 'inFlight';

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly active = new KeyedHeap<QueuedPod>((p) => p.key, activeFirst);
  private readonly backoff = new KeyedHeap<QueuedPod>((p) => p.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly inFlight = new Map<string, QueuedPod>();
  /** In-flight pods whose spec or labels changed during their cycle. */
  private readonly updatedInFlight = new Set<string>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private seq = 0;
  private waiters: (() => void)[] = [];
  private backoffTimer?: { at: number; timer: ClockTimer };
  private flushTimer?: ClockTimer;
  private closed = false;

  constructor(options: SchedulingQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = options.maxInUnschedulableMs ?? 60_000;
  }

  /** Adds a newly pending pod to active. Returns false (and does nothing) if the queue knows it. */
  add(key: string, priority: number, createdMs: number): boolean {
    if (this.closed || this.where(key)) return false;
    this.active.push({ key, priority, createdMs, seq: this.seq++, attempts: 0, timestampMs: this.clock.now(), cycle: 0 });
    this.wake();
    return true;
  }

  /** A queued pod's spec or labels changed: an unschedulable pod gets another chance. */
  update(key: string): void {
    const qp = this.unschedulable.get(key);
    if (qp) {
      this.unschedulable.delete(key);
      this.requeue(qp);
    } else if (this.inFlight.has(key)) {
      this.updatedInFlight.add(key);
    }
  }

  /** Forgets a pod (deleted, bound, or no longer ours). */
  delete(key: string): void {
    this.active.delete(key);
    if (this.backoff.delete(key)) this.armBackoffTimer();
    this.unschedulable.delete(key);
  }

  /** The next pod to schedule; waits while active is empty. Undefined once closed or aborted. */
  async pop(signal?: AbortSignal): Promise<QueuedPod | undefined> {
    while (!this.closed && !signal?.aborted) {
      const qp = this.active.pop();
      if (qp) {
        qp.attempts++;
        qp.cycle = ++this.schedulingCycle;
        this.inFlight.set(qp.key, qp);
        return qp;
      }
      await this.waitForActive(signal);
    }
    return undefined;
  }

  /** Ends a pod's cycle without requeueing it (it was assumed, or needs no scheduling any more). */
  done(key: string): void {
    this.inFlight.delete(key);
    this.updatedInFlight.delete(key);
  }

  /**
   * Ends a cycle in which no node fitted: the pod waits in unschedulable, or in backoff if the
   * cluster or the pod changed during the cycle. A no-op if the pod was queued again meanwhile.
   */
  addUnschedulable(qp: QueuedPod): void {
    const changed = this.moveRequestCycle >= qp.cycle || this.updatedInFlight.has(qp.key);
    this.done(qp.key);
    if (this.closed || this.where(qp.key)) return;
    qp.timestampMs = this.clock.now();
    if (changed) this.pushBackoff(qp);
    else this.unschedulable.set(qp.key, qp);
  }

  /** Ends a cycle that failed for another reason (a binding error): the pod backs off. */
  addBackoff(qp: QueuedPod): void {
    this.done(qp.key);
    if (this.closed || this.where(qp.key)) return;
    qp.timestampMs = this.clock.now();
    this.pushBackoff(qp);
  }

  /** A cluster event that may help unschedulable pods (node added or changed, pod deleted). */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.schedulingCycle;
    const pods = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const qp of pods) this.requeue(qp);
  }

  /** Where the pod is waiting, if anywhere. */
  where(key: string): QueueLocation | undefined {
    if (this.active.has(key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    return this.inFlight.has(key) ? 'inFlight' : undefined;
  }

  /** Counts per place, for logs and tests. */
  lengths(): Record<QueueLocation, number> {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** Starts the periodic flush of long-unschedulable pods; closes the queue when `signal` aborts. */
  start(signal: AbortSignal): void {
    const every = Math.min(30_000, Math.max(100, Math.floor(this.maxInUnschedulableMs / 5)));
    const tick = () => {
      if (this.closed) return;
      this.flushUnschedulableLeftover();
      this.flushTimer = this.clock.setTimeout(tick, every);
    };
    this.flushTimer = this.clock.setTimeout(tick, every);
    if (signal.aborted) this.close();
    else signal.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Stops timers and releases a waiting `pop`. */
  close(): void {
    this.closed = true;
    if (this.flushTimer) this.clock.clearTimeout(this.flushTimer);
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.timer);
    this.backoffTimer = undefined;
    this.wake();
  }

  /** Moves pods that have been unschedulable longer than the maximum. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const qp of [...this.unschedulable.values()]) {
      if (now - qp.timestampMs < this.maxInUnschedulableMs) continue;
      this.unschedulable.delete(qp.key);
      this.requeue(qp);
    }
  }

  /** The backoff of a pod after `attempts` attempts (kube-scheduler's calculateBackoffDuration). */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  private backoffExpiry(qp: QueuedPod): number {
    return qp.timestampMs + this.backoffDuration(qp.attempts);
  }

  /** To backoff while still backing off, else to active. */
  private requeue(qp: QueuedPod): void {
    if (this.backoffExpiry(qp) > this.clock.now()) {
      this.pushBackoff(qp);
    } else {
      this.active.push(qp);
      this.wake();
    }
  }

  private pushBackoff(qp: QueuedPod): void {
    this.backoff.push(qp);
    this.armBackoffTimer();
  }

  /** Keeps one timer, due when the first backoff expires. */
  private armBackoffTimer(): void {
    const next = this.backoff.peek();
    const at = next ? this.backoffExpiry(next) : undefined;
    if (this.backoffTimer && this.backoffTimer.at === at) return;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.timer);
    this.backoffTimer = undefined;
    if (at === undefined || this.closed) return;
    const timer = this.clock.setTimeout(() => {
      this.backoffTimer = undefined;
      this.flushBackoffCompleted();
    }, at - this.clock.now());
    this.backoffTimer = { at, timer };
  }

  private flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (let qp = this.backoff.peek(); qp && this.backoffExpiry(qp) <= now; qp = this.backoff.peek()) {
      this.backoff.pop();
      this.active.push(qp);
    }
    this.armBackoffTimer();
    this.wake();
  }

  private waitForActive(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Higher priority first, then older, then added first. */
function activeFirst(a: QueuedPod, b: QueuedPod): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.createdMs !== b.createdMs) return a.createdMs < b.createdMs;
  return a.seq < b.seq;
}
