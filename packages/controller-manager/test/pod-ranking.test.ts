import { describe, expect, it } from 'vitest';
import { compareForDeletion, podsToDelete } from '../src/pod-ranking.js';
import { isPodActive, isPodAvailable, maxContainerRestarts } from '../src/pods.js';
import { T0, pod, type PodShape } from './builders.js';

describe('scale-down ranking: which of two pods goes first', () => {
  const cases: [string, PodShape, PodShape][] = [
    ['an unassigned pod before an assigned one', { node: undefined, phase: 'Pending' }, { node: 'n1', phase: 'Pending' }],
    ['a pending pod before a running one', { node: 'n1', phase: 'Pending' }, { node: 'n1', phase: 'Running' }],
    ['an unknown pod before a running one', { node: 'n1', phase: 'Unknown' }, { node: 'n1', phase: 'Running' }],
    ['a pending pod before an unknown one', { node: 'n1', phase: 'Pending' }, { node: 'n1', phase: 'Unknown' }],
    ['a not-ready pod before a ready one', { node: 'n1' }, { node: 'n1', readySince: 0 }],
    ['a lower deletion cost before a higher one', { node: 'n1', readySince: 0, cost: -5 }, { node: 'n1', readySince: 0, cost: 10 }],
    ['ready for less time before ready for longer', { node: 'n1', readySince: 100 }, { node: 'n1', readySince: 10 }],
    ['more restarts before fewer', { node: 'n1', readySince: 10, restarts: 4 }, { node: 'n1', readySince: 10, restarts: 1 }],
    ['newer before older', { node: 'n1', readySince: 10, created: 50 }, { node: 'n1', readySince: 10, created: 5 }],
    ['an unassigned running pod before an assigned pending one', { phase: 'Running' }, { node: 'n1', phase: 'Pending' }],
    ['not ready before ready, whatever the age', { node: 'n1', created: 0 }, { node: 'n1', readySince: 500, created: 400 }],
  ];
  it.each(cases)('%s', (_name, first, second) => {
    const a = { pod: pod(first), rank: 0 };
    const b = { pod: pod(second), rank: 0 };
    expect(compareForDeletion(a, b)).toBeLessThan(0);
    expect(compareForDeletion(b, a)).toBeGreaterThan(0);
  });

  it('treats equal pods as equal', () => {
    expect(compareForDeletion({ pod: pod({ node: 'n1' }), rank: 0 }, { pod: pod({ node: 'n1' }), rank: 0 })).toBe(0);
  });

  it('prefers pods doubled up on a node', () => {
    const a = { pod: pod({ node: 'n1', readySince: 0 }), rank: 3 };
    const b = { pod: pod({ node: 'n2', readySince: 0 }), rank: 1 };
    expect(compareForDeletion(a, b)).toBeLessThan(0);
  });
});

describe('podsToDelete', () => {
  const pods = [
    pod({ name: 'old-ready', node: 'n1', readySince: 0, created: 0 }),
    pod({ name: 'pending', node: 'n2', phase: 'Pending', created: 20 }),
    pod({ name: 'unassigned', phase: 'Pending', created: 30 }),
    pod({ name: 'new-ready', node: 'n2', readySince: 40, created: 35 }),
  ];

  it.each([
    [1, ['unassigned']],
    [2, ['unassigned', 'pending']],
    [3, ['unassigned', 'pending', 'new-ready']],
    [4, ['old-ready', 'pending', 'unassigned', 'new-ready']],
  ])('picks the %i least valuable pods', (count, names) => {
    expect(podsToDelete(pods, pods, count).map((p) => p.metadata.name)).toEqual(names);
  });

  it('ranks by related pods on the same node', () => {
    const a = pod({ name: 'a', node: 'crowded', readySince: 0 });
    const b = pod({ name: 'b', node: 'quiet', readySince: 0 });
    const sibling = pod({ name: 'sibling', node: 'crowded', readySince: 0 });
    expect(podsToDelete([a, b], [a, b, sibling], 1).map((p) => p.metadata.name)).toEqual(['a']);
  });
});

describe('pod predicates', () => {
  it.each([
    ['Running', false, true],
    ['Pending', false, true],
    ['Succeeded', false, false],
    ['Failed', false, false],
    ['Running', true, false],
  ] as const)('a %s pod (terminating: %s) is active: %s', (phase, deleting, active) => {
    expect(isPodActive(pod({ phase, deleting }))).toBe(active);
  });

  it.each([
    [undefined, 0, 0, false],
    [0, 0, 0, true],
    [0, 10, 5, false],
    [0, 10, 11, true],
  ])('ready since %s, minReadySeconds %i, at +%is: available %s', (readySince, minReady, now, available) => {
    expect(isPodAvailable(pod({ readySince }), minReady, T0 + now * 1000)).toBe(available);
  });

  it('reads the highest container restart count', () => {
    expect(maxContainerRestarts(pod({ restarts: 7 }))).toBe(7);
  });
});
