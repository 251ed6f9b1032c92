import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { Controller, TerminalError, classifyError, type LogFn } from '../src/controller.js';
import {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  InternalError,
  InvalidError,
  NotFoundError,
  ServiceUnavailableError,
  TimeoutError,
  TooManyRequestsError,
} from '../src/errors.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await tick();
  expect(cond()).toBe(true);
}

const quiet: LogFn = () => undefined;

/** A controller on a fake clock whose reconcile records each call's key and time. */
function harness(reconcile: (key: string, attempt: number) => Promise<void | { requeueAfterMs?: number }>, workers = 1) {
  const clock = new FakeClock();
  const calls: { key: string; at: number }[] = [];
  const terminal: { key: string; err: unknown }[] = [];
  const ctl = new Controller({
    name: 'test',
    workers,
    clock,
    log: quiet,
    onTerminal: (key, err) => terminal.push({ key, err }),
    reconcile: (key) => {
      calls.push({ key, at: clock.now() });
      return reconcile(key, calls.filter((c) => c.key === key).length);
    },
  });
  const abort = new AbortController();
  const stopped = ctl.start(abort.signal);
  return { clock, calls, terminal, ctl, abort, stopped };
}

describe('classifyError', () => {
  it.each([
    ['ServiceUnavailable', new ServiceUnavailableError('down'), 'transient'],
    ['Timeout', new TimeoutError('slow'), 'transient'],
    ['TooManyRequests', new TooManyRequestsError('throttled'), 'transient'],
    ['InternalError', new InternalError('oops'), 'transient'],
    ['Conflict', new ConflictError('stale'), 'transient'],
    ['AlreadyExists', new AlreadyExistsError('exists'), 'transient'],
    ['a plain Error', new Error('boom'), 'transient'],
    ['a thrown string', 'boom', 'transient'],
    ['Invalid', new InvalidError('bad spec'), 'terminal'],
    ['NotFound', new NotFoundError('gone'), 'terminal'],
    ['BadRequest', new BadRequestError('nonsense'), 'terminal'],
    ['TerminalError', new TerminalError('cannot fix'), 'terminal'],
  ])('treats %s as %s', (_name, err, expected) => {
    expect(classifyError(err)).toBe(expected);
  });
});

describe('Controller', () => {
  it('reconciles each queued key once on success and resets its backoff', async () => {
    const h = harness(async () => undefined);
    h.ctl.enqueue('ns/a');
    h.ctl.enqueue('ns/b');
    await until(() => h.calls.length === 2);
    await h.clock.advance(10_000);
    expect(h.calls.map((c) => c.key)).toEqual(['ns/a', 'ns/b']);
    expect(h.ctl.queue.numRequeues('ns/a')).toBe(0);
    h.abort.abort();
    await h.stopped;
  });

  it.each([
    ['ServiceUnavailable', () => new ServiceUnavailableError('down')],
    ['Conflict', () => new ConflictError('the object has been modified')],
    ['a plain Error', () => new Error('boom')],
  ])('retries a key failing with %s after 5, then 10 ms, and forgets the failures on success', async (_name, makeError) => {
    const h = harness(async (_key, attempt) => {
      if (attempt <= 2) throw makeError();
    });
    h.ctl.enqueue('k');
    await until(() => h.calls.length === 1);
    expect(h.ctl.queue.numRequeues('k')).toBe(1);
    await h.clock.advance(5);
    await until(() => h.calls.length === 2);
    await h.clock.advance(10);
    await until(() => h.calls.length === 3);
    expect(h.calls.map((c) => c.at)).toEqual([0, 5, 15]);
    expect(h.ctl.queue.numRequeues('k')).toBe(0);
    await h.clock.advance(60_000);
    expect(h.calls).toHaveLength(3);
    h.abort.abort();
    await h.stopped;
  });

  it.each([
    ['Invalid', new InvalidError('spec.replicas: must be >= 0')],
    ['NotFound', new NotFoundError('not found')],
    ['BadRequest', new BadRequestError('bad')],
    ['TerminalError', new TerminalError('owner has no selector')],
  ])('drops a key failing with %s and reports it to onTerminal', async (_name, err) => {
    const h = harness(async () => {
      throw err;
    });
    h.ctl.enqueue('k');
    await until(() => h.terminal.length === 1);
    await h.clock.advance(60_000);
    expect(h.calls).toHaveLength(1);
    expect(h.terminal).toEqual([{ key: 'k', err }]);
    expect(h.ctl.queue.numRequeues('k')).toBe(0);
    h.abort.abort();
    await h.stopped;
  });

  it('calls a key again after the requeueAfterMs its reconcile returned', async () => {
    const h = harness(async (_key, attempt) => (attempt === 1 ? { requeueAfterMs: 30_000 } : undefined));
    h.ctl.enqueue('k');
    await until(() => h.calls.length === 1);
    await h.clock.advance(29_999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    await until(() => h.calls.length === 2);
    expect(h.calls[1].at).toBe(30_000);
    h.abort.abort();
    await h.stopped;
  });

  it('reconciles a key again when it was added during its reconcile', async () => {
    let release!: () => void;
    const h = harness(async (_key, attempt) => {
      if (attempt === 1) await new Promise<void>((r) => (release = r));
    });
    h.ctl.enqueue('k');
    await until(() => h.calls.length === 1);
    h.ctl.enqueue('k');
    await tick();
    expect(h.calls).toHaveLength(1);
    release();
    await until(() => h.calls.length === 2);
    h.abort.abort();
    await h.stopped;
  });

  it('runs up to `workers` keys at once but never one key twice at once', async () => {
    let running = 0;
    let most = 0;
    const runningKeys = new Set<string>();
    let overlaps = 0;
    const h = harness(async (key) => {
      if (runningKeys.has(key)) overlaps++;
      runningKeys.add(key);
      most = Math.max(most, ++running);
      for (let i = 0; i < 3; i++) await tick();
      running--;
      runningKeys.delete(key);
    }, 3);
    for (let round = 0; round < 20; round++) {
      for (const k of ['a', 'b', 'c', 'd', 'e']) h.ctl.enqueue(k);
      await tick();
    }
    await until(() => running === 0 && h.ctl.queue.len() === 0);
    expect(most).toBe(3);
    expect(overlaps).toBe(0);
    h.abort.abort();
    await h.stopped;
  });

  it('stops on abort only after the reconcile in flight finishes', async () => {
    let release!: () => void;
    let finished = false;
    const h = harness(async () => {
      await new Promise<void>((r) => (release = r));
      finished = true;
    });
    h.ctl.enqueue('k');
    await until(() => h.calls.length === 1);
    let stopped = false;
    void h.stopped.then(() => (stopped = true));
    h.abort.abort();
    await tick();
    expect(stopped).toBe(false);
    release();
    await h.stopped;
    expect(finished).toBe(true);
    h.ctl.enqueue('k');
    expect(h.ctl.queue.len()).toBe(0);
  });

  it('rejects a worker count that is not a positive integer', () => {
    expect(() => new Controller({ name: 'x', workers: 0, reconcile: async () => undefined })).toThrow(RangeError);
  });
});
