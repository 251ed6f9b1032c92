import { describe, expect, it } from 'vitest';
import type { Pod } from '@kubesim/api';
import { SchedulerCache } from '../src/cache.js';
import { info, node, pod } from './fixtures.js';

const bound = (p: Pod, nodeName: string): Pod => ({ ...p, spec: { ...p.spec!, nodeName } });
const requestedCpu = (cache: SchedulerCache, n: string) => cache.nodeInfo(n)!.requested.cpu ?? 0;

describe('SchedulerCache', () => {
  it('accounts the requests of bound pods on their node', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('node-1'));
    expect(cache.updatePod('default/a', bound(pod('a', { cpu: '500m' }), 'node-1'))).toBe('added');
    expect(cache.updatePod('default/b', pod('b', { cpu: '1' }))).toBe('none');
    expect(requestedCpu(cache, 'node-1')).toBe(500);
    expect(cache.nodeInfo('node-1')!.pods.size).toBe(1);
  });

  it('releases a pod that finishes or is deleted', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('node-1'));
    const a = bound(pod('a', { cpu: '500m' }), 'node-1');
    cache.updatePod('default/a', a);
    expect(cache.updatePod('default/a', { ...a, status: { phase: 'Succeeded' } })).toBe('released');
    expect(requestedCpu(cache, 'node-1')).toBe(0);
    cache.updatePod('default/b', bound(pod('b', { cpu: '1' }), 'node-1'));
    expect(cache.updatePod('default/b', undefined)).toBe('released');
    expect(requestedCpu(cache, 'node-1')).toBe(0);
  });

  it('keeps an assumed pod while the informer still shows it unbound, and confirms it once bound', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('node-1'));
    const p = pod('a', { cpu: '1' });
    cache.assume(info(p), 'node-1');
    expect(cache.isAssumed('default/a')).toBe(true);
    expect(requestedCpu(cache, 'node-1')).toBe(1000);
    expect(cache.updatePod('default/a', { ...p, status: { phase: 'Pending', conditions: [] } })).toBe('none');
    expect(requestedCpu(cache, 'node-1')).toBe(1000);
    expect(cache.updatePod('default/a', bound(p, 'node-1'))).toBe('updated');
    expect(cache.isAssumed('default/a')).toBe(false);
    expect(requestedCpu(cache, 'node-1')).toBe(1000);
    cache.forget('default/a'); // too late to forget a confirmed pod
    expect(requestedCpu(cache, 'node-1')).toBe(1000);
  });

  it('forgets an assumption whose binding failed', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('node-1'));
    cache.assume(info(pod('a', { cpu: '1' })), 'node-1');
    cache.forget('default/a');
    expect(cache.isAssumed('default/a')).toBe(false);
    expect(requestedCpu(cache, 'node-1')).toBe(0);
  });

  it('moves an assumed pod to the node the informer reports (bound elsewhere)', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('node-1'));
    cache.setNode(node('node-2'));
    const p = pod('a', { cpu: '1' });
    cache.assume(info(p), 'node-1');
    cache.updatePod('default/a', bound(p, 'node-2'));
    expect(requestedCpu(cache, 'node-1')).toBe(0);
    expect(requestedCpu(cache, 'node-2')).toBe(1000);
    expect(cache.nodeOf('default/a')).toBe('node-2');
  });

  it('drops an assumed pod that is deleted', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('node-1'));
    cache.assume(info(pod('a', { cpu: '1' })), 'node-1');
    expect(cache.updatePod('default/a', undefined)).toBe('released');
    expect(requestedCpu(cache, 'node-1')).toBe(0);
  });

  it('holds pods of a node it has not seen yet and lists the node only once it arrives', () => {
    const cache = new SchedulerCache();
    cache.updatePod('default/a', bound(pod('a', { cpu: '1' }), 'node-9'));
    expect(cache.nodeInfos()).toEqual([]);
    expect(cache.nodeInfo('node-9')).toBeUndefined();
    cache.setNode(node('node-9'));
    expect(cache.nodeInfos().map((n) => n.name)).toEqual(['node-9']);
    expect(requestedCpu(cache, 'node-9')).toBe(1000);
    cache.removeNode('node-9');
    expect(cache.nodeInfos()).toEqual([]);
  });

  it('tracks pods with required anti-affinity', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('node-1'));
    const affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'a' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    cache.updatePod('default/a', bound(pod('a', { affinity }), 'node-1'));
    cache.updatePod('default/b', bound(pod('b'), 'node-1'));
    expect([...cache.podsWithRequiredAntiAffinity()].map((s) => s.pod.key)).toEqual(['default/a']);
    cache.updatePod('default/a', undefined);
    expect([...cache.podsWithRequiredAntiAffinity()]).toEqual([]);
  });
});
