import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource, type Lease, type Node } from '@kubesim/api';
import { TestControlPlane, type TestProcess } from '@kubesim/testing';
import { startKubelet, tempRoot, waitFor } from './helpers.js';

const NODES = findResource('', 'v1', 'nodes')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;

let cp: TestControlPlane;
let kubelet: TestProcess;
const root = tempRoot();

beforeAll(async () => {
  cp = await new TestControlPlane(['--profile', 'fast']).start();
  kubelet = startKubelet(cp, root, 'node-2', ['--cpu', '2', '--memory', '4Gi', '--max-pods', '20']);
});

afterAll(async () => {
  await kubelet?.kill();
  await cp?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('node registration', () => {
  it('registers the Node Ready, with its addresses, pod CIDR, capacity and labels', async () => {
    const node = await waitFor('node-2 to register', () => cp.natsClient.resource<Node>(NODES).get(undefined, 'node-2'), 20_000, kubelet);
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': 'node-2',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': 'kubesim',
    });
    expect(node.spec).toMatchObject({ podCIDR: '127.64.2.0/24', podCIDRs: ['127.64.2.0/24'] });
    expect(node.status?.capacity).toMatchObject({ cpu: '2', memory: '4Gi', pods: '20' });
    expect(node.status?.allocatable).toMatchObject({ cpu: '2', memory: '4Gi', pods: '20' });
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '127.1.0.2' },
      { type: 'Hostname', address: 'node-2' },
    ]);
    expect(node.status?.nodeInfo).toMatchObject({ kubeletVersion: 'v1.31.9-kubesim', containerRuntimeVersion: 'kubesim://process', operatingSystem: 'linux', architecture: 'amd64' });
    const byType = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(byType.Ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect([byType.MemoryPressure?.status, byType.DiskPressure?.status, byType.PIDPressure?.status]).toEqual(['False', 'False', 'False']);
  });

  it('renews its Lease every second in the fast profile', async () => {
    const leases = cp.natsClient.resource<Lease>(LEASES);
    const first = await waitFor('the lease', () => leases.get('kube-node-lease', 'node-2'), 10_000, kubelet);
    expect(first.spec).toMatchObject({ holderIdentity: 'node-2', leaseDurationSeconds: 40 });
    expect(first.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(first.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'node-2' });
    const renewed = await waitFor('a renewal', async () => {
      const l = await leases.get('kube-node-lease', 'node-2');
      return l.spec?.renewTime !== first.spec?.renewTime ? l : undefined;
    }, 5_000);
    expect(Date.parse(renewed.spec!.renewTime!)).toBeGreaterThan(Date.parse(first.spec!.renewTime!));
  });

  it('refreshes the Ready heartbeat through the status subresource', async () => {
    const nodes = cp.natsClient.resource<Node>(NODES);
    const beat = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const before = beat(await nodes.get(undefined, 'node-2'));
    await waitFor('a newer heartbeat', async () => beat(await nodes.get(undefined, 'node-2')) !== before, 6_000);
  });

  it('takes back a Node someone deleted', async () => {
    const nodes = cp.natsClient.resource<Node>(NODES);
    await nodes.delete(undefined, 'node-2');
    const back = await waitFor('node-2 to come back', () => nodes.get(undefined, 'node-2'), 10_000, kubelet);
    expect(back.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
