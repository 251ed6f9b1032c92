import { describe, expect, it } from 'vitest';
import { observeHealth, type HealthState } from '@kubesim/lb';

const T = { unhealthyThreshold: 2, healthyThreshold: 3 };

/** Feeds check results one by one from a healthy start; returns `healthy` after each. */
function run(results: boolean[], start: HealthState = { healthy: true, streak: 0 }): boolean[] {
  let s = start;
  return results.map((ok) => (s = observeHealth(s, ok, T)).healthy);
}

describe('observeHealth', () => {
  it.each([
    { name: 'passing checks keep a node in', results: [true, true, true], want: [true, true, true] },
    { name: 'one failed check is forgiven', results: [false, true, false, true], want: [true, true, true, true] },
    { name: 'two failures in a row take a node out', results: [true, false, false], want: [true, true, false] },
    { name: 'three successes in a row bring it back', results: [false, false, true, true, true], want: [true, false, false, false, true] },
    { name: 'a failure resets the way back', results: [false, false, true, true, false, true, true, true], want: [true, false, false, false, false, false, false, true] },
  ])('$name', ({ results, want }) => {
    expect(run(results)).toEqual(want);
  });

  it('starts from any state', () => {
    expect(run([true, true, true], { healthy: false, streak: 0 })).toEqual([false, false, true]);
  });
});
