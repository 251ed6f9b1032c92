import { describe, expect, it } from 'vitest';
import { CycleState } from '../../src/framework.js';
import { SchedulerCache } from '../../src/cache.js';
import {
  matchesNodeSelectorAndAffinity,
  NodeAffinity,
  nodeSelectorTermMatches,
  preferredAffinityScore,
  requirementMatches,
  type NodeSelectorRequirement,
  type NodeSelectorTerm,
} from '../../src/plugins/node-affinity.js';
import { info, node, nodeInfo, pod } from '../fixtures.js';

const labels = { zone: 'a', disk: 'ssd', cores: '16' };

describe('requirementMatches', () => {
  const cases: { req: NodeSelectorRequirement; want: boolean }[] = [
    { req: { key: 'zone', operator: 'In', values: ['a', 'b'] }, want: true },
    { req: { key: 'zone', operator: 'In', values: ['b'] }, want: false },
    { req: { key: 'missing', operator: 'In', values: ['a'] }, want: false },
    { req: { key: 'zone', operator: 'NotIn', values: ['b'] }, want: true },
    { req: { key: 'zone', operator: 'NotIn', values: ['a'] }, want: false },
    { req: { key: 'missing', operator: 'NotIn', values: ['a'] }, want: true },
    { req: { key: 'disk', operator: 'Exists' }, want: true },
    { req: { key: 'missing', operator: 'Exists' }, want: false },
    { req: { key: 'missing', operator: 'DoesNotExist' }, want: true },
    { req: { key: 'disk', operator: 'DoesNotExist' }, want: false },
    { req: { key: 'cores', operator: 'Gt', values: ['8'] }, want: true },
    { req: { key: 'cores', operator: 'Gt', values: ['16'] }, want: false },
    { req: { key: 'cores', operator: 'Lt', values: ['32'] }, want: true },
    { req: { key: 'cores', operator: 'Lt', values: ['4'] }, want: false },
    { req: { key: 'zone', operator: 'Gt', values: ['1'] }, want: false },
    { req: { key: 'cores', operator: 'Gt', values: ['1', '2'] }, want: false },
    { req: { key: 'missing', operator: 'Lt', values: ['1'] }, want: false },
    { req: { key: 'zone', operator: 'Near', values: ['a'] }, want: false },
  ];
  it.each(cases)('$req.key $req.operator $req.values → $want', ({ req, want }) => {
    expect(requirementMatches(req, labels)).toBe(want);
  });
});

describe('nodeSelectorTermMatches', () => {
  const n = node('node-2', { labels });
  const cases: { name: string; term: NodeSelectorTerm; want: boolean }[] = [
    { name: 'an empty term selects nothing', term: {}, want: false },
    { name: 'all expressions must hold', term: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'Exists' }] }, want: true },
    { name: 'one failing expression fails the term', term: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }] }, want: false },
    { name: 'matchFields on metadata.name', term: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }, want: true },
    { name: 'matchFields NotIn', term: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-2'] }] }, want: false },
    { name: 'matchFields on another field selects nothing', term: { matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }] }, want: false },
    {
      name: 'expressions and fields together',
      term: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] },
      want: true,
    },
  ];
  it.each(cases)('$name', ({ term, want }) => {
    expect(nodeSelectorTermMatches(term, n)).toBe(want);
  });
});

describe('matchesNodeSelectorAndAffinity', () => {
  const n = node('node-1', { labels });
  const required = (...terms: NodeSelectorTerm[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
  const cases: { name: string; nodeSelector?: Record<string, string>; affinity?: Record<string, unknown>; want: boolean }[] = [
    { name: 'no constraints', want: true },
    { name: 'nodeSelector matches', nodeSelector: { zone: 'a', disk: 'ssd' }, want: true },
    { name: 'nodeSelector value differs', nodeSelector: { zone: 'b' }, want: false },
    { name: 'nodeSelector label missing', nodeSelector: { gpu: 'true' }, want: false },
    { name: 'terms are ORed', affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'disk', operator: 'Exists' }] }), want: true },
    { name: 'no term matches', affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }), want: false },
    { name: 'nodeSelector and affinity must both hold', nodeSelector: { zone: 'b' }, affinity: required({ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }), want: false },
    { name: 'required affinity without terms selects nothing', affinity: required(), want: false },
  ];
  it.each(cases)('$name', ({ nodeSelector, affinity, want }) => {
    expect(matchesNodeSelectorAndAffinity(pod('p', { nodeSelector, affinity }), n)).toBe(want);
  });
});

describe('NodeAffinity plugin', () => {
  const state = new CycleState(new SchedulerCache());

  it('rejects with kube-scheduler’s reason, as unresolvable', () => {
    const status = NodeAffinity.filter(info(pod('p', { nodeSelector: { zone: 'b' } })), nodeInfo(node('n', { labels })), state);
    expect(status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] });
  });

  it('scores preferred terms by weight, normalized to 100 for the best node', () => {
    const affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 80, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          { weight: 20, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
        ],
      },
    };
    const p = pod('p', { affinity });
    const nodes = [node('both', { labels: { disk: 'ssd', zone: 'a' } }), node('ssd', { labels: { disk: 'ssd' } }), node('none')];
    expect(nodes.map((n) => preferredAffinityScore(p, n))).toEqual([100, 80, 0]);
    const scores = nodes.map((n) => NodeAffinity.score(info(p), nodeInfo(n), state));
    NodeAffinity.normalize!(scores);
    expect(scores).toEqual([100, 80, 0]);
  });
});
