import { describe, expect, it } from 'vitest';
import { FakeClock } from '@kubesim/api';
import { parseConfig } from '../src/config.js';
import { selectControllers } from '../src/controllers/index.js';
import { Expectations } from '../src/expectations.js';
import { countRemaining, deletionConditions, emptyReport, NAMESPACED_RESOURCES } from '../src/namespace-content.js';
import { activeReplicaSets, byRevision, findActiveOrLatest, findNewReplicaSet, isSaturated } from '../src/replicaset-order.js';
import { calculateReplicaSetStatus, sameReplicaSetStatus } from '../src/replicaset-status.js';
import { slowStartBatch, slowStartBatches } from '../src/slow-start.js';
import { T0, deployment, pod, rs } from './builders.js';

describe('slow start', () => {
  it.each([
    [0, []],
    [1, [1]],
    [3, [1, 2]],
    [10, [1, 2, 4, 3]],
    [16, [1, 2, 4, 8, 1]],
  ])('%i calls go in batches %j', (count, batches) => {
    expect(slowStartBatches(count)).toEqual(batches);
  });

  it('stops after the first batch with a failure', async () => {
    let calls = 0;
    const result = await slowStartBatch(10, 1, async () => {
      calls++;
      if (calls >= 2) throw new Error('quota');
    });
    expect(calls).toBe(3);
    expect(result.successes).toBe(1);
    expect(String(result.error)).toMatch(/quota/);
  });
});

describe('Expectations', () => {
  it('holds a key until every expected creation was seen', () => {
    const e = new Expectations(new FakeClock(0), 1000);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('counts the deletion of one pod once, however many events it brings', () => {
    const e = new Expectations(new FakeClock(0), 1000);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/b');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('lets an expectation expire so a lost event cannot wedge the controller', async () => {
    const clock = new FakeClock(0);
    const e = new Expectations(clock, 1000);
    e.expectCreations('k', 1);
    await clock.advance(1001);
    expect(e.satisfied('k')).toBe(true);
  });

  it('knows nothing of a key it never saw', () => {
    expect(new Expectations(new FakeClock(0), 1000).satisfied('never')).toBe(true);
  });
});

describe('ReplicaSet order and picks', () => {
  it('finds the oldest ReplicaSet whose template matches the Deployment', () => {
    const d = deployment({ image: 'web:v2' });
    const rss = [rs({ name: 'b', created: 5, image: 'web:v2' }), rs({ name: 'a', created: 5, image: 'web:v2' }), rs({ name: 'old', created: 0, image: 'web:v1' })];
    expect(findNewReplicaSet(d, rss)?.metadata.name).toBe('a');
  });

  it.each([
    ['the only active one', [{ name: 'old', replicas: 3 }], { name: 'new', replicas: 0 }, 'old'],
    ['the new one when none is active', [{ name: 'old', replicas: 0 }], { name: 'new', replicas: 0 }, 'new'],
    ['none when several are active', [{ name: 'old', replicas: 1 }], { name: 'new', replicas: 2 }, undefined],
    ['the newest old one when there is no new one', [{ name: 'a', replicas: 0, created: 1 }, { name: 'b', replicas: 0, created: 2 }], undefined, 'b'],
  ])('findActiveOrLatest picks %s', (_name, olds, newShape, want) => {
    const picked = findActiveOrLatest(newShape && rs(newShape), olds.map((o) => rs(o)));
    expect(picked?.metadata.name).toBe(want);
  });

  it('sorts by revision, then age', () => {
    const rss = [rs({ name: 'r3', revision: 3 }), rs({ name: 'r1', revision: 1 }), rs({ name: 'r2', revision: 2 })];
    expect(rss.sort(byRevision).map((r) => r.metadata.name)).toEqual(['r1', 'r2', 'r3']);
  });

  it('keeps only ReplicaSets asked for pods', () => {
    expect(activeReplicaSets([rs({ name: 'a', replicas: 0 }), rs({ name: 'b', replicas: 2 }), undefined]).map((r) => r.metadata.name)).toEqual(['b']);
  });

  it.each([
    [3, '3', 3, true],
    [3, '3', 2, false],
    [3, '4', 3, false],
  ])('a ReplicaSet of %i annotated for %s with %i available saturates a 3-replica Deployment: %s', (size, desired, available, want) => {
    const r = rs({ replicas: size, available, annotations: { 'deployment.kubernetes.io/desired-replicas': desired } });
    expect(isSaturated(deployment({ replicas: 3 }), r)).toBe(want);
  });
});

describe('calculateReplicaSetStatus', () => {
  const owner = rs({ replicas: 3 });
  owner.spec!.minReadySeconds = 10;

  it('counts pods, fully labeled ones, ready ones and those ready for minReadySeconds', () => {
    const pods = [
      pod({ labels: { app: 'web' }, readySince: 0 }),
      pod({ labels: { app: 'web' }, readySince: 95 }),
      pod({ labels: { other: 'x' } }),
    ];
    expect(calculateReplicaSetStatus(owner, pods, T0 + 100_000)).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 1,
    });
  });

  it('reports a failed creation as a ReplicaFailure condition', () => {
    const status = calculateReplicaSetStatus(owner, [], T0, { error: new Error('quota'), diff: -3 });
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' })]);
  });

  it('writes replicas 0 and leaves other zeros out', () => {
    expect(calculateReplicaSetStatus(owner, [], T0)).toEqual({ replicas: 0, observedGeneration: 1 });
    expect(sameReplicaSetStatus({ replicas: 0, readyReplicas: 0, observedGeneration: 1 }, { replicas: 0, observedGeneration: 1 })).toBe(true);
  });
});

