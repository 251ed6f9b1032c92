import { describe, expect, it } from 'vitest';
import type { Toleration } from '@kubesim/api';
import { CycleState } from '../../src/framework.js';
import { SchedulerCache } from '../../src/cache.js';
import { NodeUnschedulable, passesNodeUnschedulable } from '../../src/plugins/node-unschedulable.js';
import { info, node, nodeInfo, pod } from '../fixtures.js';

describe('passesNodeUnschedulable', () => {
  const cases: { name: string; unschedulable: boolean; tolerations: Toleration[]; want: boolean }[] = [
    { name: 'a schedulable node', unschedulable: false, tolerations: [], want: true },
    { name: 'a cordoned node', unschedulable: true, tolerations: [], want: false },
    {
      name: 'a cordoned node, the pod tolerates the unschedulable taint',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      want: true,
    },
    { name: 'a cordoned node, the pod tolerates everything', unschedulable: true, tolerations: [{ operator: 'Exists' }], want: true },
    {
      name: 'a cordoned node, a NoExecute toleration does not help',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }],
      want: false,
    },
  ];
  it.each(cases)('$name', ({ unschedulable, tolerations, want }) => {
    expect(passesNodeUnschedulable(node('n', { unschedulable }), tolerations)).toBe(want);
  });
});

describe('NodeUnschedulable plugin', () => {
  it('says the node was unschedulable, as unresolvable', () => {
    const status = NodeUnschedulable.filter(info(pod('p')), nodeInfo(node('n', { unschedulable: true })), new CycleState(new SchedulerCache()));
    expect(status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
  });
});
