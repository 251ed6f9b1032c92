import { describe, expect, it } from 'vitest';
import type { Pod } from '@kubesim/api';
import { CycleState } from '../../src/framework.js';
import { InterPodAffinity } from '../../src/plugins/inter-pod-affinity.js';
import { cacheWith, info, node, pod } from '../fixtures.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** A required pod (anti-)affinity term on `app` labels. */
const term = (app: string, topologyKey = HOST, extra: Record<string, unknown> = {}) => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
  ...extra,
});
const anti = (...terms: object[]) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const affinity = (...terms: object[]) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });

const nodes = [
  node('node-1', { labels: { [ZONE]: 'a' } }),
  node('node-2', { labels: { [ZONE]: 'a' } }),
  node('node-3', { labels: { [ZONE]: 'b' } }),
];

/** The nodes InterPodAffinity lets `incoming` onto, or the reason per rejected node. */
function verdicts(incoming: Pod, placed: Pod[]): Record<string, string> {
  const cache = cacheWith(nodes, placed);
  const state = new CycleState(cache);
  const p = info(incoming);
  InterPodAffinity.preFilter!(p, state);
  const out: Record<string, string> = {};
  for (const n of cache.nodeInfos()) out[n.name] = InterPodAffinity.filter(p, n, state)?.reasons[0] ?? 'ok';
  return out;
}

const ANTI = "node(s) didn't match pod anti-affinity rules";
const AFF = "node(s) didn't match pod affinity rules";
const EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules";

describe('InterPodAffinity filter', () => {
  const cases: { name: string; incoming: Pod; placed: Pod[]; want: Record<string, string> }[] = [
    {
      name: 'no terms anywhere: every node passes',
      incoming: pod('web-1', { labels: { app: 'web' } }),
      placed: [pod('web-0', { labels: { app: 'web' }, nodeName: 'node-1' })],
      want: { 'node-1': 'ok', 'node-2': 'ok', 'node-3': 'ok' },
    },
    {
      name: 'anti-affinity on hostname keeps the pod off nodes with a match',
      incoming: pod('web-1', { labels: { app: 'web' }, affinity: anti(term('web')) }),
      placed: [pod('web-0', { labels: { app: 'web' }, nodeName: 'node-1' }), pod('db-0', { labels: { app: 'db' }, nodeName: 'node-2' })],
      want: { 'node-1': ANTI, 'node-2': 'ok', 'node-3': 'ok' },
    },
    {
      name: 'anti-affinity on zone covers every node of the zone',
      incoming: pod('web-1', { labels: { app: 'web' }, affinity: anti(term('web', ZONE)) }),
      placed: [pod('web-0', { labels: { app: 'web' }, nodeName: 'node-1' })],
      want: { 'node-1': ANTI, 'node-2': ANTI, 'node-3': 'ok' },
    },
    {
      name: 'anti-affinity looks only in the pod’s namespace by default',
      incoming: pod('web-1', { labels: { app: 'web' }, affinity: anti(term('web')) }),
      placed: [pod('web-0', { namespace: 'other', labels: { app: 'web' }, nodeName: 'node-1' })],
      want: { 'node-1': 'ok', 'node-2': 'ok', 'node-3': 'ok' },
    },
    {
      name: 'an empty namespaceSelector looks in every namespace',
      incoming: pod('web-1', { labels: { app: 'web' }, affinity: anti(term('web', HOST, { namespaceSelector: {} })) }),
      placed: [pod('web-0', { namespace: 'other', labels: { app: 'web' }, nodeName: 'node-1' })],
      want: { 'node-1': ANTI, 'node-2': 'ok', 'node-3': 'ok' },
    },
    {
      name: 'a placed pod’s anti-affinity keeps matching pods away from it',
      incoming: pod('web-1', { labels: { app: 'web' } }),
      placed: [pod('lonely', { labels: { app: 'lonely' }, nodeName: 'node-2', affinity: anti(term('web')) })],
      want: { 'node-1': 'ok', 'node-2': EXISTING, 'node-3': 'ok' },
    },
    {
      name: 'affinity on hostname needs a matching pod on the node',
      incoming: pod('cache', { labels: { app: 'cache' }, affinity: affinity(term('web')) }),
      placed: [pod('web-0', { labels: { app: 'web' }, nodeName: 'node-3' })],
      want: { 'node-1': AFF, 'node-2': AFF, 'node-3': 'ok' },
    },
    {
      name: 'affinity on zone accepts any node of the zone',
      incoming: pod('cache', { labels: { app: 'cache' }, affinity: affinity(term('web', ZONE)) }),
      placed: [pod('web-0', { labels: { app: 'web' }, nodeName: 'node-2' })],
      want: { 'node-1': 'ok', 'node-2': 'ok', 'node-3': AFF },
    },
    {
      name: 'affinity with no match anywhere fails, unless the pod matches its own terms',
      incoming: pod('cache', { labels: { app: 'cache' }, affinity: affinity(term('web')) }),
      placed: [],
      want: { 'node-1': AFF, 'node-2': AFF, 'node-3': AFF },
    },
    {
      name: 'the first pod of a self-affine group may go anywhere',
      incoming: pod('web-0', { labels: { app: 'web' }, affinity: affinity(term('web', ZONE)) }),
      placed: [],
      want: { 'node-1': 'ok', 'node-2': 'ok', 'node-3': 'ok' },
    },
  ];
  it.each(cases)('$name', ({ incoming, placed, want }) => {
    expect(verdicts(incoming, placed)).toEqual(want);
  });

  it('reports anti-affinity as Unschedulable and affinity as UnschedulableAndUnresolvable', () => {
    const cache = cacheWith(nodes, [pod('web-0', { labels: { app: 'web' }, nodeName: 'node-1' })]);
    const state = new CycleState(cache);
    const a = info(pod('x', { labels: { app: 'web' }, affinity: anti(term('web')) }));
    InterPodAffinity.preFilter!(a, state);
    expect(InterPodAffinity.filter(a, cache.nodeInfo('node-1')!, state)?.code).toBe('Unschedulable');
    const b = info(pod('y', { labels: { app: 'y' }, affinity: affinity(term('nothing')) }));
    InterPodAffinity.preFilter!(b, state);
    expect(InterPodAffinity.filter(b, cache.nodeInfo('node-1')!, state)?.code).toBe('UnschedulableAndUnresolvable');
  });

  it('treats a node without the hostname label as its own hostname domain', () => {
    const bare = node('bare');
    delete bare.metadata.labels![HOST];
    const cache = cacheWith([bare], [pod('web-0', { labels: { app: 'web' }, nodeName: 'bare' })]);
    const state = new CycleState(cache);
    const p = info(pod('web-1', { labels: { app: 'web' }, affinity: anti(term('web')) }));
    InterPodAffinity.preFilter!(p, state);
    expect(InterPodAffinity.filter(p, cache.nodeInfo('bare')!, state)?.reasons).toEqual([ANTI]);
  });
});
