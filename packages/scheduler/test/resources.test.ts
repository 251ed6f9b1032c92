import { describe, expect, it } from 'vitest';
import type { PodSpec } from '@kubesim/api';
import { isSchedulableResource, nodeAllocatable, podRequests, toAmount } from '../src/resources.js';

const c = (name: string, requests?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  name,
  ...(requests ? { resources: { requests } } : {}),
  ...extra,
});

describe('toAmount', () => {
  it.each([
    ['cpu', '100m', 100],
    ['cpu', '1', 1000],
    ['cpu', '0.1', 100],
    ['cpu', '1.5', 1500],
    ['cpu', '0.0001', 1], // rounds up to a whole millicore, as MilliValue does
    ['memory', '1Gi', 1073741824],
    ['memory', '200M', 200_000_000],
    ['memory', '1.5', 2],
    ['pods', '110', 110],
    ['cpu', 'garbage', 0],
    ['cpu', undefined, 0],
  ])('%s %s is %d', (resource, q, want) => {
    expect(toAmount(resource, q)).toBe(want);
  });
});

describe('isSchedulableResource', () => {
  it.each([
    ['cpu', true],
    ['memory', true],
    ['ephemeral-storage', true],
    ['hugepages-2Mi', true],
    ['nvidia.com/gpu', true],
    ['example.com/foo', true],
    ['kubernetes.io/something', false],
    ['storage', false],
    ['pods', false],
  ])('%s → %s', (name, want) => {
    expect(isSchedulableResource(name)).toBe(want);
  });
});

describe('podRequests (kube-scheduler effective requests)', () => {
  const cases: { name: string; spec: PodSpec; nonZero?: boolean; want: Record<string, number> }[] = [
    { name: 'no requests', spec: { containers: [c('a')] }, want: {} },
    {
      name: 'containers add up',
      spec: { containers: [c('a', { cpu: '100m', memory: '1Mi' }), c('b', { cpu: '250m' })] },
      want: { cpu: 350, memory: 1048576 },
    },
    {
      name: 'the largest init container wins when larger than the containers',
      spec: { initContainers: [c('i1', { cpu: '2' }), c('i2', { cpu: '500m', memory: '1Gi' })], containers: [c('a', { cpu: '1' })] },
      want: { cpu: 2000, memory: 1073741824 },
    },
    {
      name: 'sidecars add to the containers and run next to later init containers',
      spec: {
        initContainers: [c('sidecar', { cpu: '200m' }, { restartPolicy: 'Always' }), c('init', { cpu: '1' })],
        containers: [c('a', { cpu: '300m' })],
      },
      want: { cpu: 1200 },
    },
    {
      name: 'overhead is added',
      spec: { containers: [c('a', { cpu: '100m' })], overhead: { cpu: '50m', memory: '10Mi' } },
      want: { cpu: 150, memory: 10485760 },
    },
    {
      name: 'a limit stands in for a missing request',
      spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] },
      want: { cpu: 500, memory: 1073741824 },
    },
    {
      name: 'extended resources count, unknown names do not',
      spec: { containers: [c('a', { 'nvidia.com/gpu': '1', storage: '1Gi' })] },
      want: { 'nvidia.com/gpu': 1 },
    },
    {
      name: 'non-zero: unset cpu and memory count as 100m and 200Mi per container',
      spec: { containers: [c('a'), c('b', { cpu: '1' })] },
      nonZero: true,
      want: { cpu: 1100, memory: 2 * 200 * 1024 * 1024 },
    },
  ];
  it.each(cases)('$name', ({ spec, nonZero, want }) => {
    expect(podRequests(spec, nonZero)).toEqual(want);
  });
});

describe('nodeAllocatable', () => {
  it('reads status.allocatable in scheduler units', () => {
    expect(nodeAllocatable({ metadata: { name: 'n' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } })).toEqual({
      cpu: 4000,
      memory: 8 * 1024 ** 3,
      pods: 110,
    });
  });

  it('falls back to capacity when a node reports no allocatable', () => {
    expect(nodeAllocatable({ metadata: { name: 'n' }, status: { capacity: { cpu: '2' } } })).toEqual({ cpu: 2000 });
  });
});
