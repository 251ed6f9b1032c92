import { describe, expect, it } from 'vitest';
import { Backoff, formatDuration } from '../src/backoff.js';

const settings = { initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 };

describe('restart back-off', () => {
  it('restarts at once the first time, then waits 10 s, 20 s, 40 s ... up to 5 min', () => {
    const b = new Backoff(settings);
    let now = 0;
    const waits: number[] = [];
    expect(b.next('c', now, now)).toEqual({ retry: true });
    for (let i = 0; i < 8; i++) {
      const failedAt = now; // the container crashed again right after starting
      const d = b.next('c', now, failedAt);
      expect(d.retry).toBe(false);
      if (d.retry) return;
      waits.push(d.delayMs);
      now += d.remainingMs;
      expect(b.next('c', now, failedAt)).toEqual({ retry: true });
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('tells how much of the window is left', () => {
    const b = new Backoff(settings);
    b.next('c', 0, 0);
    expect(b.next('c', 4_000, 1_000)).toEqual({ retry: false, delayMs: 10_000, remainingMs: 7_000 });
  });

  it('starts over after a container ran for 10 minutes', () => {
    const b = new Backoff(settings);
    b.next('c', 0, 0);
    b.next('c', 10_000, 0);
    expect(b.next('c', 700_000, 700_000, 600_000)).toEqual({ retry: true });
    expect(b.next('c', 700_001, 700_001)).toMatchObject({ retry: false, delayMs: 10_000 });
  });

  it('keeps keys apart and forgets a pod by prefix', () => {
    const b = new Backoff(settings);
    b.next('uid1/a', 0, 0);
    b.next('uid2/a', 0, 0);
    b.forget('uid1/');
    expect(b.next('uid1/a', 1, 1)).toEqual({ retry: true });
    expect(b.next('uid2/a', 1, 1).retry).toBe(false);
  });

  it.each([
    [10_000, '10s'],
    [20_000, '20s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
