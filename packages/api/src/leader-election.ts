/**
 * Leader election through a coordination.k8s.io/v1 Lease, after client-go's
 * `tools/leaderelection`: candidates poll the Lease every retry period and take it when it is
 * absent, released (empty holder) or expired; the leader renews it every retry period and steps
 * down when it could not renew within the renew deadline. Expiry is judged by this process's own
 * clock, from when it last saw the record change, never from the remote timestamps, so clock skew
 * between processes does not matter. Every write carries the resourceVersion read, so of two
 * candidates only one wins (the other gets 409).
 *
 * Fencing: {@link LeaderElector.fence} wraps a transport so writes are refused the instant this
 * process can no longer be sure it leads (checked synchronously against the clock, so a process
 * resumed after a long pause refuses its queued writes before any timer has had a chance to run).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ApiClient, ResourceClient } from './client/client.js';
import type { Transport, WatchStream } from './client/transport.js';
import { realClock, type Clock } from './clock.js';
import type { LogFn } from './controller.js';
import { isReason } from './errors.js';
import { EventRecorder } from './events.js';
import type { Status } from './meta.js';
import type { ApiRequest, ApiResponse, Verb } from './protocol.js';
import { findResource } from './resources.js';
import type { Lease, LeaseSpec } from './types/coordination.js';

const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
/** client-go's JitterFactor: candidates wait between 1 and 2.2 retry periods between tries. */
const JITTER_FACTOR = 1.2;
const WRITE_VERBS: ReadonlySet<Verb> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** The three timers of leader election, in milliseconds. */
export interface LeaderElectionTiming {
  /** How long a standby waits, from when it saw the record last change, before taking over. Whole seconds. */
  leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it gives up leading. */
  renewDeadlineMs: number;
  /** Interval between tries to acquire or renew. */
  retryPeriodMs: number;
}

/** Kubernetes' defaults (component-base): 15 s lease, 10 s renew deadline, 2 s retry period. */
export const LEADER_ELECTION_DEFAULTS: Readonly<LeaderElectionTiming> = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
/** The fast profile's timers, for tests and demos. */
export const LEADER_ELECTION_FAST: Readonly<LeaderElectionTiming> = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };

export interface LeaderElectorOptions extends LeaderElectionTiming {
  /** Namespace and name of the Lease (kube-system/kube-scheduler, ...). */
  namespace: string;
  name: string;
  /** This candidate's holderIdentity; unique per process ({@link leaderIdentity}). */
  identity: string;
  /** On a graceful stop, hand the Lease back (empty holder, 1 s duration) so a standby takes over at once. Default true. */
  releaseOnCancel?: boolean;
  /** `source.component` of the LeaderElection events; default the Lease's name. */
  eventComponent?: string;
  clock?: Clock;
  log?: LogFn;
}

