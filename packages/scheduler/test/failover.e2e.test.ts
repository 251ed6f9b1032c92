/**
 * Leader failover between real scheduler processes (fast profile: 3 s lease): the leader is
 * killed with SIGKILL (or paused with SIGSTOP) again and again while pods keep arriving; a
 * standby takes over, and every pod is bound exactly once, as seen by a watch on all pods that
 * runs from before the first pod.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '@kubesim/api';
import { formatMsStats, LeaseCandidates, repoPath, TestProcess } from '@kubesim/testing';
import { eventually, PODS, SchedulerCluster } from './cluster.js';
import { node, pod } from './fixtures.js';

const FAILOVERS = 20;
/** Fast profile: lease 3 s, retry 0.5 s (jittered up to 1.1 s more). */
const LEASE_MS = 3000;

/** Every nodeName each pod was seen with, in order, from a watch started before any pod existed. */
class BindingHistory {
  readonly nodeNames = new Map<string, string[]>();
  readonly rebinds: string[] = [];
  private stop = () => undefined as void;

  async follow(cluster: SchedulerCluster): Promise<void> {
    const stream = await cluster.client.resource<Pod>(PODS).watch({ namespace: 'default' });
    let stopped = false;
    this.stop = () => {
      stopped = true;
      stream.close();
    };
    void (async () => {
      for await (const ev of stream) {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.see(ev.object);
      }
      if (!stopped) this.rebinds.push('the pod watch ended early');
    })();
  }

  close(): void {
    this.stop();
  }

  private see(p: Pod): void {
    const name = p.metadata.name!;
    const seen = this.nodeNames.get(name) ?? [];
    const now = p.spec?.nodeName ?? '';
    const last = seen.at(-1);
    if (last === now) return;
    if (last) this.rebinds.push(`${name}: ${last} -> ${now || '(none)'}`);
    seen.push(now);
    this.nodeNames.set(name, seen);
  }
}

describe('scheduler leader failover', () => {
  let cluster: SchedulerCluster;
  let schedulers: LeaseCandidates;
  const history = new BindingHistory();
  let created = 0;

  beforeAll(async () => {
    cluster = await new SchedulerCluster().start();
    schedulers = new LeaseCandidates(cluster.client, 'kube-scheduler', () =>
      new TestProcess('scheduler', process.execPath, [repoPath('packages/scheduler/dist/main.js'), '--nats-url', cluster.cp.nats.url, '--profile', 'fast']),
    );
    await cluster.createNodes(...Array.from({ length: 8 }, (_, i) => node(`node-${i + 1}`, { cpu: '64', pods: '500' })));
    await history.follow(cluster);
    schedulers.start();
    schedulers.start();
  });

  afterAll(async () => {
    history.close();
    await schedulers?.stopAll();
    await cluster?.stop();
  });

  /** Creates a pod every `everyMs` until the returned function is called. */
  function keepCreating(everyMs: number): () => Promise<void> {
    let on = true;
    const loop = (async () => {
      while (on) {
        await cluster.createPods(pod(`p-${++created}`, { cpu: '10m' }));
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
    return async () => {
      on = false;
      await loop;
    };
  }

  /** Waits until a pod created now gets bound: the current leader schedules. */
  async function leaderSchedules(): Promise<void> {
    const name = `probe-${++created}`;
    await cluster.createPods(pod(name, { cpu: '10m' }));
    await eventually(`${name} to be bound`, async () => (await cluster.pod(name)).spec?.nodeName, 20_000);
  }

  it(`hands over on each of ${FAILOVERS} SIGKILLs of the leader while pods arrive; no pod is bound twice`, async () => {
    const stopCreating = keepCreating(100);
    const took: number[] = [];
    for (let i = 0; i < FAILOVERS; i++) {
      const leader = await eventually('a leading scheduler', () => schedulers.leader(), 20_000);
      await leaderSchedules();
      const killedAt = Date.now();
      await leader.kill('SIGKILL');
      // A supervisor would restart it: the new process joins as a standby.
      schedulers.start();
      const next = await eventually('a new leader', async () => {
        const l = await schedulers.leader();
        return l && l !== leader ? l : undefined;
      }, 20_000);
      took.push(Date.now() - killedAt);
      expect(next.running).toBe(true);
    }
    await leaderSchedules();
    await stopCreating();
    console.log(`scheduler failover, kill -9 of the leader to a new leader: ${formatMsStats(took)}`);

    const all = await cluster.allBound(created, 'default', 60_000);
    expect(all).toHaveLength(created);
    await eventually('the watch to show every binding', async () => [...history.nodeNames.values()].filter((n) => n.at(-1)).length === created, 10_000);
    expect(history.rebinds).toEqual([]);
    for (const p of all) expect(history.nodeNames.get(p.metadata.name!)?.filter(Boolean)).toEqual([p.spec!.nodeName]);
    // The standby waits out the lease from when it last saw it renewed.
    expect(Math.min(...took)).toBeGreaterThan(LEASE_MS - 1200);
    expect(Math.max(...took)).toBeLessThan(LEASE_MS + 3000);
  }, 300_000);

  it('fences a leader paused past its lease: after SIGCONT it binds nothing and exits non-zero', async () => {
    const stopCreating = keepCreating(100);
    for (let i = 0; i < 3; i++) {
      const leader = await eventually('a leading scheduler', () => schedulers.leader(), 20_000);
      await leaderSchedules();
      if (schedulers.running < 2) schedulers.start();
      leader.child.kill('SIGSTOP');
      await eventually('a new leader', async () => {
        const l = await schedulers.leader();
        return l && l !== leader ? l : undefined;
      }, 20_000);
      await leaderSchedules();
      leader.child.kill('SIGCONT');
      const code = await Promise.race([leader.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(code).toBe(1);
      expect(leader.log).toMatch(/leader election lost/);
    }
    await stopCreating();
    const all = await cluster.allBound(created, 'default', 60_000);
    await eventually('the watch to show every binding', async () => [...history.nodeNames.values()].filter((n) => n.at(-1)).length === created, 10_000);
    expect(history.rebinds).toEqual([]);
    for (const p of all) expect(history.nodeNames.get(p.metadata.name!)?.filter(Boolean)).toEqual([p.spec!.nodeName]);
  }, 120_000);
});
