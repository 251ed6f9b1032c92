/**
 * Leader failover between real controller-manager processes (fast profile: 3 s lease), with a
 * Deployment scaled up and down around each failover. A watch on every pod, started before the
 * Deployment, checks that no ReplicaSet ever had more live pods than the larger of its old and
 * new size plus a surge (a double-creating controller would overshoot), and that once settled
 * the count is exactly the desired one. No scheduler or kubelet runs: pods stay Pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Pod, ReplicaSet } from '@kubesim/api';
import { formatMsStats, LeaseCandidates, TestControlPlane, type TestProcess } from '@kubesim/testing';
import { eventually, namespace, res, startControllerManager, webDeployment } from './harness.js';

const FAILOVERS = 20;
/** Fast profile: lease 3 s, retry 0.5 s (jittered up to 1.1 s more). */
const LEASE_MS = 3000;
/** The Deployment's size before each failover, in turn. */
const SIZES = [6, 2, 9, 4, 12, 1, 7, 3, 10, 5];
/** maxSurge 25% of the largest size, rounded up (only rollouts use it; scaling should need none). */
const SURGE = Math.ceil(Math.max(...SIZES) / 4);
/** A scale-up big enough to take several slow-start batches. */
const PAUSE_SIZE = 150;

/** Live (not terminating) pods per owning ReplicaSet, from a watch, with every overshoot seen. */
class PodCounts {
  readonly live = new Map<string, string>();
  readonly overshoots: string[] = [];
  /** The most pods allowed right now: max(previous size, new size) + surge. */
  allowed = 0;
  private stop = () => undefined as void;

  async follow(cp: TestControlPlane, ns: string): Promise<void> {
    const stream = await res<Pod>(cp.natsClient, 'pods').watch({ namespace: ns });
    let stopped = false;
    this.stop = () => {
      stopped = true;
      stream.close();
    };
    void (async () => {
      for await (const ev of stream) {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        const p = ev.object;
        const owner = p.metadata.ownerReferences?.find((o) => o.controller)?.name ?? '(none)';
        if (ev.type === 'DELETED' || p.metadata.deletionTimestamp) this.live.delete(p.metadata.name!);
        else this.live.set(p.metadata.name!, owner);
        if (this.live.size > this.allowed) this.overshoots.push(`${this.live.size} live pods with at most ${this.allowed} allowed`);
      }
      if (!stopped) this.overshoots.push('the pod watch ended early');
    })();
  }

  close(): void {
    this.stop();
  }
}

/** Waits until a candidate other than `old` holds the Lease. */
function nextLeader(managers: LeaseCandidates, old: TestProcess): Promise<TestProcess> {
  return eventually(async () => {
    const l = await managers.leader();
    return l && l !== old ? l : undefined;
  }, 'a new leader', 20_000);
}

/** Polls `cond` every millisecond (for up to 10 s): to catch a moment, not a state. */
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('controller-manager leader failover', () => {
  let cp: TestControlPlane;
  let managers: LeaseCandidates;
  let ns: string;
  const counts = new PodCounts();
  let size = 0;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    managers = new LeaseCandidates(cp.natsClient, 'kube-controller-manager', () => startControllerManager(cp));
    ns = await namespace(cp.natsClient, 'failover');
    await counts.follow(cp, ns);
    managers.start();
    managers.start();
    counts.allowed = SIZES[0] + SURGE;
    size = SIZES[0];
    await deployments().create(webDeployment(ns, 'web', SIZES[0]));
    await settled();
  });

  afterAll(async () => {
    counts.close();
    await managers?.stopAll();
    await cp?.stop();
  });

  const deployments = () => res<Deployment>(cp.natsClient, 'deployments');

  /** Sets the Deployment's replicas; until settled, the old size still counts as allowed. */
  async function scaleTo(n: number): Promise<void> {
    counts.allowed = Math.max(size, n) + SURGE;
    size = n;
    await deployments().patch(ns, 'web', 'merge', { spec: { replicas: n } });
  }

  /** Waits until the ReplicaSet and the live pods match the size, and checks they stay so. */
  async function settled(): Promise<void> {
    const matches = async () => {
      const rss = (await res<ReplicaSet>(cp.natsClient, 'replicasets').list({ namespace: ns })).items;
      return rss.length === 1 && rss[0].spec?.replicas === size && rss[0].status?.replicas === size && counts.live.size === size;
    };
    await eventually(matches, `${size} pods`, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await matches()).toBe(true);
    counts.allowed = size + SURGE;
  }

  it(`hands over on each of ${FAILOVERS} SIGKILLs of the leader while the Deployment scales; no ReplicaSet overshoots`, async () => {
    const took: number[] = [];
    for (let i = 0; i < FAILOVERS; i++) {
      const leader = await eventually(() => managers.leader(), 'a leading controller-manager', 20_000);
      // Scale, then kill the leader mid-reconcile (or just after).
      await scaleTo(SIZES[(i + 1) % SIZES.length]);
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      const killedAt = Date.now();
      await leader.kill('SIGKILL');
      // A supervisor would restart it: the new process joins as a standby.
      managers.start();
      await nextLeader(managers, leader);
      took.push(Date.now() - killedAt);
      await settled();
    }
    console.log(`controller-manager failover, kill -9 of the leader to a new leader: ${formatMsStats(took)}`);
    expect(counts.overshoots).toEqual([]);
    expect(new Set(counts.live.values())).toEqual(new Set([(await res<ReplicaSet>(cp.natsClient, 'replicasets').list({ namespace: ns })).items[0].metadata.name]));
    expect(Math.min(...took)).toBeGreaterThan(LEASE_MS - 1200);
    expect(Math.max(...took)).toBeLessThan(LEASE_MS + 3000);
  }, 300_000);

  it('fences a leader paused mid-scale-up past its lease: after SIGCONT it creates nothing more and exits non-zero', async () => {
    for (let i = 0; i < 3; i++) {
      const leader = await eventually(() => managers.leader(), 'a leading controller-manager', 20_000);
      if (managers.running < 2) managers.start();
      // Paused while it creates pods in slow-start batches: its next batches are planned on what
      // it saw before the pause, while the new leader creates the rest.
      const before = size;
      await scaleTo(PAUSE_SIZE);
      await until(() => counts.live.size >= before + 3);
      leader.child.kill('SIGSTOP');
      await nextLeader(managers, leader);
      await settled();
      leader.child.kill('SIGCONT');
      const code = await Promise.race([leader.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(code).toBe(1);
      expect(leader.log).toMatch(/leader election lost/);
      await settled();
      await scaleTo(2);
      await settled();
    }
    expect(counts.overshoots).toEqual([]);
  }, 180_000);
});
