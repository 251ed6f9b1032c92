/**
 * The controller-manager process: one NATS connection, one API client, one shared informer per
 * resource, and the selected controllers running on them until the stop signal.
 */
import { setMaxListeners } from 'node:events';
import { connect, type NatsConnection } from 'nats';
import { ApiClient, LeaderElector, leaderIdentity, NatsTransport, realClock, stderrLog, type Clock, type LogFn } from '@kubesim/api';
import type { ControllerManagerConfig } from './config.js';
import { CONTROLLERS } from './controllers/index.js';
import type { ControllerContext, ManagedController } from './controllers/context.js';
import { SharedInformerFactory } from './informers.js';

/** The Lease the controller-managers elect their leader through, in kube-system (upstream's name). */
const LEASE_NAME = 'kube-controller-manager';

/** Injected dependencies (all optional). */
export interface ControllerManagerOptions {
  clock?: Clock;
  /** Log of the manager; controllers get `log` tagged with their name. Default: stderr. */
  log?: LogFn;
}

/** The process's controllers, their informers and their connection, started and stopped together. */
export class ControllerManager {
  private readonly clock: Clock;
  private readonly log: LogFn;
  private done: Promise<void> = Promise.resolve();
  private started = false;

  /** Validates the configuration; does no I/O. */
  constructor(
    private readonly config: ControllerManagerConfig,
    options: ControllerManagerOptions = {},
  ) {
    if (!config.natsUrl) throw new TypeError('a NATS URL is required');
    for (const name of config.controllers) if (!(name in CONTROLLERS)) throw new TypeError(`unknown controller ${name}`);
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog('controller-manager');
  }

  /**
   * Connects, waits until this process may lead, starts the informers and, once they have synced,
   * the controllers. Resolves when the controllers run (or `signal` aborted while standing by);
   * {@link stopped} resolves once `signal` aborted and everything shut down, and rejects when
   * leadership was lost (the process then exits, as upstream's does).
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('controller-manager already started');
    this.started = true;
    const nc = await connect({ servers: this.config.natsUrl, maxReconnectAttempts: -1, waitOnFirstConnect: true, noAsyncTraces: true });
    const raw = new ApiClient(new NatsTransport(nc));
    const elector = this.elector(raw);
    // Controllers write through the fence: refused the instant leadership is no longer certain.
    const client = elector ? new ApiClient(elector.fence(raw.transport)) : raw;
    const leading = await this.lead(elector, signal);
    if (!leading) {
      this.done = this.shutdown(nc, [], undefined, elector, signal);
      return;
    }
    // Every informer and controller listens for the stop: dozens of listeners are expected.
    setMaxListeners(0, leading);
    const informers = new SharedInformerFactory(client, { clock: this.clock, log: this.tagged('informers') });
    const ctx: ControllerContext = {
      client,
      informers,
      clock: this.clock,
      log: (name) => this.tagged(name),
      settings: this.config.settings,
    };
    const controllers: ManagedController[] = this.config.controllers.map((name) => CONTROLLERS[name](ctx));
    informers.start(leading);
    const synced = await informers.waitForSync(leading);
    const runs = synced ? controllers.map((c) => c.run(leading)) : [];
    this.done = this.shutdown(nc, runs, informers, elector, signal);
    if (synced) this.log('info', 'controllers running', { controllers: this.config.controllers });
  }

  /** Resolves once the controllers and informers stopped and the connection closed; rejects if leadership was lost. */
  stopped(): Promise<void> {
    return this.done;
  }

  /**
   * With leader election, waits to hold the `kube-controller-manager` Lease in kube-system and
   * returns a signal that aborts when leadership ends; undefined if `signal` aborted first.
   * Without it, every process leads.
   */
  private async lead(elector: LeaderElector | undefined, signal: AbortSignal): Promise<AbortSignal | undefined> {
    if (!elector) return signal;
    this.log('info', 'waiting to lead', { lease: `kube-system/${LEASE_NAME}`, identity: elector.identity });
    return elector.run(signal);
  }

  private elector(client: ApiClient): LeaderElector | undefined {
    const le = this.config.leaderElection;
    if (!le?.leaderElect) return undefined;
    return new LeaderElector(client, {
      namespace: 'kube-system',
      name: LEASE_NAME,
      identity: leaderIdentity(),
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      clock: this.clock,
      log: this.tagged('leader-election'),
    });
  }

  private async shutdown(
    nc: NatsConnection,
    runs: Promise<void>[],
    informers: SharedInformerFactory | undefined,
    elector: LeaderElector | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await Promise.all(runs);
      await informers?.stopped();
      // The Lease is released (on a graceful stop) before the connection goes.
      await elector?.stopped();
    } finally {
      await nc.close().catch(() => undefined);
    }
    if (elector && !signal.aborted) {
      throw new Error(`leader election lost: ${elector.identity} no longer holds the Lease kube-system/${LEASE_NAME}`);
    }
  }

  private tagged(name: string): LogFn {
    return (level, message, fields) => this.log(level, message, { controller: name, ...fields });
  }
}
