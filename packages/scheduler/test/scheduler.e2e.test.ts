import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Node, Pod, ReplicaSet } from '@kubesim/api';
import { findResource } from '@kubesim/api';
import { cpuPerNode, eventually, NODES, podsPerNode, SchedulerCluster } from './cluster.js';
import { node, pod } from './fixtures.js';

const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;
const NO_VICTIMS_3 = 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

describe('kubesim-scheduler against a real control plane', () => {
  let cluster: SchedulerCluster;

  beforeEach(async () => {
    cluster = await new SchedulerCluster().start();
  });

  afterEach(async () => {
    await cluster?.stop();
  });

  it('binds a burst of 30 pods to 3 nodes without overcommitting any of them', async () => {
    await cluster.createNodes(node('node-1', { cpu: '2' }), node('node-2', { cpu: '2' }), node('node-3', { cpu: '2' }));
    await cluster.startScheduler();
    await cluster.createPods(...Array.from({ length: 30 }, (_, i) => pod(`web-${i}`, { cpu: '200m' })));
    const pods = await cluster.allBound(30);
    // 2 cpu per node and 200m per pod: the only way to bind all 30 is exactly 10 per node.
    expect(cpuPerNode(pods)).toEqual({ 'node-1': 2000, 'node-2': 2000, 'node-3': 2000 });
    const web0 = pods.find((p) => p.metadata.name === 'web-0')!;
    expect(web0.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    const scheduled = await cluster.waitForEvent('web-0', 'Scheduled');
    expect(scheduled).toMatchObject({
      type: 'Normal',
      message: `Successfully assigned default/web-0 to ${web0.spec!.nodeName}`,
      source: { component: 'default-scheduler' },
    });
  });

  it('leaves a pod too big for every node pending with kube-scheduler’s message, and binds it once a big node joins', async () => {
    await cluster.createNodes(node('node-1', { cpu: '2' }), node('node-2', { cpu: '2' }), node('node-3', { cpu: '2' }));
    await cluster.startScheduler();
    await cluster.createPods(pod('huge', { cpu: '4' }));
    const message = `0/3 nodes are available: 3 Insufficient cpu. ${NO_VICTIMS_3}`;
    const event = await cluster.waitForEvent('huge', 'FailedScheduling');
    expect(event).toMatchObject({ type: 'Warning', message, source: { component: 'default-scheduler' } });
    const condition = await eventually('PodScheduled=False', async () =>
      (await cluster.pod('huge')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'),
    );
    expect(condition).toMatchObject({ reason: 'Unschedulable', message });
    expect((await cluster.pod('huge')).spec?.nodeName).toBeUndefined();

    await cluster.createNodes(node('node-big', { cpu: '8' }));
    const bound = await eventually('huge bound', async () => (await cluster.pod('huge')).spec?.nodeName);
    expect(bound).toBe('node-big');
  });

  it('honours nodeSelector, taints and tolerations, cordoned and NotReady nodes', async () => {
    const gpu = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    await cluster.createNodes(
      node('node-gpu', { taints: [gpu], labels: { disk: 'ssd' } }),
      node('node-cordoned', { unschedulable: true, labels: { disk: 'ssd' } }),
      node('node-down', { ready: 'False', labels: { disk: 'ssd' } }),
      node('node-plain', { labels: { disk: 'hdd' } }),
    );
    await cluster.startScheduler();
    const tolerateGpu = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];
    await cluster.createPods(
      ...Array.from({ length: 6 }, (_, i) => pod(`plain-${i}`)),
      pod('on-gpu', { tolerations: tolerateGpu, nodeSelector: { disk: 'ssd' } }),
      pod('wants-ssd', { nodeSelector: { disk: 'ssd' } }),
    );
    const placed = await eventually('7 pods bound', async () => {
      const pods = await cluster.pods();
      return pods.filter((p) => p.spec?.nodeName).length === 7 ? pods : undefined;
    });
    const where = Object.fromEntries(placed.map((p) => [p.metadata.name, p.spec?.nodeName ?? 'pending']));
    expect(where).toMatchObject({ 'on-gpu': 'node-gpu', 'wants-ssd': 'pending' });
    for (let i = 0; i < 6; i++) expect(where[`plain-${i}`]).toBe('node-plain');
    const failed = await cluster.waitForEvent('wants-ssd', 'FailedScheduling');
    expect(failed.message).toBe(
      "0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, " +
        '1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. ' +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );

    // Uncordoning the node is a node update: the pending pod is retried and lands there.
    await cluster.client.resource<Node>(NODES).patch(undefined, 'node-cordoned', 'merge', { spec: { unschedulable: null } });
    expect(await eventually('wants-ssd bound', async () => (await cluster.pod('wants-ssd')).spec?.nodeName)).toBe('node-cordoned');
  });

  it('keeps pods with required anti-affinity on different nodes', async () => {
    await cluster.createNodes(node('node-1'), node('node-2'), node('node-3'));
    await cluster.startScheduler();
    const affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] },
    };
    await cluster.createPods(...Array.from({ length: 4 }, (_, i) => pod(`db-${i}`, { labels: { app: 'db' }, affinity })));
    const [failed] = await eventually('a FailedScheduling event', async () => {
      for (let i = 0; i < 4; i++) {
        const events = await cluster.events(`db-${i}`, 'FailedScheduling');
        if (events.length) return events;
      }
      return undefined;
    });
    expect(failed.message).toBe(`0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. ${NO_VICTIMS_3}`);
    const bound = (await cluster.pods()).filter((p) => p.spec?.nodeName);
    expect(podsPerNode(bound)).toEqual({ 'node-1': 1, 'node-2': 1, 'node-3': 1 });

    // Deleting one frees its node for the pending one.
    const victim = bound[0];
    await cluster.client.resource(findResource('', 'v1', 'pods')!).delete('default', victim.metadata.name!, { gracePeriodSeconds: 0 });
    const after = await eventually('3 pods bound again', async () => {
      const pods = await cluster.pods();
      return pods.length === 3 && pods.every((p) => p.spec?.nodeName) ? pods : undefined;
    });
    expect(podsPerNode(after)).toEqual({ 'node-1': 1, 'node-2': 1, 'node-3': 1 });
  });

  it('spreads the pods of one ReplicaSet evenly across nodes', async () => {
    await cluster.createNodes(node('node-1'), node('node-2'), node('node-3'));
    // No controller-manager runs here, so the ReplicaSet stays an owner and creates nothing.
    const rs = await cluster.client.resource<ReplicaSet>(REPLICASETS).create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 9, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'sleep' }] } } },
    });
    await cluster.startScheduler();
    // A pod of another owner already sits on node-1; spreading counts only siblings.
    await cluster.createPods(pod('other', { nodeName: 'node-1' }));
    await cluster.createPods(
      ...Array.from({ length: 9 }, (_, i): Pod => {
        const p = pod(`web-${i}`, { labels: { app: 'web' } });
        p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid!, controller: true }];
        return p;
      }),
    );
    const pods = (await cluster.allBound(10)).filter((p) => p.metadata.name !== 'other');
    expect(podsPerNode(pods)).toEqual({ 'node-1': 3, 'node-2': 3, 'node-3': 3 });
  });

  it('does not touch pods that name another scheduler', async () => {
    await cluster.createNodes(node('node-1'));
    await cluster.startScheduler();
    await cluster.createPods(pod('custom', { schedulerName: 'my-scheduler' }), pod('mine'));
    await eventually('mine bound', async () => (await cluster.pod('mine')).spec?.nodeName);
    await new Promise((r) => setTimeout(r, 500));
    expect((await cluster.pod('custom')).spec?.nodeName).toBeUndefined();
    expect(await cluster.events('custom', 'FailedScheduling')).toEqual([]);
  });
});
