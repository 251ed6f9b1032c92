import { describe, expect, it } from 'vitest';
import type { DeepReadonly, OwnerReference, PodDisruptionBudget, PodDisruptionBudgetSpec } from '@kubesim/api';
import {
  budgetSelector,
  budgetStatus,
  budgetTarget,
  countHealthy,
  expectedScale,
  failSafeStatus,
  needsControllerScale,
  pruneDisruptedPods,
  statusChanged,
  type ControllerScale,
} from '../src/disruption-status.js';
import { T0, at, pod, type PodShape } from './builders.js';

const ready = (name: string, extra: PodShape = {}) => pod({ name, readySince: 0, labels: { app: 'web' }, ...extra });
const unready = (name: string) => pod({ name, labels: { app: 'web' } });
const terminating = (name: string) => pod({ name, readySince: 0, labels: { app: 'web' }, deleting: true });

function pdb(spec: PodDisruptionBudgetSpec, status?: PodDisruptionBudget['status'], generation = 1): PodDisruptionBudget {
  return { metadata: { name: 'web', namespace: 'default', generation }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec }, status };
}

/** One sync's numbers, as the controller strings the helpers together. */
function numbers(spec: PodDisruptionBudgetSpec, pods: ReturnType<typeof pod>[], scale: number, disrupted?: Record<string, string>) {
  const target = budgetTarget(spec, pods.length, scale);
  const kept = pruneDisruptedPods(disrupted, pods, T0, 120_000).kept;
  const s = budgetStatus(pdb(spec), { ...target, currentHealthy: countHealthy(pods, kept), disruptedPods: kept }, at(0));
  return { expected: s.expectedPods, desired: s.desiredHealthy, healthy: s.currentHealthy, allowed: s.disruptionsAllowed };
}

describe('PodDisruptionBudget status numbers', () => {
  const three = [ready('a'), ready('b'), ready('c')];
  it.each([
    ['minAvailable 2 of 3 ready pods', { minAvailable: 2 }, three, 3, { expected: 3, desired: 2, healthy: 3, allowed: 1 }],
    ['minAvailable 3 of 3: nothing may go', { minAvailable: 3 }, three, 3, { expected: 3, desired: 3, healthy: 3, allowed: 0 }],
    ['minAvailable 5 above the pods: never negative', { minAvailable: 5 }, three, 3, { expected: 3, desired: 5, healthy: 3, allowed: 0 }],
    ['a plain minAvailable counts matched pods, not the scale', { minAvailable: 1 }, three, 10, { expected: 3, desired: 1, healthy: 3, allowed: 2 }],
    ['minAvailable 50% of 3 rounds up to 2', { minAvailable: '50%' }, three, 3, { expected: 3, desired: 2, healthy: 3, allowed: 1 }],
    ['minAvailable 50% of a scale of 5 is 3', { minAvailable: '50%' }, three, 5, { expected: 5, desired: 3, healthy: 3, allowed: 0 }],
    ['minAvailable 100% allows none', { minAvailable: '100%' }, three, 3, { expected: 3, desired: 3, healthy: 3, allowed: 0 }],
    ['maxUnavailable 1 of 3', { maxUnavailable: 1 }, three, 3, { expected: 3, desired: 2, healthy: 3, allowed: 1 }],
    ['maxUnavailable 0 allows none', { maxUnavailable: 0 }, three, 3, { expected: 3, desired: 3, healthy: 3, allowed: 0 }],
    ['maxUnavailable 34% of 3 rounds up to 2', { maxUnavailable: '34%' }, three, 3, { expected: 3, desired: 1, healthy: 3, allowed: 2 }],
    ['maxUnavailable 10% of 3 rounds up to 1', { maxUnavailable: '10%' }, three, 3, { expected: 3, desired: 2, healthy: 3, allowed: 1 }],
    ['maxUnavailable above the scale: desired 0', { maxUnavailable: 7 }, three, 3, { expected: 3, desired: 0, healthy: 3, allowed: 3 }],
    ['maxUnavailable against the scale, not the pods', { maxUnavailable: 1 }, [ready('a'), ready('b')], 3, { expected: 3, desired: 2, healthy: 2, allowed: 0 }],
    ['unready pods are not healthy', { minAvailable: 1 }, [ready('a'), unready('b'), unready('c')], 3, { expected: 3, desired: 1, healthy: 1, allowed: 0 }],
    ['terminating pods are not healthy', { minAvailable: 1 }, [ready('a'), ready('b'), terminating('c')], 3, { expected: 3, desired: 1, healthy: 2, allowed: 1 }],
    ['no pods: nothing allowed even with desired 0', { maxUnavailable: 1 }, [], 0, { expected: 0, desired: 0, healthy: 0, allowed: 0 }],
    ['no pods with minAvailable 0: nothing allowed', { minAvailable: 0 }, [], 0, { expected: 0, desired: 0, healthy: 0, allowed: 0 }],
  ] as const)('%s', (_name, spec, pods, scale, want) => {
    expect(numbers(spec as PodDisruptionBudgetSpec, [...pods], scale)).toEqual(want);
  });

  it('does not count a just-evicted pod as healthy', () => {
    expect(numbers({ minAvailable: 2 }, three, 3, { a: at(-10) })).toEqual({ expected: 3, desired: 2, healthy: 2, allowed: 0 });
  });

  it('counts an evicted pod again once its entry is overdue', () => {
    expect(numbers({ minAvailable: 2 }, three, 3, { a: at(-121) })).toEqual({ expected: 3, desired: 2, healthy: 3, allowed: 1 });
  });
});

