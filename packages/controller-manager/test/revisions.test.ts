import { describe, expect, it } from 'vitest';
import {
  copyDeploymentAnnotations,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
} from '../src/revisions.js';
import { rs } from './builders.js';

const bounds = { desired: 3, max: 4 };

describe('revision numbers', () => {
  it.each([
    [[1, 2, 3], 3],
    [[5, 2], 5],
    [[], 0],
    [[undefined, 2], 2],
  ])('the highest of %j is %i', (revisions, want) => {
    expect(maxRevision(revisions.map((r, i) => rs({ name: `rs${i}`, revision: r })))).toBe(want);
  });

  it('reads a missing or unreadable revision as 0', () => {
    expect(revisionOf(rs({ annotations: { 'deployment.kubernetes.io/revision': 'x' } }))).toBe(0);
    expect(revisionOf(rs())).toBe(0);
  });
});

describe('setNewReplicaSetAnnotations', () => {
  it('gives a ReplicaSet about to be created its revision and replicas annotations', () => {
    const ann: Record<string, string> = {};
    expect(setNewReplicaSetAnnotations({ 'kubernetes.io/change-cause': 'v2' }, ann, 1, false, bounds)).toBe(true);
    expect(ann).toEqual({
      'kubernetes.io/change-cause': 'v2',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('moves a rolled-back ReplicaSet to the top revision and remembers the old number', () => {
    const ann = { 'deployment.kubernetes.io/revision': '1' };
    expect(setNewReplicaSetAnnotations({}, ann, 3, true, bounds)).toBe(true);
    expect(ann['deployment.kubernetes.io/revision']).toBe('3');
    expect(ann['deployment.kubernetes.io/revision-history' as never]).toBe('1');
  });

  it('appends to an existing revision history', () => {
    const ann: Record<string, string> = { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' };
    setNewReplicaSetAnnotations({}, ann, 5, true, bounds);
    expect(ann['deployment.kubernetes.io/revision-history']).toBe('1,3');
  });

  it('changes nothing for a ReplicaSet already at the top', () => {
    const ann = { 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/desired-replicas': '9' };
    expect(setNewReplicaSetAnnotations({}, ann, 4, true, bounds)).toBe(false);
    // An existing ReplicaSet's replicas annotations are the scaler's business, not this one's.
    expect(ann['deployment.kubernetes.io/desired-replicas']).toBe('9');
  });

  it('leaves an unreadable revision alone', () => {
    const ann = { 'deployment.kubernetes.io/revision': 'junk' };
    expect(setNewReplicaSetAnnotations({}, ann, 2, true, bounds)).toBe(false);
    expect(ann['deployment.kubernetes.io/revision']).toBe('junk');
  });
});

describe('copyDeploymentAnnotations', () => {
  it.each([
    ['kubernetes.io/change-cause', true],
    ['team', true],
    ['kubectl.kubernetes.io/last-applied-configuration', false],
    ['deployment.kubernetes.io/revision', false],
    ['deployment.kubernetes.io/revision-history', false],
    ['deployment.kubernetes.io/desired-replicas', false],
    ['deployment.kubernetes.io/max-replicas', false],
  ])('copies %s: %s', (key, copied) => {
    const to: Record<string, string> = {};
    copyDeploymentAnnotations({ [key]: 'v' }, to);
    expect(key in to).toBe(copied);
  });
});

describe('Deployment revision and replicas annotations', () => {
  it('sets the Deployment revision once', () => {
    const ann: Record<string, string> = {};
    expect(setDeploymentRevision(ann, '2')).toBe(true);
    expect(setDeploymentRevision(ann, '2')).toBe(false);
  });

  it.each([
    [{}, true],
    [{ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' }, false],
    [{ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '5' }, true],
  ])('annotations %j need an update: %s', (ann, want) => {
    expect(replicasAnnotationsNeedUpdate(ann, 3, 4)).toBe(want);
  });
});
