import { describe, expect, it } from 'vitest';
import { toleratesTaint, type Taint, type Toleration } from '@kubesim/api';
import {
  countIntolerablePreferNoSchedule,
  findUntoleratedTaint,
  TaintToleration,
} from '../../src/plugins/taint-toleration.js';
import { info, node, nodeInfo, pod } from '../fixtures.js';
import { CycleState } from '../../src/framework.js';
import { SchedulerCache } from '../../src/cache.js';

const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  const cases: { name: string; toleration: Toleration; taint: Taint; want: boolean }[] = [
    { name: 'Equal with the same key, value and effect', toleration: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint: gpu, want: true },
    { name: 'no operator means Equal', toleration: { key: 'dedicated', value: 'gpu' }, taint: gpu, want: true },
    { name: 'Equal with another value', toleration: { key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint: gpu, want: false },
    { name: 'Exists ignores the value', toleration: { key: 'dedicated', operator: 'Exists' }, taint: gpu, want: true },
    { name: 'another key', toleration: { key: 'other', operator: 'Exists' }, taint: gpu, want: false },
    { name: 'another effect', toleration: { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint: gpu, want: false },
    { name: 'empty key with Exists tolerates everything', toleration: { operator: 'Exists' }, taint: gpu, want: true },
    {
      name: 'Equal with an empty value matches a taint without value',
      toleration: { key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: '' },
      taint: { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      want: true,
    },
    { name: 'an unknown operator tolerates nothing', toleration: { key: 'dedicated', operator: 'Lt', value: 'gpu' }, taint: gpu, want: false },
  ];
  it.each(cases)('$name', ({ toleration, taint, want }) => {
    expect(toleratesTaint(toleration, taint)).toBe(want);
  });
});

describe('findUntoleratedTaint', () => {
  const cases: { name: string; taints: Taint[]; tolerations: Toleration[]; want: string | undefined }[] = [
    { name: 'no taints', taints: [], tolerations: [], want: undefined },
    { name: 'NoSchedule untolerated', taints: [gpu], tolerations: [], want: 'dedicated' },
    { name: 'NoExecute untolerated', taints: [{ key: 'k', effect: 'NoExecute' }], tolerations: [], want: 'k' },
    { name: 'PreferNoSchedule never blocks', taints: [{ key: 'k', effect: 'PreferNoSchedule' }], tolerations: [], want: undefined },
    { name: 'tolerated', taints: [gpu], tolerations: [{ key: 'dedicated', operator: 'Exists' }], want: undefined },
    {
      name: 'the first untolerated one is reported',
      taints: [gpu, { key: 'second', effect: 'NoSchedule' }],
      tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      want: 'second',
    },
  ];
  it.each(cases)('$name', ({ taints, tolerations, want }) => {
    expect(findUntoleratedTaint(taints, tolerations)?.key).toBe(want);
  });
});

describe('countIntolerablePreferNoSchedule', () => {
  const prefer: Taint = { key: 'spot', effect: 'PreferNoSchedule' };
  it.each([
    { name: 'untolerated', taints: [prefer], tolerations: [] as Toleration[], want: 1 },
    { name: 'tolerated by an effect-less toleration', taints: [prefer], tolerations: [{ key: 'spot', operator: 'Exists' }], want: 0 },
    { name: 'a NoSchedule toleration does not count', taints: [prefer], tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }], want: 1 },
    { name: 'other effects are not counted', taints: [gpu], tolerations: [] as Toleration[], want: 0 },
  ])('$name', ({ taints, tolerations, want }) => {
    expect(countIntolerablePreferNoSchedule(taints, tolerations)).toBe(want);
  });
});

describe('TaintToleration plugin', () => {
  const state = new CycleState(new SchedulerCache());

  it('rejects a tainted node with the taint in the reason, as unresolvable', () => {
    const status = TaintToleration.filter(info(pod('p')), nodeInfo(node('n', { taints: [gpu] })), state);
    expect(status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] });
  });

  it('scores nodes with fewer intolerable PreferNoSchedule taints higher', () => {
    const nodes = [node('a'), node('b', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] })];
    const scores = nodes.map((n) => TaintToleration.score(info(pod('p')), nodeInfo(n), state));
    TaintToleration.normalize!(scores);
    expect(scores).toEqual([100, 0]);
  });
});