describe('namespace deletion conditions', () => {
  it('lists what remains and which finalizers hold it', () => {
    const report = emptyReport();
    const info = NAMESPACED_RESOURCES.find((r) => r.plural === 'deployments')!;
    countRemaining(report, info, [{ metadata: { finalizers: ['foregroundDeletion'] } }]);
    const conds = deletionConditions(report, [], T0);
    expect(conds.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: deployments.apps has 1 resource instances',
    });
    expect(conds.find((c) => c.type === 'NamespaceFinalizersRemaining')?.message).toBe(
      'Some content in the namespace has finalizers remaining: foregroundDeletion in 1 resource instances',
    );
  });

  it('says all clear when nothing is left, keeping unchanged conditions as they were', () => {
    const first = deletionConditions(emptyReport(), [], T0);
    expect(first.every((c) => c.status === 'False')).toBe(true);
    expect(deletionConditions(emptyReport(), first, T0 + 60_000)).toEqual(first);
  });

  it('covers each stored namespaced resource once', () => {
    const names = NAMESPACED_RESOURCES.map((r) => `${r.group}/${r.plural}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['/pods', 'apps/deployments', '/events', 'autoscaling/horizontalpodautoscalers']));
  });
});

describe('configuration', () => {
  it.each([
    ['*', ['replicaset', 'deployment', 'garbagecollector', 'job', 'namespace', 'endpoint', 'endpointslice', 'nodelifecycle', 'disruption']],
    ['*,-job', ['replicaset', 'deployment', 'garbagecollector', 'namespace', 'endpoint', 'endpointslice', 'nodelifecycle', 'disruption']],
    ['replicaset,garbage-collector-controller', ['replicaset', 'garbagecollector']],
    ['', []],
  ])('--controllers %j runs %j', (spec, want) => {
    expect(selectControllers(spec)).toEqual(want);
  });

  it('refuses an unknown controller', () => {
    expect(() => selectControllers('*,statefulset')).toThrow(/unknown controller "statefulset"/);
  });

  it('reads flags, then the environment, then defaults', () => {
    const config = parseConfig(['--profile', 'fast'], { KUBESIM_NATS_URL: 'nats://10.0.0.1:4222' });
    expect(config).toMatchObject({ natsUrl: 'nats://10.0.0.1:4222', profile: 'fast' });
    expect(config !== 'help' && config.settings.namespaceRecheckMs).toBeLessThan(1000);
  });

  it.each([['--profile', 'slow'], ['--bogus']])('refuses %s with the usage', (...argv) => {
    expect(() => parseConfig(argv, {})).toThrow(/--nats-url URL/);
  });
});
