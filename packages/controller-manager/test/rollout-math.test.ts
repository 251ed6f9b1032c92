import { describe, expect, it } from 'vitest';
import {
  availableOf,
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  proportion,
  replicaSetFraction,
  resolveFenceposts,
  scaledValue,
} from '../src/rollout-math.js';
import { deployment, rs } from './builders.js';

describe('scaledValue: ints and percentages', () => {
  it.each([
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['25%', 4, true, 1],
    ['25%', 4, false, 1],
    ['25%', 3, true, 1],
    ['25%', 3, false, 0],
    ['100%', 7, false, 7],
    ['0%', 7, true, 0],
    ['33%', 3, true, 1],
    ['50%', 5, false, 2],
  ] as const)('%s of %i rounded %s is %i', (value, total, up, want) => {
    expect(scaledValue(value, total, up)).toBe(want);
  });

  it('refuses a string that is not a percentage', () => {
    expect(() => scaledValue('three', 10, true)).toThrow(/not a percentage/);
  });
});

describe('resolveFenceposts: surge up, unavailable down', () => {
  it.each([
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 1, 1, 0],
    [0, 0, 5, 0, 1],
    ['0%', '10%', 5, 0, 1],
    [1, 1, 4, 1, 1],
    [2, 0, 3, 2, 0],
  ] as const)('maxSurge %s, maxUnavailable %s of %i → surge %i, unavailable %i', (s, u, desired, surge, unavailable) => {
    expect(resolveFenceposts(s, u, desired)).toEqual({ surge, unavailable });
  });
});

describe('maxSurge and maxUnavailable of a Deployment', () => {
  it.each([
    [{ replicas: 4, maxSurge: 1, maxUnavailable: 1 }, 1, 1],
    [{ replicas: 10 }, 3, 2],
    [{ replicas: 3, maxUnavailable: 5 }, 1, 3],
    [{ replicas: 0 }, 0, 0],
    [{ replicas: 4, strategy: 'Recreate' as const }, 0, 0],
  ])('%j → surge %i, unavailable %i', (shape, surge, unavailable) => {
    const d = deployment(shape);
    expect(maxSurge(d)).toBe(surge);
    expect(maxUnavailable(d)).toBe(unavailable);
  });
});

describe('newReplicaSetReplicas: how far the new ReplicaSet grows', () => {
  it.each([
    ['starts at replicas + surge minus what the old ones hold', { replicas: 4, maxSurge: 1 }, [4], 0, 1],
    ['never passes replicas', { replicas: 4, maxSurge: 3 }, [1], 2, 4],
    ['stays when the surge is used up', { replicas: 4, maxSurge: 1 }, [3], 2, 2],
    ['fills the room old ones freed', { replicas: 4, maxSurge: 1 }, [1], 2, 4],
    ['with no old ones, jumps to replicas', { replicas: 5, maxSurge: 1 }, [], 0, 5],
  ])('%s', (_name, shape, oldSizes, newSize, want) => {
    const d = deployment(shape);
    const newRS = rs({ name: 'new', replicas: newSize });
    const all = [...oldSizes.map((n, i) => rs({ name: `old${i}`, replicas: n })), newRS];
    expect(newReplicaSetReplicas(d, all, newRS)).toBe(want);
  });

  it('for Recreate, jumps to replicas at once', () => {
    const d = deployment({ replicas: 6, strategy: 'Recreate' });
    const newRS = rs({ replicas: 0 });
    expect(newReplicaSetReplicas(d, [rs({ name: 'old', replicas: 6 }), newRS], newRS)).toBe(6);
  });
});

describe('proportional scaling', () => {
  const maxAnnotated = (n: number) => ({ 'deployment.kubernetes.io/max-replicas': String(n) });

  it.each([
    // rs size, annotated max, new replicas, maxSurge → fraction
    [5, 11, 20, 1, 5],
    [5, 11, 5, 1, -2],
    [3, 4, 8, 0, 3],
    [1, 3, 1, 0, -1],
  ])('a ReplicaSet of %i sized for max %i, Deployment now %i (+%i) gains %i', (size, max, replicas, surge, want) => {
    const d = deployment({ replicas, maxSurge: surge, maxUnavailable: 1 });
    expect(replicaSetFraction(rs({ replicas: size, annotations: maxAnnotated(max) }), d)).toBe(want);
  });

  it('loses everything when the Deployment goes to zero', () => {
    expect(replicaSetFraction(rs({ replicas: 4 }), deployment({ replicas: 0 }))).toBe(-4);
  });

  it.each([
    [10, 0, 5, 5],
    [10, 8, 5, 2],
    [-10, 0, -4, -4],
    [-10, -8, -4, -2],
    [10, 10, 5, 0],
  ])('with %i to add and %i added, a fraction of %i is capped to %i', (toAdd, added, fraction, want) => {
    // The fraction comes from the ReplicaSet's share; build one that yields `fraction`.
    const d = deployment({ replicas: 20, maxSurge: 0, maxUnavailable: 1 });
    const size = 10;
    const max = Math.round((size * 20) / (size + fraction));
    const r = rs({ replicas: size, annotations: maxAnnotated(max) });
    expect(replicaSetFraction(r, d)).toBe(fraction);
    expect(proportion(r, d, toAdd, added)).toBe(want);
  });
});

describe('availableOf: what a rollout may count on', () => {
  it.each([
    [3, 3, 3],
    [3, 2, 2],
    // A status from before a scale-down 4 → 3 still counts the pod about to go.
    [3, 4, 3],
    [0, 2, 0],
  ])('a ReplicaSet asked for %i whose status says %i available counts %i', (replicas, available, want) => {
    expect(availableOf(rs({ replicas, available }))).toBe(want);
  });
});
