import { describe, expect, it } from 'vitest';
import type { Toleration } from '@kubesim/api';
import { CycleState } from '../../src/framework.js';
import { SchedulerCache } from '../../src/cache.js';
import { NodeReady, readinessTaint } from '../../src/plugins/node-ready.js';
import { info, node, nodeInfo, pod } from '../fixtures.js';

describe('readinessTaint', () => {
  it.each([
    { ready: 'True' as const, want: undefined },
    { ready: 'False' as const, want: 'node.kubernetes.io/not-ready' },
    { ready: 'Unknown' as const, want: 'node.kubernetes.io/unreachable' },
    { ready: 'none' as const, want: 'node.kubernetes.io/not-ready' },
  ])('Ready=$ready → $want', ({ ready, want }) => {
    expect(readinessTaint(node('n', { ready }))?.key).toBe(want);
  });
});

describe('NodeReady plugin', () => {
  const state = new CycleState(new SchedulerCache());
  const cases: { name: string; ready: 'True' | 'False' | 'Unknown'; tolerations?: Toleration[]; want: string | undefined }[] = [
    { name: 'a Ready node passes', ready: 'True', want: undefined },
    { name: 'a NotReady node is rejected', ready: 'False', want: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }' },
    { name: 'an unreachable node is rejected', ready: 'Unknown', want: 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }' },
    {
      name: "the default 300 s NoExecute tolerations do not let a pod in",
      ready: 'Unknown',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      want: 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }',
    },
    { name: 'a pod tolerating everything may go there', ready: 'False', tolerations: [{ operator: 'Exists' }], want: undefined },
  ];
  it.each(cases)('$name', ({ ready, tolerations, want }) => {
    const status = NodeReady.filter(info(pod('p', { tolerations })), nodeInfo(node('n', { ready })), state);
    expect(status?.reasons[0]).toBe(want);
    if (status) expect(status.code).toBe('UnschedulableAndUnresolvable');
  });
});
