import { describe, expect, it } from 'vitest';
import type { Node, Pod, Taint, Toleration } from '@kubesim/api';
import { desiredTaints, evictionTime, isSilent, observe, unknownConditions } from '../src/node-health.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function node(ready: string | undefined, taints: Taint[] = []): Node {
  const conditions = ready ? [{ type: 'Ready', status: ready, lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0), reason: 'KubeletReady' }] : [];
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints }, status: { conditions } };
}

function pod(tolerations: Toleration[]): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], tolerations } };
}

describe('observing heartbeats', () => {
  it('moves the probe timestamp only when the heartbeat changes', () => {
    const a = observe(undefined, 'h1', T0);
    expect(observe(a, 'h1', T0 + 5000)).toBe(a);
    expect(observe(a, 'h2', T0 + 5000)).toEqual({ heartbeat: 'h2', probeTimestamp: T0 + 5000 });
  });

  it.each([
    ['a node that posted, within grace', 'True', 3999, false],
    ['a node that posted, past grace', 'True', 4001, true],
    ['a node that never posted Ready, past grace but within startup grace', undefined, 6000, false],
    ['a node that never posted Ready, past startup grace', undefined, 8001, true],
  ])('%s', (_what, ready, after, silent) => {
    expect(isSilent({ heartbeat: 'h', probeTimestamp: T0 }, node(ready), T0 + after, 4000, 8000)).toBe(silent);
  });
});

describe('the conditions of a silent node', () => {
  it('turns every kubelet condition Unknown with the upstream reason, keeping heartbeats', () => {
    const n = node('True');
    const next = unknownConditions(n, iso(T0 + 9000))!;
    const ready = next.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0 + 9000) });
    expect(next.map((c) => c.type).sort()).toEqual(['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
  });

  it('changes nothing when they already are Unknown', () => {
    const n = node('True');
    n.status!.conditions = unknownConditions(n, iso(T0));
    expect(unknownConditions(n, iso(T0 + 1000))).toBeUndefined();
  });
});

describe('taints for the Ready condition', () => {
  const now = iso(T0 + 1000);
  it.each([
    ['Unknown', [['node.kubernetes.io/unreachable', 'NoSchedule'], ['node.kubernetes.io/unreachable', 'NoExecute']]],
    ['False', [['node.kubernetes.io/not-ready', 'NoSchedule'], ['node.kubernetes.io/not-ready', 'NoExecute']]],
  ])('Ready=%s taints the node', (ready, want) => {
    expect(desiredTaints(node(ready), now)!.map((t) => [t.key, t.effect])).toEqual(want);
  });

  it('keeps other taints and the NoExecute timeAdded, and removes ours once Ready again', () => {
    const own: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const tainted = desiredTaints(node('Unknown', [own]), now)!;
    expect(tainted.find((t) => t.effect === 'NoExecute')!.timeAdded).toBe(now);
    expect(desiredTaints(node('Unknown', tainted), iso(T0 + 60_000))).toBeUndefined();
    expect(desiredTaints(node('True', tainted), now)).toEqual([own]);
    expect(desiredTaints(node('True', [own]), now)).toBeUndefined();
  });

  it('leaves NoExecute off when every node is down, and takes it off if it was there', () => {
    expect(desiredTaints(node('Unknown'), now, false)!.map((t) => t.effect)).toEqual(['NoSchedule']);
    const tainted = desiredTaints(node('Unknown'), now)!;
    expect(desiredTaints(node('Unknown', tainted), now, false)!.map((t) => t.effect)).toEqual(['NoSchedule']);
  });
});

describe('when a pod on a NoExecute-tainted node is evicted', () => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(T0) };
  const now = T0 + 1000;
  it.each<[string, Toleration[], Taint[], number | undefined]>([
    ['no toleration: at once', [], [unreachable], now],
    ['the default 300 s toleration: 300 s after the taint', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], [unreachable], T0 + 300_000],
    ['tolerated forever: never', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], [unreachable], undefined],
    ['tolerate-everything (operator Exists, no key): never', [{ operator: 'Exists' }], [unreachable], undefined],
    ['several tolerations: the smallest seconds', [{ operator: 'Exists', tolerationSeconds: 60 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 5 }], [unreachable], T0 + 5000],
    ['a NoSchedule taint only: never', [], [{ key: 'x', effect: 'NoSchedule' }], undefined],
  ])('%s', (_what, tolerations, taints, want) => {
    expect(evictionTime(pod(tolerations), taints, now)).toBe(want);
  });
});
