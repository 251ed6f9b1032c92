import { describe, expect, it } from 'vitest';
import { fitErrorMessage } from '../src/fit-error.js';
import { unresolvable, unschedulable, type Diagnosis, type FilterStatus } from '../src/framework.js';
import { preemptionMessage } from '../src/plugins/default-preemption.js';
import { info, pod } from './fixtures.js';

const statuses = (...list: FilterStatus[]) => new Map(list.map((s, i) => [`node-${i + 1}`, s]));
const taint = (key: string, value = '') => unresolvable(`node(s) had untolerated taint {${key}: ${value}}`);

describe('fitErrorMessage (kube-scheduler FitError.Error)', () => {
  const cases: { name: string; diagnosis: Diagnosis; want: string }[] = [
    {
      name: 'one reason on every node',
      diagnosis: { numAllNodes: 3, nodeStatuses: statuses(unschedulable('Insufficient cpu'), unschedulable('Insufficient cpu'), unschedulable('Insufficient cpu')) },
      want: '0/3 nodes are available: 3 Insufficient cpu.',
    },
    {
      name: 'reasons counted and sorted as strings',
      diagnosis: {
        numAllNodes: 3,
        nodeStatuses: statuses(unschedulable('Insufficient memory'), taint('node.kubernetes.io/unreachable'), unschedulable('Insufficient memory')),
        postFilterMsg: 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      },
      want:
        '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory. ' +
        'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'a node with several reasons counts for each',
      diagnosis: { numAllNodes: 2, nodeStatuses: statuses(unschedulable('Insufficient cpu', 'Insufficient memory'), unschedulable('Insufficient cpu')) },
      want: '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    },
    {
      name: 'counts sort as strings, so 10 comes before 2',
      diagnosis: {
        numAllNodes: 12,
        nodeStatuses: statuses(
          ...Array.from({ length: 10 }, () => unschedulable('Too many pods')),
          unresolvable("node(s) didn't match Pod's node affinity/selector"),
          unresolvable("node(s) didn't match Pod's node affinity/selector"),
        ),
      },
      want: "0/12 nodes are available: 10 Too many pods, 2 node(s) didn't match Pod's node affinity/selector.",
    },
    {
      name: 'a taint with a value',
      diagnosis: { numAllNodes: 1, nodeStatuses: statuses(taint('dedicated', 'gpu')) },
      want: '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.',
    },
    {
      name: 'a PreFilter message replaces the per-node reasons',
      diagnosis: { numAllNodes: 2, nodeStatuses: statuses(unschedulable('Insufficient cpu')), preFilterMsg: 'persistentvolumeclaim "data" not found' },
      want: '0/2 nodes are available: persistentvolumeclaim "data" not found.',
    },
  ];
  it.each(cases)('$name', ({ diagnosis, want }) => {
    expect(fitErrorMessage(diagnosis)).toBe(want);
  });
});

describe('preemptionMessage (DefaultPreemption without victims)', () => {
  const cases: { name: string; policy?: string; nodeStatuses: Map<string, FilterStatus>; want: string }[] = [
    {
      name: 'resources short everywhere: no victims found',
      nodeStatuses: statuses(unschedulable('Insufficient cpu'), unschedulable('Insufficient cpu'), unschedulable('Insufficient cpu')),
      want: 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'unresolvable nodes: preemption is not helpful',
      nodeStatuses: statuses(taint('node.kubernetes.io/unreachable'), unschedulable('Insufficient memory'), unschedulable('Insufficient memory')),
      want: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'a pod that may not preempt',
      policy: 'Never',
      nodeStatuses: statuses(unschedulable('Insufficient cpu')),
      want: 'preemption: not eligible due to preemptionPolicy=Never.',
    },
  ];
  it.each(cases)('$name', ({ policy, nodeStatuses, want }) => {
    const p = pod('web');
    if (policy) p.spec!.preemptionPolicy = policy;
    expect(preemptionMessage(info(p), { numAllNodes: nodeStatuses.size, nodeStatuses })).toBe(want);
  });
});
