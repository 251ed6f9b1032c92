import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { ExponentialRateLimiter, WorkQueue } from '../src/workqueue/index.js';

/** Lets queued promise continuations run. */
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('does not queue a key that is already waiting', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('re-queues a key added while it is processed, only once it is done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    q.done(key!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('makes get wait for a key, serving waiting getters in order', async () => {
    const q = new WorkQueue();
    const first = q.get();
    const second = q.get();
    q.add('x');
    q.add('y');
    expect(await first).toBe('x');
    expect(await second).toBe('y');
  });

  it('does not hand a key to a second getter while the first one processes it', async () => {
    const q = new WorkQueue();
    q.add('a');
    expect(await q.get()).toBe('a');
    const next = q.get();
    q.add('a');
    q.add('b');
    expect(await next).toBe('b');
  });

  it('never runs one key on two async workers, and processes every key after its last add', async () => {
    const q = new WorkQueue();
    const active = new Set<string>();
    const lastAdd = new Map<string, number>();
    const lastStart = new Map<string, number>();
    let step = 0;
    let overlaps = 0;
    let producing = true;
    let starts = 0;
    // A tiny deterministic PRNG so the interleaving differs per await but the run is repeatable.
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const keys = ['a', 'b', 'c', 'd'];

    const worker = async () => {
      for (;;) {
        const key = await q.get();
        if (key === undefined) return;
        if (active.has(key)) overlaps++;
        active.add(key);
        starts++;
        lastStart.set(key, step++);
        for (let i = rand(4); i >= 0; i--) {
          await tick();
          if (!producing) continue;
          // Producers add keys in the middle of reconciles, including the key being reconciled.
          const k = keys[rand(keys.length)];
          lastAdd.set(k, step++);
          q.add(k);
        }
        active.delete(key);
        q.done(key);
      }
    };
    for (const k of keys) {
      lastAdd.set(k, step++);
      q.add(k);
    }
    const workers = Array.from({ length: 5 }, worker);
    for (let i = 0; i < 300; i++) await tick();
    producing = false;
    while (q.len() > 0 || active.size > 0) await tick();
    await q.shutDownWithDrain();
    await Promise.all(workers);

    expect(starts).toBeGreaterThan(100);
    expect(overlaps).toBe(0);
    for (const k of keys) expect(lastStart.get(k)!).toBeGreaterThan(lastAdd.get(k)!);
  });

  it('delays addAfter until the clock reaches the time, keeping the earliest time per key', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 200);
    q.addAfter('b', 0);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('b');
    await clock.advance(49);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    await clock.advance(500);
    expect(q.len()).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('backs off a failing key exponentially and forget resets it', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, baseDelayMs: 10, maxDelayMs: 50 });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = clock.now();
      q.addRateLimited('a');
      while (q.len() === 0) await clock.advance(1);
      waits.push(clock.now() - start);
      q.done((await q.get())!);
    }
    expect(waits).toEqual([10, 20, 40, 50, 50]);
    expect(q.numRequeues('a')).toBe(5);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    q.addRateLimited('a');
    await clock.advance(9);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
  });

  it('on shutDown resolves waiting getters with undefined and ignores later adds and delays', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    const waiting = q.get();
    q.addAfter('late', 10);
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add('a');
    q.addAfter('b', 5);
    expect(q.len()).toBe(0);
    expect(await q.get()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
    expect(q.shuttingDown()).toBe(true);
  });

  it('shutDownWithDrain resolves only when every key being processed is done', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    const a = (await q.get())!;
    const b = (await q.get())!;
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    q.add('a'); // ignored: the queue is shutting down
    q.done(a);
    await tick();
    expect(drained).toBe(false);
    q.done(b);
    await drain;
    expect(drained).toBe(true);
    expect(await q.get()).toBeUndefined();
  });
});

describe('ExponentialRateLimiter', () => {
  it.each([
    { base: 5, max: 1_000_000, failures: 1, delay: 5 },
    { base: 5, max: 1_000_000, failures: 2, delay: 10 },
    { base: 5, max: 1_000_000, failures: 11, delay: 5120 },
    { base: 5, max: 1_000_000, failures: 20, delay: 1_000_000 },
    { base: 5, max: 1_000_000, failures: 2000, delay: 1_000_000 },
    { base: 200, max: 30_000, failures: 8, delay: 25_600 },
    { base: 200, max: 30_000, failures: 9, delay: 30_000 },
  ])('after $failures failures with base $base ms and max $max ms waits $delay ms', ({ base, max, failures, delay }) => {
    const rl = new ExponentialRateLimiter({ baseDelayMs: base, maxDelayMs: max });
    let last = 0;
    for (let i = 0; i < failures; i++) last = rl.when('k');
    expect(last).toBe(delay);
    expect(rl.numRequeues('k')).toBe(failures);
    expect(rl.numRequeues('other')).toBe(0);
  });

  it('defaults to client-go delays: 5 ms doubling up to 1000 s', () => {
    const rl = new ExponentialRateLimiter();
    expect([rl.when('k'), rl.when('k'), rl.when('k')]).toEqual([5, 10, 20]);
    expect(rl.maxDelayMs).toBe(1_000_000);
  });

  it('rejects a base delay that is not positive or above the max', () => {
    expect(() => new ExponentialRateLimiter({ baseDelayMs: 0 })).toThrow(RangeError);
    expect(() => new ExponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
  });
});
