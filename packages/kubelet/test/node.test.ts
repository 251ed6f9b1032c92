import { describe, expect, it } from 'vitest';
import { desiredNode, microTime, nodeConditions } from '../src/node.js';

describe('the registered node', () => {
  const now = new Date('2025-03-04T05:06:07.891Z');
  const node = desiredNode({ nodeName: 'node-7', nodeIndex: 7, cpu: '8', memory: '16Gi', maxPods: 50, runtime: 'thread' }, now, 'boot-1');

  it('carries the node address, pod CIDR and resources', () => {
    expect(node.spec).toEqual({ podCIDR: '127.64.7.0/24', podCIDRs: ['127.64.7.0/24'] });
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '127.1.0.7' },
      { type: 'Hostname', address: 'node-7' },
    ]);
    expect(node.status?.capacity).toEqual({ cpu: '8', memory: '16Gi', pods: '50', 'ephemeral-storage': '100Gi' });
    expect(node.status?.allocatable).toEqual(node.status?.capacity);
    expect(node.status?.nodeInfo).toMatchObject({ containerRuntimeVersion: 'kubesim://thread', kubeletVersion: 'v1.31.9-kubesim', bootID: 'boot-1' });
    expect(node.status?.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
  });

  it('reports healthy conditions with a heartbeat, keeping transition times that did not change', () => {
    const fresh = nodeConditions(now, []);
    expect(fresh.map((c) => `${c.type}=${c.status}`)).toEqual(['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
    expect(fresh[3]).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2025-03-04T05:06:07Z' });
    const later = nodeConditions(new Date('2025-03-04T05:07:00Z'), [
      { type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' },
      { type: 'DiskPressure', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' },
    ]);
    expect(later.find((c) => c.type === 'Ready')).toMatchObject({ lastTransitionTime: '2025-01-01T00:00:00Z', lastHeartbeatTime: '2025-03-04T05:07:00Z' });
    expect(later.find((c) => c.type === 'DiskPressure')?.lastTransitionTime).toBe('2025-03-04T05:07:00Z');
  });

  it('writes Lease times with microseconds', () => {
    expect(microTime(now)).toBe('2025-03-04T05:06:07.891000Z');
  });
});
