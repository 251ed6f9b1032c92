import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpuPerNode, SchedulerCluster } from './cluster.js';
import { node, pod } from './fixtures.js';

describe('kubesim-scheduler killed with SIGKILL', () => {
  let cluster: SchedulerCluster;

  beforeEach(async () => {
    cluster = await new SchedulerCluster().start();
  });

  afterEach(async () => {
    await cluster?.stop();
  });

  it('rebuilds its state on restart: pending pods get scheduled, bound ones keep their node, no node is overcommitted', async () => {
    await cluster.createNodes(node('node-1', { cpu: '2' }), node('node-2', { cpu: '2' }), node('node-3', { cpu: '2' }));
    const first = await cluster.startScheduler();
    await cluster.createPods(...Array.from({ length: 15 }, (_, i) => pod(`early-${i}`, { cpu: '200m' })));
    await cluster.allBound(15);

    // A second burst: some pods arrive while the scheduler dies, the rest while it is gone.
    const late = Array.from({ length: 15 }, (_, i) => pod(`late-${i}`, { cpu: '200m' }));
    const racing = cluster.createPods(...late.slice(0, 5));
    await first.kill('SIGKILL');
    await racing;
    await cluster.createPods(...late.slice(5));
    const before = new Map((await cluster.pods()).filter((p) => p.spec?.nodeName).map((p) => [p.metadata.name!, p.spec!.nodeName!]));
    expect(before.size).toBeGreaterThanOrEqual(15);
    expect(before.size).toBeLessThanOrEqual(20);

    await cluster.startScheduler();
    const pods = await cluster.allBound(30);
    // Exactly full nodes: the restarted scheduler counted every pod the first one had bound.
    expect(cpuPerNode(pods)).toEqual({ 'node-1': 2000, 'node-2': 2000, 'node-3': 2000 });
    for (const p of pods) {
      if (before.has(p.metadata.name!)) expect(p.spec!.nodeName).toBe(before.get(p.metadata.name!));
      // One Scheduled event at most per pod: no pod was bound twice.
      expect((await cluster.events(p.metadata.name!, 'Scheduled')).length).toBeLessThanOrEqual(1);
    }
  });

  it('treats a binding another scheduler instance won (409) as already bound, not as a failure', async () => {
    await cluster.createNodes(node('node-1', { cpu: '64' }), node('node-2', { cpu: '64' }), node('node-3', { cpu: '64' }));
    // Two instances without leader election race for every pod; the apiserver lets one binding win.
    const a = await cluster.startScheduler('--leader-elect=false');
    const b = await cluster.startScheduler('--leader-elect=false');
    await cluster.createPods(...Array.from({ length: 40 }, (_, i) => pod(`race-${i}`, { cpu: '100m' })));
    const pods = await cluster.allBound(40);
    for (const p of pods) {
      expect((await cluster.events(p.metadata.name!, 'FailedScheduling')).length).toBe(0);
      expect((await cluster.events(p.metadata.name!, 'Scheduled')).length).toBe(1);
    }
    await a.kill('SIGTERM');
    for (const log of [a.log, b.log]) expect(log).not.toContain('binding failed');
    // Both instances see every pod at once, so they do collide (a 409 is logged, not reported).
    expect(a.log + b.log).toContain('is already assigned to node');
  });

  it('stops cleanly on SIGTERM', async () => {
    await cluster.createNodes(node('node-1'));
    const proc = await cluster.startScheduler();
    await proc.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.log).toContain('stopped');
  });
});
