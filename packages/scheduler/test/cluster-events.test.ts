import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '@kubesim/api';
import { creationMs, needsScheduling, nodeSchedulingChanged, schedulingInputsChanged } from '../src/cluster-events.js';
import { node, pod } from './fixtures.js';

describe('needsScheduling', () => {
  const cases: { name: string; pod: Pod; want: boolean }[] = [
    { name: 'a pending pod for the default scheduler', pod: pod('p'), want: true },
    { name: 'no schedulerName means the default one', pod: pod('p', { schedulerName: '' }), want: true },
    { name: 'another scheduler’s pod', pod: pod('p', { schedulerName: 'custom' }), want: false },
    { name: 'already bound', pod: pod('p', { nodeName: 'node-1' }), want: false },
    { name: 'being deleted', pod: { ...pod('p'), metadata: { ...pod('p').metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } }, want: false },
    { name: 'finished', pod: { ...pod('p'), status: { phase: 'Failed' } }, want: false },
    { name: 'gated', pod: { ...pod('p'), spec: { ...pod('p').spec!, schedulingGates: [{ name: 'wait' }] } }, want: false },
  ];
  it.each(cases)('$name → $want', ({ pod: p, want }) => {
    expect(needsScheduling(p, 'default-scheduler')).toBe(want);
  });
});

describe('schedulingInputsChanged', () => {
  const base = pod('p', { cpu: '1' });
  const cases: { name: string; cur: Pod; want: boolean }[] = [
    { name: 'only the status changed', cur: { ...base, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } }, want: false },
    { name: 'only the resourceVersion changed', cur: { ...base, metadata: { ...base.metadata, resourceVersion: '9' } }, want: false },
    { name: 'labels changed', cur: { ...base, metadata: { ...base.metadata, labels: { app: 'other' } } }, want: true },
    { name: 'spec changed', cur: { ...base, spec: { ...base.spec!, tolerations: [{ operator: 'Exists' }] } }, want: true },
  ];
  it.each(cases)('$name → $want', ({ cur, want }) => {
    expect(schedulingInputsChanged(base, cur)).toBe(want);
  });
});

describe('nodeSchedulingChanged', () => {
  const base = node('n');
  const withStatus = (status: Node['status']): Node => ({ ...base, status: { ...base.status, ...status } });
  const cases: { name: string; cur: Node; want: boolean }[] = [
    { name: 'a heartbeat', cur: withStatus({ conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:00:10Z' }] }), want: false },
    { name: 'readiness changed', cur: withStatus({ conditions: [{ type: 'Ready', status: 'False' }] }), want: true },
    { name: 'allocatable changed', cur: withStatus({ allocatable: { cpu: '8', memory: '8Gi', pods: '110' } }), want: true },
    { name: 'cordoned', cur: { ...base, spec: { unschedulable: true } }, want: true },
    { name: 'tainted', cur: { ...base, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, want: true },
    { name: 'relabelled', cur: { ...base, metadata: { ...base.metadata, labels: { disk: 'ssd' } } }, want: true },
  ];
  it.each(cases)('$name → $want', ({ cur, want }) => {
    expect(nodeSchedulingChanged(base, cur)).toBe(want);
  });
});

describe('creationMs', () => {
  it.each([
    { ts: '2024-01-01T00:00:01Z', want: Date.UTC(2024, 0, 1, 0, 0, 1) },
    { ts: undefined, want: 0 },
    { ts: 'nonsense', want: 0 },
  ])('$ts → $want', ({ ts, want }) => {
    const p = pod('p');
    p.metadata.creationTimestamp = ts;
    expect(creationMs(p)).toBe(want);
  });
});
