/**
 * The service proxy (kube-proxy's job) of one node, or of the machine's ClusterIPs: informers on
 * Services and Endpoints, and a reconcile per Service that turns the pair into listeners
 * ({@link listenerSpecs}). The data plane keeps running on the last known state while the
 * control plane is away.
 */
import { setMaxListeners } from 'node:events';
import { connect, type NatsConnection } from 'nats';
import {
  ApiClient,
  Controller,
  Informer,
  NatsTransport,
  findResource,
  objectKey,
  realClock,
  stderrLog,
  type Clock,
  type DeepReadonly,
  type Endpoints,
  type LogFn,
  type Service,
} from '@kubesim/api';
import { listenerSpecs, type ProxyScope } from './endpoints.js';
import { HealthzServer } from './healthz.js';
import { ListenerSet } from './listeners.js';
import type { ServiceProxyConfig } from './proxy-config.js';

export interface ServiceProxyOptions {
  clock?: Clock;
  log?: LogFn;
}

export class ServiceProxy {
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly scope: ProxyScope;
  private readonly listeners: ListenerSet;
  private synced = false;
  private started = false;
  private done: Promise<void> = Promise.resolve();

  /** Validates the configuration; does no I/O. */
  constructor(
    private readonly config: ServiceProxyConfig,
    options: ServiceProxyOptions = {},
  ) {
    if (!config.natsUrl) throw new TypeError('a NATS URL is required');
    if (!config.clusterIPs && !config.nodeIP) throw new TypeError('a proxy serves ClusterIPs, a node, or both');
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog(config.nodeName ? `proxy ${config.nodeName}` : 'proxy');
    this.scope = { clusterIPs: config.clusterIPs, nodeName: config.nodeName, nodeIP: config.nodeIP };
    this.listeners = new ListenerSet({ connectTimeoutMs: config.settings.connectTimeoutMs, clock: this.clock, log: this.log });
  }

  /**
   * Connects, syncs the informers and opens every Service's listeners. Resolves once serving
   * (or once `signal` aborted first); {@link stopped} resolves after shutdown.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('service proxy already started');
    this.started = true;
    setMaxListeners(0, signal);
    const healthz = this.startHealthz();
    const nc = await connect({ servers: this.config.natsUrl, maxReconnectAttempts: -1, waitOnFirstConnect: true, noAsyncTraces: true });
    const client = new ApiClient(new NatsTransport(nc));
    const services = new Informer<Service>(client.resource(findResource('', 'v1', 'services')!), { clock: this.clock, log: this.log });
    const endpoints = new Informer<Endpoints>(client.resource(findResource('', 'v1', 'endpoints')!), { clock: this.clock, log: this.log });
    const controller = new Controller({
      name: 'service-proxy',
      clock: this.clock,
      log: this.log,
      reconcile: async (key) => this.reconcile(key, services, endpoints),
    });
    const enqueue = (o: DeepReadonly<Service | Endpoints>) => controller.enqueue(objectKey(o));
    for (const inf of [services, endpoints] as Informer<Service | Endpoints>[]) {
      inf.addEventHandler({ onAdd: enqueue, onUpdate: (_, cur) => enqueue(cur), onDelete: enqueue });
    }
    const informersDone = Promise.all([services.start(signal), endpoints.start(signal)]);
    const synced = (await services.waitForSync(signal)) && (await endpoints.waitForSync(signal));
    // One pass over everything before reporting healthy; later changes come through the queue.
    if (synced) for (const svc of services.list()) this.reconcile(objectKey(svc), services, endpoints);
    this.synced = synced;
    healthz?.touch();
    const running = synced ? controller.start(signal) : Promise.resolve();
    if (synced) this.log('info', 'serving', { node: this.config.nodeName, nodeIP: this.config.nodeIP, clusterIPs: this.config.clusterIPs, listeners: this.listeners.entries().length });
    this.done = this.shutdown(nc, running, informersDone, healthz);
  }

  /** Resolves once stopped: listeners closed, open connections drained or cut. */
  stopped(): Promise<void> {
    return this.done;
  }

  /** Makes the listeners of one Service match its current spec and Endpoints. */
  private reconcile(key: string, services: Informer<Service>, endpoints: Informer<Endpoints>): void {
    this.listeners.sync(key, listenerSpecs(services.get(key), endpoints.get(key), this.scope));
  }

  private startHealthz(): HealthzServer | undefined {
    if (!this.config.nodeIP || !this.config.healthzPort) return undefined;
    return new HealthzServer({
      host: this.config.nodeIP,
      port: this.config.healthzPort,
      nodeName: this.config.nodeName,
      healthy: () => this.synced,
      clock: this.clock,
      log: this.log,
    });
  }

  private async shutdown(nc: NatsConnection, running: Promise<void>, informers: Promise<unknown>, healthz?: HealthzServer): Promise<void> {
    try {
      await running;
      await informers;
      this.synced = false;
      await this.listeners.close(this.config.settings.shutdownDrainMs);
    } finally {
      await healthz?.close();
      await nc.close().catch(() => undefined);
    }
  }
}
