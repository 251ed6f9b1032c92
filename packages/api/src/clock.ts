/**
 * Injected time. Everything in kubesim that waits, times out or runs periodically takes a
 * {@link Clock}, so production code runs on {@link realClock} and tests drive a {@link FakeClock}.
 */

declare const timerBrand: unique symbol;

/** An opaque handle returned by {@link Clock.setTimeout}; only {@link Clock.clearTimeout} reads it. */
export type ClockTimer = { readonly [timerBrand]: true };

export interface Clock {
  /** Milliseconds since the epoch (a fake clock may start anywhere). */
  now(): number;
  /** Runs `fn` once, `ms` from now. Real timers are unref'd: a pending timer never keeps a process alive. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  /** Cancels a timer; a no-op for one that already fired or was cleared. */
  clearTimeout(timer: ClockTimer): void;
  /** Resolves after `ms`, or early (without an error) as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Sleep on top of any clock's timers; shared by both implementations. */
function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = clock.setTimeout(finish, ms);
    const onAbort = () => {
      clock.clearTimeout(timer);
      finish();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wall-clock time and Node's timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return t as unknown as ClockTimer;
  },
  clearTimeout(timer) {
    clearTimeout(timer as unknown as NodeJS.Timeout);
  },
  sleep(ms, signal) {
    return sleepOn(realClock, ms, signal);
  },
};

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer that falls due, in order
 * of due time (then of creation), with `now()` set to each timer's due time while it runs; between
 * timers it lets pending promise continuations run, so code that awaits a sleep and then sets the
 * next timer behaves as it would in real time.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return timer as unknown as ClockTimer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers = this.timers.filter((t) => t !== (timer as unknown as FakeTimer));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Number of timers not yet fired or cleared. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.at;
      next.fn();
      await settle();
    }
    this.current = target;
  }

  private nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Lets every queued promise continuation run (a macrotask turn drains the microtask queue). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