/** A holderIdentity as upstream makes them (`<host>_<uuid>`), with the pid in the middle: `<host>_<pid>_<random>`. */
export function leaderIdentity(): string {
  return `${hostname()}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Every problem with a set of timers (client-go's NewLeaderElector checks), empty when usable. */
export function leaderElectionProblems(t: LeaderElectionTiming): string[] {
  const problems: string[] = [];
  if (!(t.retryPeriodMs > 0)) problems.push('the retry period must be greater than zero');
  if (!(t.leaseDurationMs >= 1000 && t.leaseDurationMs % 1000 === 0)) problems.push('the lease duration must be a whole number of seconds, at least 1 s');
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) problems.push('the lease duration must be greater than the renew deadline');
  if (!(t.renewDeadlineMs > JITTER_FACTOR * t.retryPeriodMs)) problems.push(`the renew deadline must be greater than ${JITTER_FACTOR} × the retry period`);
  return problems;
}

/** How one renewal ended: `lost` means the Lease was changed or deleted by someone else. */
type RenewOutcome = 'renewed' | 'lost' | 'error';

/** One candidate for leadership of one Lease. */
export class LeaderElector {
  readonly identity: string;
  private readonly rc: ResourceClient<Lease>;
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly events: EventRecorder;
  /** The last record seen and when (by our clock): the basis of expiry. */
  private observed?: { lease: Lease; at: number };
  /** The record as we last wrote it while leading: renewals update exactly that version. */
  private held?: Lease;
  private validUntil = 0;
  private leading?: AbortController;
  private deadlineTimer?: ReturnType<Clock['setTimeout']>;
  private finished: Promise<void> = Promise.resolve();
  private started = false;

  /** Validates the options (throws a TypeError listing the problems); no I/O. */
  constructor(
    client: ApiClient,
    private readonly options: LeaderElectorOptions,
  ) {
    const problems = leaderElectionProblems(options);
    if (!options.identity) problems.push('an identity is required');
    if (!options.namespace || !options.name) problems.push('the Lease namespace and name are required');
    if (problems.length > 0) throw new TypeError(`invalid leader election config: ${problems.join('; ')}`);
    this.identity = options.identity;
    this.rc = client.resource<Lease>(LEASES);
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? (() => undefined);
    const component = options.eventComponent ?? options.name;
    this.events = new EventRecorder(client, { component, log: this.log, now: () => new Date(this.clock.now()) });
  }

  /**
   * Tries to acquire the Lease every retry period until it leads or `signal` aborts. Resolves
   * with a signal that aborts when leadership ends (renew deadline passed, the Lease taken by
   * someone else, or `signal` aborted), or with undefined if `signal` aborted before this led.
   * Once leading, a graceful stop (`signal` aborting) releases the Lease unless told not to.
   */
  async run(signal: AbortSignal): Promise<AbortSignal | undefined> {
    if (this.started) throw new Error('leader elector already started');
    this.started = true;
    this.log('info', 'attempting to acquire leader lease', { lease: this.leaseName(), identity: this.identity });
    for (;;) {
      if (signal.aborted) return undefined;
      const attemptAt = this.clock.now();
      if (await this.tryAcquire(attemptAt)) {
        this.leading = new AbortController();
        this.extend(attemptAt);
        break;
      }
      await this.clock.sleep(this.options.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR), signal);
    }
    this.log('info', 'successfully acquired lease', { lease: this.leaseName(), identity: this.identity });
    void this.events.record(this.held!, 'Normal', 'LeaderElection', `${this.identity} became leader`);
    this.finished = this.renewLoop(signal);
    // Acquired just as the stop came: the renew loop releases at once.
    return signal.aborted ? undefined : this.leading.signal;
  }

  /**
   * True while this process may act as the leader: it holds the Lease and its last successful
   * renewal started less than the renew deadline ago. Synchronous, by the clock.
   */
  isLeader(): boolean {
    return !!this.leading && !this.leading.signal.aborted && this.clock.now() < this.validUntil;
  }

  /** The holder of the Lease as last seen ('' when released, undefined before the first read). */
  observedLeader(): string | undefined {
    return this.observed?.lease.spec?.holderIdentity;
  }

  /** Resolves once leading has ended and, on a graceful stop, the Lease has been released. */
  stopped(): Promise<void> {
    return this.finished;
  }

  /**
   * A transport that passes reads and watches through and refuses every write (503, reason
   * ServiceUnavailable, nothing sent) unless {@link isLeader} holds at the moment of the call.
   */
  fence(transport: Transport): Transport {
    return new FencedTransport(transport, () => this.isLeader(), () => `${this.identity} is not the leader of Lease ${this.leaseName()}`);
  }

  private leaseName(): string {
    return `${this.options.namespace}/${this.options.name}`;
  }

  /** One acquisition attempt (client-go's tryAcquireOrRenew for a candidate). */
  private async tryAcquire(now: number): Promise<boolean> {
    let current: Lease;
    try {
      current = await this.rc.get(this.options.namespace, this.options.name);
    } catch (err) {
      if (isReason(err, 'NotFound')) return this.write(() => this.rc.create(this.newRecord(undefined, now)));
      this.log('warn', 'error retrieving lease', { lease: this.leaseName(), error: (err as Error).message });
      return false;
    }
    this.observe(current);
    const holder = current.spec?.holderIdentity ?? '';
    if (holder && holder !== this.identity && !this.expired(now)) return false;
    return this.write(() => this.rc.update(this.newRecord(current, now)));
  }

  /** Writes a new record; a 409 or 409-like AlreadyExists means another candidate won. */
  private async write(send: () => Promise<Lease>): Promise<boolean> {
    try {
      this.held = await send();
      this.observe(this.held);
      return true;
    } catch (err) {
      if (!isReason(err, 'Conflict') && !isReason(err, 'AlreadyExists')) {
        this.log('warn', 'error acquiring lease', { lease: this.leaseName(), error: (err as Error).message });
      }
      return false;
    }
  }

  /** The record that makes us the holder, keeping acquireTime and transitions when we already were. */
  private newRecord(current: Lease | undefined, now: number): Lease {
    const old = current?.spec ?? {};
    const ours = old.holderIdentity === this.identity;
    const stamp = microTime(now);
    const spec: LeaseSpec = {
      ...old,
      holderIdentity: this.identity,
      leaseDurationSeconds: this.options.leaseDurationMs / 1000,
      acquireTime: ours && old.acquireTime ? old.acquireTime : stamp,
      renewTime: stamp,
      leaseTransitions: (old.leaseTransitions ?? 0) + (ours || !current ? 0 : 1),
    };
    const metadata = current ? { ...current.metadata } : { name: this.options.name, namespace: this.options.namespace };
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec };
  }

  /** Remembers when the record last changed, by our clock. */
  private observe(lease: Lease): void {
    if (this.observed?.lease.metadata.resourceVersion === lease.metadata.resourceVersion) return;
    this.observed = { lease, at: this.clock.now() };
  }

  private expired(now: number): boolean {
    const seconds = this.observed?.lease.spec?.leaseDurationSeconds ?? 0;
    return !this.observed || this.observed.at + seconds * 1000 <= now;
  }

  /** Renews every retry period until leadership ends; then releases on a graceful stop. */
  private async renewLoop(signal: AbortSignal): Promise<void> {
    const leading = this.leading!;
    const stop = () => leading.abort();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    while (!leading.signal.aborted) {
      await this.clock.sleep(this.options.retryPeriodMs, leading.signal);
      if (leading.signal.aborted) break;
      const attemptAt = this.clock.now();
      const outcome = await this.renew(attemptAt);
      if (outcome === 'renewed' && !leading.signal.aborted) this.extend(attemptAt);
      else if (outcome === 'lost') this.lose('the lease was changed by another writer');
      else if (this.clock.now() >= this.validUntil) this.lose(`failed to renew lease within ${this.options.renewDeadlineMs} ms`);
    }
    const byStop = signal.aborted && this.validUntil > this.clock.now();
    signal.removeEventListener('abort', stop);
    if (this.deadlineTimer) this.clock.clearTimeout(this.deadlineTimer);
    this.validUntil = 0;
    if (byStop && (this.options.releaseOnCancel ?? true)) await this.release();
  }

  /** Updates renewTime on exactly the version we last wrote: any other write in between is a 409. */
  private async renew(now: number): Promise<RenewOutcome> {
    const held = this.held!;
    try {
      this.held = await this.rc.update({ ...held, spec: { ...held.spec, renewTime: microTime(now) } });
      this.observe(this.held);
      return 'renewed';
    } catch (err) {
      if (isReason(err, 'Conflict') || isReason(err, 'NotFound')) return 'lost';
      this.log('warn', 'failed to renew lease', { lease: this.leaseName(), error: (err as Error).message });
      return 'error';
    }
  }

  /** A renewal that started at `attemptAt` keeps us leading until attemptAt + renew deadline. */
  private extend(attemptAt: number): void {
    this.validUntil = attemptAt + this.options.renewDeadlineMs;
    this.armDeadline();
  }

  /** Ends leadership at validUntil. Timers may fire a millisecond early by the wall clock: then it re-arms. */
  private armDeadline(): void {
    if (this.deadlineTimer) this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.clock.setTimeout(() => {
      if (this.clock.now() >= this.validUntil) this.lose(`failed to renew lease within ${this.options.renewDeadlineMs} ms`);
      else if (this.leading && !this.leading.signal.aborted) this.armDeadline();
    }, Math.max(1, this.validUntil - this.clock.now()));
  }

  private lose(why: string): void {
    if (!this.leading || this.leading.signal.aborted) return;
    this.validUntil = 0;
    this.log('error', 'leader election lost', { lease: this.leaseName(), identity: this.identity, reason: why });
    this.leading.abort();
    void this.events.record(this.held!, 'Normal', 'LeaderElection', `${this.identity} stopped leading`);
  }

  /** Hands the Lease back: empty holder and a 1 s duration, so a standby need not wait out the lease. */
  private async release(): Promise<void> {
    const held = this.held!;
    const stamp = microTime(this.clock.now());
    const spec: LeaseSpec = { ...held.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp };
    try {
      this.held = await this.rc.update({ ...held, spec });
      this.log('info', 'released lease', { lease: this.leaseName(), identity: this.identity });
      await this.events.record(held, 'Normal', 'LeaderElection', `${this.identity} stopped leading`);
    } catch (err) {
      // Taken meanwhile, or the apiserver is gone: the lease expires by itself.
      this.log('warn', 'failed to release lease', { lease: this.leaseName(), error: (err as Error).message });
    }
  }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A transport whose writes pass only while `allowed()` holds. */
class FencedTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly allowed: () => boolean,
    private readonly why: () => string,
  ) {}

  get listPageSize(): number | undefined {
    return this.inner.listPageSize;
  }

  request(req: ApiRequest): Promise<ApiResponse> {
    if (!WRITE_VERBS.has(req.verb) || this.allowed()) return this.inner.request(req);
    const body: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.why(), reason: 'ServiceUnavailable', code: 503 };
    return Promise.resolve({ code: 503, body });
  }

  watch(req: ApiRequest): Promise<WatchStream> {
    return this.inner.watch(req);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A component's leader election settings: whether it elects at all, and the timers. */
export interface LeaderElectionConfig extends LeaderElectionTiming {
  leaderElect: boolean;
}

/** The raw values of the four flags, as given. */
export interface LeaderElectionFlags {
  'leader-elect'?: string;
  'leader-elect-lease-duration'?: string;
  'leader-elect-renew-deadline'?: string;
  'leader-elect-retry-period'?: string;
}

const FLAG_ENV: Readonly<Record<keyof LeaderElectionFlags, string>> = {
  'leader-elect': 'KUBESIM_LEADER_ELECT',
  'leader-elect-lease-duration': 'KUBESIM_LEADER_ELECT_LEASE_DURATION',
  'leader-elect-renew-deadline': 'KUBESIM_LEADER_ELECT_RENEW_DEADLINE',
  'leader-elect-retry-period': 'KUBESIM_LEADER_ELECT_RETRY_PERIOD',
};

/** Help lines for the four flags, for a component's usage text. */
export const LEADER_ELECTION_USAGE = `  --leader-elect[=false]      hold a Lease in kube-system before working, so one of
                              several processes leads (env KUBESIM_LEADER_ELECT; default true)
  --leader-elect-lease-duration D
                              how long a standby waits for an unrenewed lease
                              (env KUBESIM_LEADER_ELECT_LEASE_DURATION; default 15s, fast 3s)
  --leader-elect-renew-deadline D
                              how long the leader retries renewing before it steps down
                              (env KUBESIM_LEADER_ELECT_RENEW_DEADLINE; default 10s, fast 2s)
  --leader-elect-retry-period D
                              between tries to acquire or renew
                              (env KUBESIM_LEADER_ELECT_RETRY_PERIOD; default 2s, fast 500ms)
`;

/**
 * Takes the leader election flags out of argv, so the rest can go to a strict parseArgs:
 * `--leader-elect` is a boolean that also takes `=true`/`=false` (as upstream's flag does), the
 * others take a value (`--flag D` or `--flag=D`). Throws an Error for a flag missing its value.
 */
export function splitLeaderElectionFlags(argv: readonly string[]): { rest: string[]; flags: LeaderElectionFlags } {
  const rest: string[] = [];
  const flags: LeaderElectionFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(leader-elect(?:-lease-duration|-renew-deadline|-retry-period)?)(?:=(.*))?$/.exec(argv[i]);
    if (!m) {
      rest.push(argv[i]);
      continue;
    }
    const name = m[1] as keyof LeaderElectionFlags;
    if (name === 'leader-elect') flags[name] = m[2] ?? 'true';
    else if (m[2] !== undefined) flags[name] = m[2];
    else if (i + 1 < argv.length) flags[name] = argv[++i];
    else throw new Error(`option '--${name} <value>' argument missing`);
  }
  return { rest, flags };
}

/**
 * The leader election config from flag values, then KUBESIM_* variables, then the profile's
 * defaults. Durations are Go durations (`15s`, `500ms`, `1m`). Throws an Error on a bad value.
 */
export function leaderElectionConfig(flags: LeaderElectionFlags, env: NodeJS.ProcessEnv, profile: 'default' | 'fast'): LeaderElectionConfig {
  const value = (name: keyof LeaderElectionFlags) => flags[name] ?? env[FLAG_ENV[name]];
  const defaults = profile === 'fast' ? LEADER_ELECTION_FAST : LEADER_ELECTION_DEFAULTS;
  const elect = value('leader-elect') ?? 'true';
  if (elect !== 'true' && elect !== 'false') throw new Error(`--leader-elect must be true or false, not "${elect}"`);
  const duration = (name: keyof LeaderElectionFlags, fallback: number) => {
    const v = value(name);
    return v === undefined ? fallback : parseGoDuration(v, `--${name}`);
  };
  const config: LeaderElectionConfig = {
    leaderElect: elect === 'true',
    leaseDurationMs: duration('leader-elect-lease-duration', defaults.leaseDurationMs),
    renewDeadlineMs: duration('leader-elect-renew-deadline', defaults.renewDeadlineMs),
    retryPeriodMs: duration('leader-elect-retry-period', defaults.retryPeriodMs),
  };
  const problems = config.leaderElect ? leaderElectionProblems(config) : [];
  if (problems.length > 0) throw new Error(`leader election: ${problems.join('; ')}`);
  return config;
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1m30s`, `500ms`, `2.5s`) in milliseconds. */
function parseGoDuration(text: string, flag: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`${flag}: invalid duration "${text}" (e.g. 15s, 500ms)`);
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]], 0));
}
