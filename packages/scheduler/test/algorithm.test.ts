import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '@kubesim/api';
import { numFeasibleNodesToFind, SchedulingAlgorithm, selectHost } from '../src/algorithm.js';
import { SchedulerCache } from '../src/cache.js';
import { DEFAULT_PROFILE } from '../src/plugins/index.js';
import { newPodInfo } from '../src/pod-info.js';
import { seededRandom } from '../src/random.js';
import { cacheWith, node, pod } from './fixtures.js';

/** Schedules each pod in turn, assuming it where it goes; returns node name or message per pod. */
function scheduleAll(cache: SchedulerCache, pods: Pod[], seed = 1): string[] {
  const algorithm = new SchedulingAlgorithm(DEFAULT_PROFILE, { random: seededRandom(seed) });
  return pods.map((p) => {
    const info = newPodInfo(p);
    const result = algorithm.schedule(info, cache);
    if (result.kind === 'unschedulable') return result.message;
    cache.assume(info, result.nodeName);
    return result.nodeName;
  });
}

function counts(placements: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of placements) out[n] = (out[n] ?? 0) + 1;
  return out;
}

const three = (o: Parameters<typeof node>[1] = {}): Node[] => ['node-1', 'node-2', 'node-3'].map((n) => node(n, o));

describe('numFeasibleNodesToFind', () => {
  it.each([
    { nodes: 3, pct: 0, want: 3 },
    { nodes: 100, pct: 0, want: 100 },
    { nodes: 500, pct: 0, want: 230 }, // 50 - 500/125 = 46%
    { nodes: 5000, pct: 0, want: 500 }, // 10%
    { nodes: 20_000, pct: 0, want: 1000 }, // floor of 5%
    { nodes: 150, pct: 10, want: 100 }, // never fewer than 100
    { nodes: 1000, pct: 100, want: 1000 },
  ])('$nodes nodes at $pct% → $want', ({ nodes, pct, want }) => {
    expect(numFeasibleNodesToFind(nodes, pct)).toBe(want);
  });
});

describe('selectHost', () => {
  it('picks the highest total', () => {
    expect(selectHost([10, 30, 20], seededRandom(1))).toBe(1);
  });

  it('breaks ties at random, reproducibly for a seed, and never picks a lower score', () => {
    const picks = (seed: number) => Array.from({ length: 200 }, ((r) => () => selectHost([5, 9, 9, 1, 9], r))(seededRandom(seed)));
    const a = picks(42);
    expect(picks(42)).toEqual(a);
    expect(new Set(a)).toEqual(new Set([1, 2, 4]));
  });
});

describe('SchedulingAlgorithm with the default profile', () => {
  it('places a burst of 30 pods without overcommitting any node', () => {
    const cache = cacheWith(three({ cpu: '2' }));
    const pods = Array.from({ length: 30 }, (_, i) => pod(`p-${i}`, { cpu: '200m' }));
    const placements = scheduleAll(cache, pods);
    expect(counts(placements)).toEqual({ 'node-1': 10, 'node-2': 10, 'node-3': 10 });
    for (const n of cache.nodeInfos()) expect(n.requested.cpu).toBeLessThanOrEqual(n.allocatable.cpu);
  });

  it('reports kube-scheduler’s message once the nodes are full', () => {
    const cache = cacheWith(three({ cpu: '1' }));
    const placements = scheduleAll(cache, Array.from({ length: 4 }, (_, i) => pod(`p-${i}`, { cpu: '700m' })));
    expect(placements[3]).toBe(
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
  });

  it('aggregates different reasons across nodes', () => {
    const cache = cacheWith([
      node('node-1', { ready: 'Unknown' }),
      node('node-2', { memory: '1Gi' }),
      node('node-3', { memory: '1Gi' }),
    ]);
    expect(scheduleAll(cache, [pod('big', { memory: '2Gi' })])).toEqual([
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    ]);
  });

  it('says so when there are no nodes at all', () => {
    expect(scheduleAll(new SchedulerCache(), [pod('p')])).toEqual(['no nodes available to schedule pods']);
  });

  it('spreads the pods of one ReplicaSet evenly over equal nodes', () => {
    const cache = cacheWith(three());
    const pods = Array.from({ length: 9 }, (_, i) => pod(`web-${i}`, { ownerUid: 'rs-web' }));
    expect(counts(scheduleAll(cache, pods))).toEqual({ 'node-1': 3, 'node-2': 3, 'node-3': 3 });
  });

  it('prefers the emptier node', () => {
    const cache = cacheWith(three(), [pod('busy', { cpu: '3', nodeName: 'node-2' }), pod('half', { cpu: '2', nodeName: 'node-3' })]);
    expect(scheduleAll(cache, [pod('p', { cpu: '500m' })])).toEqual(['node-1']);
  });

  it('follows nodeSelector, taints and cordoning', () => {
    const cache = cacheWith([
      node('node-1', { unschedulable: true, labels: { disk: 'ssd' } }),
      node('node-2', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], labels: { disk: 'ssd' } }),
      node('node-3', { labels: { disk: 'hdd' } }),
    ]);
    const gpuToleration = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];
    expect(
      scheduleAll(cache, [
        pod('any'),
        pod('ssd', { nodeSelector: { disk: 'ssd' } }),
        pod('ssd-gpu', { nodeSelector: { disk: 'ssd' }, tolerations: gpuToleration }),
      ]),
    ).toEqual([
      'node-3',
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. " +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      'node-2',
    ]);
  });

  it('keeps anti-affine pods on separate nodes and leaves the fourth pending', () => {
    const cache = cacheWith(three());
    const affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] },
    };
    const placements = scheduleAll(cache, Array.from({ length: 4 }, (_, i) => pod(`db-${i}`, { labels: { app: 'db' }, affinity })));
    expect(new Set(placements.slice(0, 3))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
    expect(placements[3]).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
  });

  it('gives the same placements for the same seed', () => {
    const run = (seed: number) => scheduleAll(cacheWith(three()), Array.from({ length: 12 }, (_, i) => pod(`p-${i}`)), seed);
    expect(run(7)).toEqual(run(7));
  });

  it('decides each pod among 1000 nodes in a few milliseconds at most', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`node-${i + 1}`, { cpu: '8', memory: '32Gi' }));
    const cache = cacheWith(nodes);
    const pods = Array.from({ length: 200 }, (_, i) => pod(`p-${i}`, { cpu: '100m', memory: '128Mi', ownerUid: 'rs' }));
    const start = performance.now();
    const placements = scheduleAll(cache, pods);
    const perPodMs = (performance.now() - start) / pods.length;
    expect(placements.every((p) => p.startsWith('node-'))).toBe(true);
    expect(perPodMs).toBeLessThan(20);
  });
});
