import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '@kubesim/api';
import { claimDecision } from '../src/controller-ref.js';
import {
  blockingDependents,
  decideForDependent,
  isDeletingDependents,
  isOrphaning,
  ownerNamespace,
  ownerState,
  type ClassifiedReference,
  type GcAction,
  type OwnerState,
} from '../src/gc-policy.js';

const ref = (uid: string, state: OwnerState): ClassifiedReference => ({ ref: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid }, state });

describe('decideForDependent', () => {
  const cases: [string, ClassifiedReference[], boolean, string[], GcAction][] = [
    ['keeps an object with a live owner', [ref('a', 'solid')], false, [], { kind: 'none' }],
    ['keeps an object without owners', [], false, [], { kind: 'none' }],
    ['deletes an object whose only owner is gone, in the background', [ref('a', 'dangling')], false, [], { kind: 'delete', policy: 'Background' }],
    ['deletes an object whose owners are all gone', [ref('a', 'dangling'), ref('b', 'dangling')], true, [], { kind: 'delete', policy: 'Background' }],
    ['drops the reference to a gone owner when another owner lives', [ref('a', 'solid'), ref('b', 'dangling')], false, [], { kind: 'removeOwnerReferences', uids: ['b'] }],
    ['drops the reference to a waiting owner when another owner lives', [ref('a', 'waiting'), ref('b', 'solid')], true, [], { kind: 'removeOwnerReferences', uids: ['a'] }],
    ['deletes in the foreground under a waiting owner when it has dependents', [ref('a', 'waiting')], true, [], { kind: 'delete', policy: 'Foreground' }],
    ['deletes in the background under a waiting owner when it has none', [ref('a', 'waiting')], false, [], { kind: 'delete', policy: 'Background' }],
    ['honours its own orphan finalizer', [ref('a', 'dangling')], true, ['orphan'], { kind: 'delete', policy: 'Orphan' }],
    ['honours its own foreground finalizer', [ref('a', 'dangling')], true, ['foregroundDeletion'], { kind: 'delete', policy: 'Foreground' }],
  ];
  it.each(cases)('%s', (_name, refs, hasDependents, finalizers, want) => {
    expect(decideForDependent(refs, hasDependents, finalizers)).toEqual(want);
  });
});

describe('owner states', () => {
  const now = '2030-01-01T00:00:00Z';
  it.each([
    [undefined, 'dangling'],
    [{ uid: 'x' }, 'solid'],
    [{ uid: 'x', deletionTimestamp: now }, 'solid'],
    [{ uid: 'x', deletionTimestamp: now, finalizers: ['foregroundDeletion'] }, 'waiting'],
    [{ uid: 'x', finalizers: ['foregroundDeletion'] }, 'solid'],
  ] as [ObjectMeta | undefined, OwnerState][])('%j is %s', (meta, want) => {
    expect(ownerState(meta)).toBe(want);
  });

  it('recognizes orphaning and foreground deletions only once deleted', () => {
    expect(isOrphaning({ finalizers: ['orphan'] })).toBe(false);
    expect(isOrphaning({ finalizers: ['orphan'], deletionTimestamp: now })).toBe(true);
    expect(isDeletingDependents({ finalizers: ['foregroundDeletion'], deletionTimestamp: now })).toBe(true);
  });
});

describe('blockingDependents', () => {
  it('keeps only dependents that block the owner', () => {
    const dep = (name: string, block?: boolean) => ({ metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'o', blockOwnerDeletion: block }] } });
    const other = { metadata: { name: 'other', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'p', uid: 'p', blockOwnerDeletion: true }] } };
    expect(blockingDependents('o', [dep('a', true), dep('b', false), dep('c'), other]).map((d) => d.metadata.name)).toEqual(['a']);
  });
});

describe('ownerNamespace', () => {
  it.each([
    ['ns1', true, { namespace: 'ns1' }],
    ['ns1', false, {}],
    [undefined, false, {}],
    [undefined, true, 'invalid'],
  ] as const)('a dependent in %s with a namespaced(%s) owner looks in %j', (ns, namespaced, want) => {
    expect(ownerNamespace(ns, namespaced)).toEqual(want);
  });
});

describe('claimDecision', () => {
  const ctrl: ObjectMeta = { uid: 'rs', namespace: 'default' };
  const owned = (uid: string): ObjectMeta => ({ namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid, controller: true }] });
  const cases: [string, ObjectMeta, ObjectMeta, boolean, string][] = [
    ['keeps its own matching object', ctrl, owned('rs'), true, 'keep'],
    ['releases its own object that stopped matching', ctrl, owned('rs'), false, 'release'],
    ['does not release while being deleted', { ...ctrl, deletionTimestamp: 't' }, owned('rs'), false, 'ignore'],
    ['adopts a matching orphan', ctrl, { namespace: 'default' }, true, 'adopt'],
    ['ignores a non-matching orphan', ctrl, { namespace: 'default' }, false, 'ignore'],
    ['ignores what another controller owns', ctrl, owned('other'), true, 'ignore'],
    ['does not adopt while being deleted', { ...ctrl, deletionTimestamp: 't' }, { namespace: 'default' }, true, 'ignore'],
    ['does not adopt a terminating orphan', ctrl, { namespace: 'default', deletionTimestamp: 't' }, true, 'ignore'],
    ['does not adopt across namespaces', ctrl, { namespace: 'other' }, true, 'ignore'],
    ['adopts an orphan that has a non-controller owner', ctrl, { namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'x' }] }, true, 'adopt'],
  ];
  it.each(cases)('%s', (_name, controller, obj, matches, want) => {
    expect(claimDecision(controller, obj, matches)).toBe(want);
  });
});