describe('budgetSelector', () => {
  const labelled = pod({ labels: { app: 'web', tier: 'fe' } });
  const bare = pod({});
  it.each([
    ['a null selector matches no pod', undefined, [false, false]],
    ['an empty selector matches every pod', {}, [true, true]],
    ['matchLabels match the labelled pod', { matchLabels: { app: 'web' } }, [true, false]],
    ['matchExpressions work too', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['be'] }] }, [true, true]],
  ] as const)('%s', (_name, selector, want) => {
    const b = { metadata: { name: 'x', namespace: 'default' }, spec: { selector } } as unknown as PodDisruptionBudget;
    const m = budgetSelector(b);
    expect([labelled, bare].map((p) => m?.matches(p.metadata.labels) ?? false)).toEqual(want);
  });
});

describe('needsControllerScale', () => {
  it.each([
    [{ minAvailable: 2 }, false],
    [{ minAvailable: '50%' }, true],
    [{ maxUnavailable: 1 }, true],
    [{ maxUnavailable: '20%' }, true],
    [{}, false],
  ] as const)('%j → %s', (spec, want) => {
    expect(needsControllerScale(spec as PodDisruptionBudgetSpec)).toBe(want);
  });
});

describe('pruneDisruptedPods', () => {
  const pods = [ready('a'), ready('b'), terminating('c'), ready('d')];
  it('keeps entries of live pods within the timeout, drops gone, terminating and overdue ones', () => {
    const out = pruneDisruptedPods({ a: at(-30), b: at(-200), c: at(-1), gone: at(-1) }, pods, T0, 120_000);
    expect(out.kept).toEqual({ a: at(-30) });
    expect(out.overdue).toEqual(['b']);
    expect(out.recheckAfterMs).toBe(90_001);
  });

  it('asks for no recheck when nothing is kept', () => {
    expect(pruneDisruptedPods(undefined, pods, T0, 120_000)).toEqual({ kept: {}, overdue: [], recheckAfterMs: undefined });
  });

  it('rechecks at the earliest due entry', () => {
    expect(pruneDisruptedPods({ a: at(-5), d: at(-8) }, pods, T0, 10_000).recheckAfterMs).toBe(2_001);
  });
});

