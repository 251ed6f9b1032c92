import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, restartDelay } from '../src/index.js';

describe('restartDelay', () => {
  it.each<[string, number | null, number, number]>([
    ['first restart', null, 500, 1000],
    ['second quick crash doubles', 1000, 500, 2000],
    ['keeps doubling', 8000, 500, 16_000],
    ['stops at 30 s', 16_000, 500, 30_000],
    ['stays at 30 s', 30_000, 500, 30_000],
    ['resets after 60 s of running', 30_000, 60_000, 1000],
    ['does not reset just before 60 s', 4000, 59_999, 8000],
  ])('%s', (_, previous, ranFor, expected) => {
    expect(restartDelay(previous, ranFor, DEFAULT_BACKOFF)).toBe(expected);
  });
});
