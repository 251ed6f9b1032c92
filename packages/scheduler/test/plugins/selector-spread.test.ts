import { describe, expect, it } from 'vitest';
import { CycleState } from '../../src/framework.js';
import { SchedulerCache } from '../../src/cache.js';
import { SelectorSpread, spreadScores } from '../../src/plugins/selector-spread.js';
import { info, node, nodeInfo, pod } from '../fixtures.js';

describe('spreadScores', () => {
  it.each([
    { counts: [0, 0, 0], want: [100, 100, 100] },
    { counts: [2, 1, 0], want: [0, 50, 100] },
    { counts: [3, 3, 1], want: [0, 0, 66] },
    { counts: [1], want: [0] },
  ])('$counts → $want', ({ counts, want }) => {
    const scores = [...counts];
    spreadScores(scores);
    expect(scores).toEqual(want);
  });
});

describe('SelectorSpread plugin', () => {
  const state = new CycleState(new SchedulerCache());

  it('counts only pods of the same controlling owner', () => {
    const n = nodeInfo(node('n'), [pod('a', { ownerUid: 'rs-1' }), pod('b', { ownerUid: 'rs-1' }), pod('c', { ownerUid: 'rs-2' }), pod('d')]);
    expect(SelectorSpread.score(info(pod('p', { ownerUid: 'rs-1' })), n, state)).toBe(2);
    expect(SelectorSpread.score(info(pod('q', { ownerUid: 'rs-2' })), n, state)).toBe(1);
    expect(SelectorSpread.score(info(pod('r')), n, state)).toBe(0);
  });
});