describe('expectedScale', () => {
  const owned = (name: string, uid: string) => ({ ...ready(name), metadata: { ...ready(name).metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true }] } });
  const scales: Record<string, ControllerScale> = { rs1: { uid: 'deploy', scale: 4 }, rs2: { uid: 'deploy', scale: 4 }, rs3: { uid: 'rs3', scale: 2 } };
  const find = async (ref: DeepReadonly<OwnerReference>) => scales[ref.uid];

  it('sums each controller once, a Deployment over its two ReplicaSets included', async () => {
    const got = await expectedScale([owned('a', 'rs1'), owned('b', 'rs1'), owned('c', 'rs2'), owned('d', 'rs3')], find);
    expect(got).toEqual({ expectedCount: 6, unmanagedPods: [] });
  });

  it('lists pods without a controller apart', async () => {
    expect(await expectedScale([owned('a', 'rs3'), ready('loose')], find)).toEqual({ expectedCount: 2, unmanagedPods: ['loose'] });
  });

  it('fails for a controller nobody can find', async () => {
    await expect(expectedScale([owned('a', 'missing')], find)).rejects.toThrow('found no controllers for pod "a"');
  });
});

describe('the DisruptionAllowed condition and status writes', () => {
  const counts = { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptedPods: {} };

  it('is True for SufficientPods when a disruption is allowed, False for InsufficientPods otherwise', () => {
    expect(budgetStatus(pdb({ minAvailable: 2 }), counts, at(0)).conditions).toEqual([
      { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: at(0) },
    ]);
    const none = budgetStatus(pdb({ minAvailable: 2 }), { ...counts, currentHealthy: 2 }, at(0));
    expect(none.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('keeps the transition time while the condition holds and moves it when it flips', () => {
    const first = budgetStatus(pdb({ minAvailable: 2 }), counts, at(0));
    const same = budgetStatus(pdb({ minAvailable: 2 }, first), counts, at(50));
    expect(same.conditions?.[0].lastTransitionTime).toBe(at(0));
    const flipped = budgetStatus(pdb({ minAvailable: 2 }, first), { ...counts, currentHealthy: 1 }, at(60));
    expect(flipped.conditions?.[0].lastTransitionTime).toBe(at(60));
  });

  it('reports the observed generation', () => {
    expect(budgetStatus(pdb({ minAvailable: 2 }, undefined, 4), counts, at(0)).observedGeneration).toBe(4);
  });

  it('sees no change in a recomputed identical status, and a change in any number', () => {
    const first = budgetStatus(pdb({ minAvailable: 2 }), counts, at(0));
    expect(statusChanged(first, budgetStatus(pdb({ minAvailable: 2 }, first), counts, at(9)))).toBe(false);
    expect(statusChanged(first, budgetStatus(pdb({ minAvailable: 2 }, first), { ...counts, expectedPods: 4 }, at(9)))).toBe(true);
    expect(statusChanged(undefined, first)).toBe(true);
  });

  it('keeps disruptedPods in the status only when it has entries', () => {
    expect(budgetStatus(pdb({ minAvailable: 2 }), counts, at(0)).disruptedPods).toBeUndefined();
    expect(budgetStatus(pdb({ minAvailable: 2 }), { ...counts, disruptedPods: { a: at(0) } }, at(0)).disruptedPods).toEqual({ a: at(0) });
  });

  it('fails safe: no disruption allowed, SyncFailed with the error', () => {
    const old = budgetStatus(pdb({ minAvailable: 2 }), counts, at(0));
    const safe = failSafeStatus(pdb({ minAvailable: 2 }, old), 'found no controllers for pod "a"', at(5));
    expect(safe).toMatchObject({ disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    expect(safe.conditions).toEqual([
      { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "a"', observedGeneration: 1, lastTransitionTime: at(5) },
    ]);
  });
});
