/**
 * The controller-manager process: one NATS connection, one API client, one shared informer per
 * resource, and the selected controllers running on them until the stop signal.
 */
import { setMaxListeners } from 'node:events';
import { connect, type NatsConnection } from 'nats';
import { ApiClient, NatsTransport, realClock, stderrLog, type Clock, type LogFn } from '@kubesim/api';
import type { ControllerManagerConfig } from './config.js';
import { CONTROLLERS } from './controllers/index.js';
import type { ControllerContext, ManagedController } from './controllers/context.js';
import { SharedInformerFactory } from './informers.js';

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
   * the controllers. Resolves when the controllers run; {@link stopped} resolves once `signal`
   * aborted and everything shut down.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('controller-manager already started');
    this.started = true;
    const nc = await connect({ servers: this.config.natsUrl, maxReconnectAttempts: -1, waitOnFirstConnect: true, noAsyncTraces: true });
    const client = new ApiClient(new NatsTransport(nc));
    const leading = await this.lead(signal);
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
    this.done = this.shutdown(nc, runs, informers);
    if (synced) this.log('info', 'controllers running', { controllers: this.config.controllers });
  }

  /** Resolves once the controllers and informers stopped and the connection closed. */
  stopped(): Promise<void> {
    return this.done;
  }

  /**
   * Leader election goes here. With several controller-managers, only the holder of the
   * `kube-controller-manager` Lease in kube-system may run controllers: this would acquire it,
   * keep renewing it, and return a signal that aborts when leadership is lost (the process then
   * exits, as upstream's does). Until then every process leads.
   */
  private async lead(signal: AbortSignal): Promise<AbortSignal> {
    return signal;
  }

  private async shutdown(nc: NatsConnection, runs: Promise<void>[], informers: SharedInformerFactory): Promise<void> {
    try {
      await Promise.all(runs);
      await informers.stopped();
    } finally {
      await nc.close().catch(() => undefined);
    }
  }

  private tagged(name: string): LogFn {
    return (level, message, fields) => this.log(level, message, { controller: name, ...fields });
  }
}
