import { describe, expect, it } from 'vitest';
import type { PodCondition } from '@kubesim/api';
import { bindingFor, unschedulableCondition } from '../src/binder.js';
import { pod } from './fixtures.js';

const NOW = new Date('2024-05-01T10:00:00.123Z');
const MSG = '0/3 nodes are available: 3 Insufficient cpu.';

describe('bindingFor', () => {
  it('is the Binding the apiserver expects', () => {
    expect(bindingFor('default', 'web-abc', 'node-2')).toEqual({
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web-abc', namespace: 'default' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-2' },
    });
  });
});

describe('unschedulableCondition', () => {
  const withCondition = (c?: PodCondition) => {
    const p = pod('p');
    p.status = { phase: 'Pending', conditions: c ? [c] : [] };
    return p;
  };
  const cases: { name: string; current?: PodCondition; want: PodCondition | undefined }[] = [
    {
      name: 'no condition yet: written with the time now',
      want: { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'Unschedulable', message: MSG },
    },
    {
      name: 'the same condition: nothing to write',
      current: { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: MSG, lastTransitionTime: '2024-05-01T09:00:00Z' },
      want: undefined,
    },
    {
      name: 'a new message keeps the transition time',
      current: { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'older', lastTransitionTime: '2024-05-01T09:00:00Z' },
      want: { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-05-01T09:00:00Z', reason: 'Unschedulable', message: MSG },
    },
  ];
  it.each(cases)('$name', ({ current, want }) => {
    expect(unschedulableCondition(withCondition(current), MSG, NOW)).toEqual(want);
  });
});
