import { describe, expect, it } from 'vitest';
import { CycleState } from '../../src/framework.js';
import { SchedulerCache } from '../../src/cache.js';
import { insufficientResources, leastAllocatedScore, leastRequestedScore, NodeResourcesFit } from '../../src/plugins/node-resources-fit.js';
import { info, node, nodeInfo, pod } from '../fixtures.js';

describe('insufficientResources', () => {
  const allocatable = { cpu: 2000, memory: 4096, pods: 3 };
  const cases: { name: string; requests: Record<string, number>; requested: Record<string, number>; podCount: number; want: string[] }[] = [
    { name: 'fits', requests: { cpu: 500, memory: 1024 }, requested: { cpu: 1000 }, podCount: 1, want: [] },
    { name: 'exactly fills the node', requests: { cpu: 1000 }, requested: { cpu: 1000 }, podCount: 1, want: [] },
    { name: 'cpu short', requests: { cpu: 1500 }, requested: { cpu: 1000 }, podCount: 1, want: ['Insufficient cpu'] },
    { name: 'memory short', requests: { memory: 5000 }, requested: {}, podCount: 0, want: ['Insufficient memory'] },
    { name: 'both short, cpu first', requests: { cpu: 3000, memory: 5000 }, requested: {}, podCount: 0, want: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'no pod slot left', requests: { cpu: 100 }, requested: {}, podCount: 3, want: ['Too many pods'] },
    { name: 'no slot and no cpu', requests: { cpu: 3000 }, requested: {}, podCount: 3, want: ['Too many pods', 'Insufficient cpu'] },
    { name: 'a pod requesting nothing needs only a slot', requests: {}, requested: { cpu: 5000 }, podCount: 0, want: [] },
    { name: 'an extended resource the node lacks', requests: { 'nvidia.com/gpu': 1 }, requested: {}, podCount: 0, want: ['Insufficient nvidia.com/gpu'] },
    { name: 'already overcommitted node, pod wants more', requests: { cpu: 1 }, requested: { cpu: 2500 }, podCount: 0, want: ['Insufficient cpu'] },
  ];
  it.each(cases)('$name', ({ requests, requested, podCount, want }) => {
    expect(insufficientResources(requests, { allocatable, requested, podCount })).toEqual(want);
  });
});

describe('leastRequestedScore and leastAllocatedScore', () => {
  it.each([
    { requested: 0, capacity: 4000, want: 100 },
    { requested: 1000, capacity: 4000, want: 75 },
    { requested: 3333, capacity: 10000, want: 66 },
    { requested: 4000, capacity: 4000, want: 0 },
    { requested: 5000, capacity: 4000, want: 0 },
    { requested: 10, capacity: 0, want: 0 },
  ])('$requested of $capacity → $want', ({ requested, capacity, want }) => {
    expect(leastRequestedScore(requested, capacity)).toBe(want);
  });

  it.each([
    { requested: { cpu: 1000, memory: 2000 }, allocatable: { cpu: 4000, memory: 4000 }, want: 62 }, // (75 + 50) / 2
    { requested: { cpu: 1000, memory: 0 }, allocatable: { cpu: 4000, memory: 0 }, want: 75 }, // memory left out
    { requested: { cpu: 0, memory: 0 }, allocatable: { cpu: 0, memory: 0 }, want: 0 },
  ])('$requested on $allocatable → $want', ({ requested, allocatable, want }) => {
    expect(leastAllocatedScore(requested, allocatable)).toBe(want);
  });
});

describe('NodeResourcesFit plugin', () => {
  const state = new CycleState(new SchedulerCache());

  it('counts the pods already on the node, as Unschedulable (preemption could help)', () => {
    const n = nodeInfo(node('n', { cpu: '1' }), [pod('a', { cpu: '600m' })]);
    expect(NodeResourcesFit.filter(info(pod('b', { cpu: '500m' })), n, state)).toEqual({ code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    expect(NodeResourcesFit.filter(info(pod('c', { cpu: '400m' })), n, state)).toBeUndefined();
  });

  it('scores the emptier node higher, counting unset requests as the defaults', () => {
    const empty = nodeInfo(node('empty', { cpu: '4', memory: '4Gi' }));
    const busy = nodeInfo(node('busy', { cpu: '4', memory: '4Gi' }), [pod('a', { cpu: '2', memory: '2Gi' })]);
    const p = info(pod('p'));
    expect(NodeResourcesFit.score(p, empty, state)).toBeGreaterThan(NodeResourcesFit.score(p, busy, state));
    // 100m of 4 cpu and 200Mi of 4Gi used: (97 + 95) / 2
    expect(NodeResourcesFit.score(p, empty, state)).toBe(96);
  });
});
