import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '@kubesim/api';
import { SchedulingQueue } from '../src/queue.js';

describe('SchedulingQueue', () => {
  let queue: SchedulingQueue;
  let clock: FakeClock;
  const stop = new AbortController();

  function make(): SchedulingQueue {
    clock = new FakeClock();
    queue = new SchedulingQueue({ clock, initialBackoffMs: 1000, maxBackoffMs: 10_000, maxInUnschedulableMs: 60_000 });
    return queue;
  }

  afterEach(() => queue?.close());

  async function popKey(): Promise<string | undefined> {
    return (await queue.pop(stop.signal))?.key;
  }

  it('hands out higher priority first, then older pods, then in order of arrival', async () => {
    make();
    queue.add('ns/old', 0, 1000);
    queue.add('ns/new', 0, 2000);
    queue.add('ns/urgent', 100, 3000);
    queue.add('ns/old-too', 0, 1000);
    expect([await popKey(), await popKey(), await popKey(), await popKey()]).toEqual(['ns/urgent', 'ns/old', 'ns/old-too', 'ns/new']);
  });

  it('does not add a pod it already holds', async () => {
    make();
    expect(queue.add('ns/a', 0, 0)).toBe(true);
    expect(queue.add('ns/a', 0, 0)).toBe(false);
    await popKey();
    expect(queue.add('ns/a', 0, 0)).toBe(false); // in flight
    expect(queue.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 1 });
  });

  it('waits in pop until a pod arrives', async () => {
    make();
    const popped = queue.pop(stop.signal);
    queue.add('ns/late', 0, 0);
    expect((await popped)?.key).toBe('ns/late');
  });

  it('keeps an unschedulable pod until a cluster event, then backs it off first', async () => {
    make();
    queue.add('ns/a', 0, 0);
    const qp = (await queue.pop(stop.signal))!;
    queue.addUnschedulable(qp);
    expect(queue.where('ns/a')).toBe('unschedulable');
    queue.moveAllToActiveOrBackoff();
    expect(queue.where('ns/a')).toBe('backoff'); // failed just now: 1 s of backoff left
    await clock.advance(999);
    expect(queue.where('ns/a')).toBe('backoff');
    await clock.advance(1);
    expect(queue.where('ns/a')).toBe('active');
  });

  it('moves a pod whose backoff is over straight to active on a cluster event', async () => {
    make();
    queue.add('ns/a', 0, 0);
    queue.addUnschedulable((await queue.pop(stop.signal))!);
    await clock.advance(1500);
    queue.moveAllToActiveOrBackoff();
    expect(queue.where('ns/a')).toBe('active');
  });

  it('doubles the backoff per attempt up to the maximum', () => {
    make();
    expect([1, 2, 3, 4, 5, 6].map((n) => queue.backoffDuration(n))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('retries an unschedulable pod after the maximum time without events', async () => {
    make();
    queue.start(stop.signal);
    queue.add('ns/a', 0, 0);
    queue.addUnschedulable((await queue.pop(stop.signal))!);
    await clock.advance(59_000);
    expect(queue.where('ns/a')).toBe('unschedulable');
    await clock.advance(13_000); // the flush runs every 12 s
    expect(queue.where('ns/a')).toBe('active');
  });

  it('sends a pod to backoff, not unschedulable, when the cluster changed during its cycle', async () => {
    make();
    queue.add('ns/a', 0, 0);
    const qp = (await queue.pop(stop.signal))!;
    queue.moveAllToActiveOrBackoff(); // e.g. a node was added while ns/a was being scheduled
    queue.addUnschedulable(qp);
    expect(queue.where('ns/a')).toBe('backoff');
  });

  it('gives an unschedulable pod another chance when its spec changes', async () => {
    make();
    queue.add('ns/a', 0, 0);
    queue.addUnschedulable((await queue.pop(stop.signal))!);
    await clock.advance(2000);
    queue.update('ns/a');
    expect(queue.where('ns/a')).toBe('active');
  });

  it('forgets deleted pods wherever they wait', async () => {
    make();
    queue.add('ns/a', 0, 0);
    queue.add('ns/b', 0, 0);
    queue.addBackoff((await queue.pop(stop.signal))!);
    queue.delete('ns/a');
    queue.delete('ns/b');
    expect(queue.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
    await clock.advance(5000);
    expect(queue.lengths().active).toBe(0);
  });

  it('releases a waiting pop when closed', async () => {
    make();
    const popped = queue.pop(stop.signal);
    queue.close();
    expect(await popped).toBeUndefined();
  });
});
