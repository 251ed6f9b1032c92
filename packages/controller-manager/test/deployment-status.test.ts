import { describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '@kubesim/api';
import {
  calculateStatus,
  compactStatus,
  deploymentComplete,
  deploymentTimedOut,
  getCondition,
  msUntilProgressCheck,
  newCondition,
  rolloutStatus,
  setCondition,
} from '../src/deployment-status.js';
import { T0, at, deployment, rs } from './builders.js';

const now = T0 + 1000_000;

describe('calculateStatus', () => {
  it('sums over the ReplicaSets and takes updatedReplicas from the new one', () => {
    const d = deployment({ replicas: 4, maxSurge: 1, maxUnavailable: 1, generation: 3 });
    const oldRS = rs({ name: 'old', replicas: 2, statusReplicas: 3, available: 2, ready: 3 });
    const newRS = rs({ name: 'new', replicas: 3, statusReplicas: 2, available: 1, ready: 1 });
    const s = calculateStatus(d, [oldRS, newRS], newRS, now);
    expect(s).toMatchObject({ observedGeneration: 3, replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 3, unavailableReplicas: 2 });
    expect(getCondition(s, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
  });

  it.each([
    [4, 1, 3, 'True'],
    [4, 1, 2, 'False'],
    [4, 0, 3, 'False'],
    [1, 0, 0, 'False'],
  ])('replicas %i, maxUnavailable %i, %i available → Available %s', (replicas, maxUnavailable, available, want) => {
    const d = deployment({ replicas, maxSurge: 1, maxUnavailable });
    const r = rs({ replicas, available });
    expect(getCondition(calculateStatus(d, [r], r, now), 'Available')?.status).toBe(want);
  });
});

describe('deploymentComplete', () => {
  it.each([
    [{ updatedReplicas: 3, replicas: 3, availableReplicas: 3, observedGeneration: 2 }, true],
    [{ updatedReplicas: 3, replicas: 4, availableReplicas: 3, observedGeneration: 2 }, false],
    [{ updatedReplicas: 3, replicas: 3, availableReplicas: 2, observedGeneration: 2 }, false],
    [{ updatedReplicas: 3, replicas: 3, availableReplicas: 3, observedGeneration: 1 }, false],
  ])('%j: %s', (status, want) => {
    expect(deploymentComplete(deployment({ replicas: 3, generation: 2 }), status)).toBe(want);
  });
});

describe('rolloutStatus: the Progressing condition', () => {
  const progressing = (reason: string, updatedAt: number): DeploymentStatus => ({
    observedGeneration: 1,
    replicas: 3,
    updatedReplicas: 1,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: at(updatedAt), lastTransitionTime: at(0), message: '' }],
  });

  it('says NewReplicaSetAvailable once every replica is updated and available', () => {
    const d = deployment({ replicas: 3, status: progressing('ReplicaSetUpdated', 0) });
    const newRS = rs({ name: 'web-abc', replicas: 3, available: 3 });
    const c = getCondition(rolloutStatus(d, [newRS], newRS, now), 'Progressing');
    expect(c).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-abc" has successfully progressed.' });
  });

  it('refreshes lastUpdateTime on progress, keeping the transition time', () => {
    const d = deployment({ replicas: 3, status: progressing('ReplicaSetUpdated', 0) });
    const oldRS = rs({ name: 'old', replicas: 1, available: 1 });
    const newRS = rs({ name: 'new', replicas: 2, available: 2 });
    const c = getCondition(rolloutStatus(d, [oldRS, newRS], newRS, now), 'Progressing');
    expect(c).toMatchObject({ reason: 'ReplicaSetUpdated', lastTransitionTime: at(0) });
    expect(Date.parse(c!.lastUpdateTime!)).toBe(now - (now % 1000));
  });

  it('reports ProgressDeadlineExceeded when nothing moved for longer than the deadline', () => {
    const d = deployment({ replicas: 3, progressDeadlineSeconds: 10, status: progressing('ReplicaSetUpdated', 0) });
    const oldRS = rs({ name: 'old', replicas: 2, available: 2 });
    const newRS = rs({ name: 'new', replicas: 1, available: 0 });
    const c = getCondition(rolloutStatus(d, [oldRS, newRS], newRS, T0 + 11_000), 'Progressing');
    expect(c).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "new" has timed out progressing.' });
  });

  it('does not time out before the deadline', () => {
    const d = deployment({ replicas: 3, progressDeadlineSeconds: 10, status: progressing('ReplicaSetUpdated', 0) });
    const newRS = rs({ name: 'new', replicas: 1, available: 0 });
    const oldRS = rs({ name: 'old', replicas: 2, available: 2 });
    expect(getCondition(rolloutStatus(d, [oldRS, newRS], newRS, T0 + 9_000), 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    expect(msUntilProgressCheck(d, rolloutStatus(d, [oldRS, newRS], newRS, T0 + 9_000), T0 + 9_000)).toBe(2_000);
  });

  it('never times out a completed rollout', () => {
    const d = deployment({ replicas: 3, progressDeadlineSeconds: 10, status: progressing('NewReplicaSetAvailable', 0) });
    expect(deploymentTimedOut(d, d.status!, T0 + 100_000)).toBe(false);
  });
});

describe('setCondition', () => {
  it('keeps the old condition when status and reason are unchanged', () => {
    const status: DeploymentStatus = { conditions: [newCondition('Available', 'True', 'A', 'old', T0)] };
    setCondition(status, newCondition('Available', 'True', 'A', 'new', T0 + 5000));
    expect(status.conditions![0].message).toBe('old');
  });

  it('keeps the transition time when only the reason changes', () => {
    const status: DeploymentStatus = { conditions: [newCondition('Progressing', 'True', 'A', '', T0)] };
    setCondition(status, newCondition('Progressing', 'True', 'B', '', T0 + 5000));
    expect(status.conditions![0]).toMatchObject({ reason: 'B', lastTransitionTime: at(0), lastUpdateTime: at(5) });
  });
});

describe('compactStatus', () => {
  it('leaves out zero counts and empty lists, as upstream serializes them', () => {
    expect(compactStatus({ observedGeneration: 2, replicas: 0, availableReplicas: 1, conditions: [] })).toEqual({ observedGeneration: 2, availableReplicas: 1 });
  });
});
