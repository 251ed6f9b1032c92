import { describe, expect, it } from 'vitest';
import { CycleState } from '../../src/framework.js';
import { SchedulerCache } from '../../src/cache.js';
import { balancedAllocationScore, NodeResourcesBalancedAllocation } from '../../src/plugins/balanced-allocation.js';
import { info, node, nodeInfo, pod } from '../fixtures.js';

describe('balancedAllocationScore', () => {
  it.each([
    { name: 'equal shares', requested: [2000, 2048], allocatable: [4000, 4096], want: 100 },
    { name: 'half and nothing', requested: [2000, 0], allocatable: [4000, 4096], want: 75 },
    { name: 'full and nothing', requested: [4000, 0], allocatable: [4000, 4096], want: 50 },
    { name: 'fractions are capped at 1', requested: [8000, 0], allocatable: [4000, 4096], want: 50 },
    { name: 'a resource the node lacks is left out', requested: [1000, 10], allocatable: [4000, 0], want: 100 },
    { name: 'three resources use the standard deviation', requested: [0, 50, 100], allocatable: [100, 100, 100], want: 59 },
  ])('$name', ({ requested, allocatable, want }) => {
    expect(balancedAllocationScore(requested, allocatable)).toBe(want);
  });
});

describe('NodeResourcesBalancedAllocation plugin', () => {
  const state = new CycleState(new SchedulerCache());

  it('prefers the node where the pod evens out cpu and memory use', () => {
    const memoryHeavy = nodeInfo(node('m', { cpu: '4', memory: '4Gi' }), [pod('a', { memory: '2Gi' })]);
    const cpuHeavy = nodeInfo(node('c', { cpu: '4', memory: '4Gi' }), [pod('b', { cpu: '2' })]);
    const wantsCpu = info(pod('p', { cpu: '2' }));
    expect(NodeResourcesBalancedAllocation.score(wantsCpu, memoryHeavy, state)).toBe(100);
    expect(NodeResourcesBalancedAllocation.score(wantsCpu, cpuHeavy, state)).toBe(50);
  });

  it('does not score a pod that requests nothing', () => {
    expect(NodeResourcesBalancedAllocation.score(info(pod('p')), nodeInfo(node('n')), state)).toBe(0);
  });
});
