/**
 * The Lease-based leader elector against a real apiserver and nats-server: who leads, how fast a
 * standby takes over after a crash, a silent stop or a graceful release, and what ends leadership.
 */
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { eventually, repoPath, TestControlPlane, TestProcess } from '@kubesim/testing';
import { ApiClient } from '../src/client/client.js';
import { NatsTransport } from '../src/client/nats-transport.js';
import { ServiceUnavailableError } from '../src/errors.js';
import {
  LEADER_ELECTION_DEFAULTS,
  LEADER_ELECTION_FAST,
  LeaderElector,
  leaderElectionConfig,
  leaderElectionProblems,
  splitLeaderElectionFlags,
  type LeaderElectionTiming,
} from '../src/leader-election.js';
import { findResource } from '../src/resources.js';
import type { Lease } from '../src/types/coordination.js';

const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const EVENTS = findResource('', 'v1', 'events')!;
const TIMING: LeaderElectionTiming = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 250 };
/** Longest a standby can take to notice a free lease: its jittered retry period, plus request time. */
const NOTICE_MS = 2.2 * TIMING.retryPeriodMs + 300;

describe('LeaderElector', () => {
  let cp: TestControlPlane;
  const connections: NatsConnection[] = [];
  const stops: AbortController[] = [];
  const children: TestProcess[] = [];
  let leaseCount = 0;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
  });

  afterEach(async () => {
    for (const s of stops.splice(0)) s.abort();
    for (const c of children.splice(0)) await c.kill('SIGKILL');
    for (const nc of connections.splice(0)) await nc.close().catch(() => undefined);
  });

  afterAll(async () => {
    await cp?.stop();
  });

  /** An API client on a connection of its own, as a separate process would have. */
  async function ownClient(): Promise<{ client: ApiClient; nc: NatsConnection }> {
    const nc = await connect({ servers: cp.nats.url, noAsyncTraces: true });
    connections.push(nc);
    return { client: new ApiClient(new NatsTransport(nc, { timeoutMs: 1000 })), nc };
  }

  /** A candidate for `lease` with its own connection and stop signal. */
  async function candidate(lease: string, identity: string, extra: { releaseOnCancel?: boolean } = {}) {
    const { client, nc } = await ownClient();
    const elector = new LeaderElector(client, { namespace: 'kube-system', name: lease, identity, ...TIMING, ...extra });
    const stop = new AbortController();
    stops.push(stop);
    return { elector, stop, client, nc, leading: elector.run(stop.signal) };
  }

  const newLease = () => `lease-${++leaseCount}`;
  const getLease = (name: string) => cp.natsClient.resource<Lease>(LEASES).get('kube-system', name);

  it('makes exactly one of two candidates the leader, records it on the Lease and an Event', async () => {
    const name = newLease();
    const a = await candidate(name, 'a');
    const b = await candidate(name, 'b');
    const first = await Promise.race([a.leading.then(() => a), b.leading.then(() => b)]);
    const other = first === a ? b : a;
    // Several retry periods later the other one still waits.
    await new Promise((r) => setTimeout(r, 4 * TIMING.retryPeriodMs));
    expect(first.elector.isLeader()).toBe(true);
    expect(other.elector.isLeader()).toBe(false);
    const lease = await getLease(name);
    expect(lease.spec).toMatchObject({ holderIdentity: first.elector.identity, leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(lease.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(lease.spec!.renewTime!)).toBeGreaterThan(Date.parse(lease.spec!.acquireTime!));
    await eventually('the LeaderElection event', async () => {
      const events = await cp.natsClient.resource(EVENTS).list({ namespace: 'kube-system' });
      return events.items.some((e: any) => e.involvedObject.name === name && e.reason === 'LeaderElection' && e.message === `${first.elector.identity} became leader`);
    });
  });

  it('hands over about one lease duration after the leader stops silently', async () => {
    const name = newLease();
    const a = await candidate(name, 'a', { releaseOnCancel: false });
    const lostA = (await a.leading)!;
    const b = await candidate(name, 'b');
    // b has seen the record once it is polling; then a goes quiet.
    await new Promise((r) => setTimeout(r, TIMING.retryPeriodMs * 3));
    const stoppedAt = Date.now();
    a.stop.abort();
    expect(lostA.aborted).toBe(true);
    await b.leading;
    const tookMs = Date.now() - stoppedAt;
    // b counts the lease from when it last saw a renewal, which can be a retry period before the stop.
    expect(tookMs).toBeGreaterThan(TIMING.leaseDurationMs - 2.2 * TIMING.retryPeriodMs - 100);
    expect(tookMs).toBeLessThan(TIMING.leaseDurationMs + NOTICE_MS + 500);
    expect((await getLease(name)).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('hands over about one lease duration after the leader process is killed with SIGKILL', async () => {
    const name = newLease();
    const child = electorProcess(cp.nats.url, name, 'child');
    children.push(child);
    await eventually('the child to lead', () => child.log.includes('LEADING'), { timeoutMs: 15_000, context: () => child.log });
    const b = await candidate(name, 'b');
    await new Promise((r) => setTimeout(r, TIMING.retryPeriodMs * 3));
    expect(b.elector.observedLeader()).toBe('child');
    const killedAt = Date.now();
    await child.kill('SIGKILL');
    await b.leading;
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeGreaterThan(TIMING.leaseDurationMs - 2.2 * TIMING.retryPeriodMs - 100);
    expect(tookMs).toBeLessThan(TIMING.leaseDurationMs + NOTICE_MS + 500);
  });

  it('hands over at once when the leader releases the Lease on a graceful stop', async () => {
    const name = newLease();
    const a = await candidate(name, 'a');
    await a.leading;
    const b = await candidate(name, 'b');
    await new Promise((r) => setTimeout(r, TIMING.retryPeriodMs * 2));
    const stoppedAt = Date.now();
    a.stop.abort();
    await a.elector.stopped();
    expect((await getLease(name)).spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await b.leading;
    expect(Date.now() - stoppedAt).toBeLessThan(NOTICE_MS);
    expect((await getLease(name)).spec).toMatchObject({ holderIdentity: 'b', leaseDurationSeconds: 2, leaseTransitions: 1 });
  });

  it('loses leadership at once when a renewal gets 409 because someone else wrote the Lease', async () => {
    const name = newLease();
    const a = await candidate(name, 'a');
    const lost = (await a.leading)!;
    const lease = await getLease(name);
    await cp.natsClient.resource<Lease>(LEASES).update({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
    const changedAt = Date.now();
    await eventually('leadership to end', () => lost.aborted, { intervalMs: 10 });
    expect(Date.now() - changedAt).toBeLessThan(TIMING.retryPeriodMs + 300);
    expect(a.elector.isLeader()).toBe(false);
    await a.elector.stopped();
    // Lost, not stopped: the Lease is not released, the intruder keeps it.
    expect((await getLease(name)).spec?.holderIdentity).toBe('intruder');
  });

  it('loses leadership within the renew deadline when it cannot reach the apiserver', async () => {
    const name = newLease();
    const a = await candidate(name, 'a');
    const lost = (await a.leading)!;
    // Requests through this connection now fail; the lease goes unrenewed.
    const cutAt = Date.now();
    await a.nc.close();
    await eventually('leadership to end', () => lost.aborted, { intervalMs: 10 });
    expect(Date.now() - cutAt).toBeLessThanOrEqual(TIMING.renewDeadlineMs + 100);
    expect(a.elector.isLeader()).toBe(false);
  });

  it('fences writes: a standby’s writes are refused without reaching the apiserver, reads pass', async () => {
    const name = newLease();
    const a = await candidate(name, 'a');
    await a.leading;
    const b = await candidate(name, 'b');
    const fencedA = new ApiClient(a.elector.fence(a.client.transport)).resource(CONFIGMAPS);
    const fencedB = new ApiClient(b.elector.fence(b.client.transport)).resource(CONFIGMAPS);
    const cm = (n: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-${n}`, namespace: 'default' } });
    await fencedA.create(cm('by-leader'));
    await expect(fencedB.create(cm('by-standby'))).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect((await fencedB.list({ namespace: 'default' })).items.map((o) => o.metadata.name)).toContain(`${name}-by-leader`);
    a.stop.abort();
    await expect(fencedA.create(cm('after-stop'))).rejects.toBeInstanceOf(ServiceUnavailableError);
    await b.leading;
    await fencedB.create(cm('by-new-leader'));
    const names = (await cp.natsClient.resource(CONFIGMAPS).list({ namespace: 'default' })).items.map((o) => o.metadata.name);
    expect(names).not.toContain(`${name}-by-standby`);
    expect(names).not.toContain(`${name}-after-stop`);
  });

  it('resolves undefined when stopped before it could lead', async () => {
    const name = newLease();
    const a = await candidate(name, 'a');
    await a.leading;
    const b = await candidate(name, 'b');
    b.stop.abort();
    expect(await b.leading).toBeUndefined();
    expect((await getLease(name)).spec?.holderIdentity).toBe('a');
  });
});

/** A separate node process that leads `lease` and prints LEADING; it never releases. */
function electorProcess(natsUrl: string, lease: string, identity: string): TestProcess {
  const natsPath = createRequire(repoPath('packages/api/package.json')).resolve('nats');
  const script = `(async () => {
    const { connect } = require(${JSON.stringify(natsPath)});
    const api = await import(${JSON.stringify(repoPath('packages/api/dist/index.js'))});
    const nc = await connect({ servers: ${JSON.stringify(natsUrl)} });
    const elector = new api.LeaderElector(new api.ApiClient(new api.NatsTransport(nc)), {
      namespace: 'kube-system', name: ${JSON.stringify(lease)}, identity: ${JSON.stringify(identity)},
      ...${JSON.stringify(TIMING)},
    });
    await elector.run(new AbortController().signal);
    console.log('LEADING');
    setInterval(() => {}, 1000);
  })();`;
  return new TestProcess('elector', process.execPath, ['-e', script]);
}

describe('leader election settings', () => {
  it.each([
    ['Kubernetes’ defaults', LEADER_ELECTION_DEFAULTS, []],
    ['the fast profile', LEADER_ELECTION_FAST, []],
    ['a lease not longer than the renew deadline', { leaseDurationMs: 2000, renewDeadlineMs: 2000, retryPeriodMs: 500 }, ['the lease duration must be greater than the renew deadline']],
    ['a renew deadline within 1.2 retry periods', { leaseDurationMs: 3000, renewDeadlineMs: 1200, retryPeriodMs: 1000 }, ['the renew deadline must be greater than 1.2 × the retry period']],
    ['a lease of a fraction of a second', { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 }, ['the lease duration must be a whole number of seconds, at least 1 s']],
    ['no retry period', { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 0 }, ['the retry period must be greater than zero']],
  ])('%s: %j', (_what, timing, problems) => {
    expect(leaderElectionProblems(timing)).toEqual(problems);
  });

  it.each([
    [['--leader-elect'], { 'leader-elect': 'true' }, []],
    [['--leader-elect=false', '--x'], { 'leader-elect': 'false' }, ['--x']],
    [['--leader-elect-lease-duration', '4s', '--leader-elect-retry-period=1s'], { 'leader-elect-lease-duration': '4s', 'leader-elect-retry-period': '1s' }, []],
    [['--profile', 'fast', '--leader-elect-renew-deadline', '3s'], { 'leader-elect-renew-deadline': '3s' }, ['--profile', 'fast']],
  ])('splits %j into %j and the rest %j', (argv, flags, rest) => {
    expect(splitLeaderElectionFlags(argv)).toEqual({ flags, rest });
  });

  it('refuses a duration flag without its value', () => {
    expect(() => splitLeaderElectionFlags(['--leader-elect-lease-duration'])).toThrow(/argument missing/);
  });

  it.each([
    ['defaults', {}, {}, 'default', { leaderElect: true, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 }],
    ['the fast profile', {}, {}, 'fast', { leaderElect: true, leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 }],
    ['flags', { 'leader-elect-lease-duration': '1m', 'leader-elect-renew-deadline': '30s', 'leader-elect-retry-period': '2.5s' }, {}, 'default', { leaderElect: true, leaseDurationMs: 60_000, renewDeadlineMs: 30_000, retryPeriodMs: 2500 }],
    ['the environment', {}, { KUBESIM_LEADER_ELECT: 'false', KUBESIM_LEADER_ELECT_RETRY_PERIOD: '100ms' }, 'fast', { leaderElect: false, leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 100 }],
    ['flags over the environment', { 'leader-elect': 'true' }, { KUBESIM_LEADER_ELECT: 'false' }, 'fast', { leaderElect: true }],
  ] as const)('reads %s', (_what, flags, env, profile, want) => {
    expect(leaderElectionConfig(flags, env, profile)).toMatchObject(want);
  });

  it.each([
    [{ 'leader-elect': 'yes' }, /--leader-elect must be true or false/],
    [{ 'leader-elect-lease-duration': '15' }, /invalid duration "15"/],
    [{ 'leader-elect-lease-duration': '1s' }, /lease duration must be greater than the renew deadline/],
  ])('refuses %j', (flags, message) => {
    expect(() => leaderElectionConfig(flags, {}, 'default')).toThrow(message);
  });
});
