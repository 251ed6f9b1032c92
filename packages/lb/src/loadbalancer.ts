/**
 * The load balancer (a cloud provider's job, run as its own process): every LoadBalancer
 * Service gets an external address from the range, written to `status.loadBalancer.ingress`
 * through the status subresource, and a listener there at each port that spreads connections
 * over the NodePorts of the Ready nodes its health checks find alive. A connect that fails is
 * retried on another node, so a dying node costs clients nothing.
 *
 * Addresses are stable: on start the Services' current statuses are read first and kept.
 */
import { setMaxListeners } from 'node:events';
import { connect, type NatsConnection } from 'nats';
import {
  ApiClient,
  Controller,
  EventRecorder,
  Informer,
  NatsTransport,
  clone,
  findResource,
  objectKey,
  realClock,
  stderrLog,
  type Clock,
  type DeepReadonly,
  type Endpoints,
  type LogFn,
  type Node,
  type ResourceClient,
  type Service,
} from '@kubesim/api';
import { NodeHealthChecker } from './health.js';
import { allocateAddress, parseRange, type AddressRange } from './ip-range.js';
import type { LoadBalancerConfig } from './lb-config.js';
import { hasOurIngress, ingressIP, lbListenerSpecs, readyNodes, wantsLoadBalancer, type LbNode } from './lb-plan.js';
import { ListenerSet } from './listeners.js';

export interface LoadBalancerOptions {
  clock?: Clock;
  log?: LogFn;
}

/** How often a Service waiting for a free address is looked at again. */
const PENDING_RETRY_MS = 5000;

interface Caches {
  services: Informer<Service>;
  endpoints: Informer<Endpoints>;
  nodes: Informer<Node>;
}

export class LoadBalancer {
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly range: AddressRange;
  private readonly listeners: ListenerSet;
  private readonly health: NodeHealthChecker;
  /** External address per Service key, the truth once decided (statuses may lag). */
  private readonly assigned = new Map<string, string>();
  private caches?: Caches;
  private controller?: Controller;
  private started = false;
  private done: Promise<void> = Promise.resolve();

  /** Validates the configuration; does no I/O. */
  constructor(
    private readonly config: LoadBalancerConfig,
    options: LoadBalancerOptions = {},
  ) {
    if (!config.natsUrl) throw new TypeError('a NATS URL is required');
    this.range = parseRange(config.addressRange);
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog('lb');
    const s = config.settings;
    this.listeners = new ListenerSet({ connectTimeoutMs: s.connectTimeoutMs, clock: this.clock, log: this.log });
    this.health = new NodeHealthChecker({
      port: config.healthCheckPort,
      intervalMs: s.healthCheckIntervalMs,
      timeoutMs: s.healthCheckTimeoutMs,
      unhealthyThreshold: s.unhealthyThreshold,
      healthyThreshold: s.healthyThreshold,
      onChange: () => this.enqueueAll(),
      clock: this.clock,
      log: this.log,
    });
  }

  /**
   * Connects, syncs Services, Endpoints and Nodes, takes over the addresses the statuses show
   * and starts serving. Resolves once running (or once `signal` aborted first).
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('load balancer already started');
    this.started = true;
    setMaxListeners(0, signal);
    const nc = await connect({ servers: this.config.natsUrl, maxReconnectAttempts: -1, waitOnFirstConnect: true, noAsyncTraces: true });
    const client = new ApiClient(new NatsTransport(nc));
    const servicesClient = client.resource<Service>(findResource('', 'v1', 'services')!);
    const caches: Caches = {
      services: new Informer<Service>(servicesClient, { clock: this.clock, log: this.log }),
      endpoints: new Informer<Endpoints>(client.resource(findResource('', 'v1', 'endpoints')!), { clock: this.clock, log: this.log }),
      nodes: new Informer<Node>(client.resource(findResource('', 'v1', 'nodes')!), { clock: this.clock, log: this.log }),
    };
    this.caches = caches;
    const events = new EventRecorder(client, { component: 'service-controller', log: this.log });
    const controller = new Controller({
      name: 'service-lb',
      clock: this.clock,
      log: this.log,
      reconcile: (key) => this.reconcile(key, caches, servicesClient, events),
    });
    this.controller = controller;
    this.watch(caches, controller);
    const informersDone = Promise.all([caches.services.start(signal), caches.endpoints.start(signal), caches.nodes.start(signal)]);
    let synced = true;
    for (const inf of [caches.services, caches.endpoints, caches.nodes] as Informer[]) synced = synced && (await inf.waitForSync(signal));
    if (synced) {
      this.claimCurrentAddresses(caches.services.list());
      this.refreshNodes();
    }
    const running = synced ? controller.start(signal) : Promise.resolve();
    if (synced) this.log('info', 'load balancer running', { addressRange: this.range.cidr, services: this.assigned.size });
    this.done = this.shutdown(nc, running, informersDone);
  }

  /** Resolves once stopped. */
  stopped(): Promise<void> {
    return this.done;
  }

  private watch(caches: Caches, controller: Controller): void {
    const enqueue = (o: DeepReadonly<Service | Endpoints>) => controller.enqueue(objectKey(o));
    caches.services.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_, cur) => enqueue(cur),
      // A freed address may be what a pending Service waits for.
      onDelete: (o) => (enqueue(o), this.enqueueAll()),
    });
    caches.endpoints.addEventHandler({ onAdd: enqueue, onUpdate: (_, cur) => enqueue(cur), onDelete: enqueue });
    const nodesChanged = () => this.refreshNodes();
    caches.nodes.addEventHandler({ onAdd: nodesChanged, onUpdate: nodesChanged, onDelete: nodesChanged });
  }

  /**
   * Before anything is reconciled, each Service keeps the address its status shows, oldest
   * Service first, so a restart changes no address and a duplicate goes to the younger one.
   */
  private claimCurrentAddresses(services: readonly DeepReadonly<Service>[]): void {
    const ours = services.filter((s) => wantsLoadBalancer(s) && ingressIP(s));
    ours.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || objectKey(a).localeCompare(objectKey(b)));
    const taken = new Set<string>();
    for (const svc of ours) {
      const ip = allocateAddress(this.range, taken, ingressIP(svc), svc.spec?.loadBalancerIP || undefined);
      if (ip !== ingressIP(svc)) continue;
      taken.add(ip!);
      this.assigned.set(objectKey(svc), ip!);
    }
  }

  /** Ready nodes into the health checker; every Service's backends follow. */
  private refreshNodes(): void {
    if (!this.caches?.nodes.hasSynced()) return;
    this.health.setTargets(readyNodes(this.caches.nodes.list()));
    this.enqueueAll();
  }

  private enqueueAll(): void {
    if (!this.caches || !this.controller) return;
    for (const svc of this.caches.services.list()) if (wantsLoadBalancer(svc) || this.assigned.has(objectKey(svc))) this.controller.enqueue(objectKey(svc));
  }

  /** Ready nodes passing their health checks; all Ready nodes when none passes (fail open). */
  private targets(): LbNode[] {
    const ready = readyNodes(this.caches?.nodes.list() ?? []);
    const healthy = ready.filter((n) => this.health.healthy(n.name));
    return healthy.length > 0 ? healthy : ready;
  }

  private async reconcile(key: string, caches: Caches, services: ResourceClient<Service>, events: EventRecorder): Promise<void | { requeueAfterMs: number }> {
    const svc = caches.services.get(key);
    if (!svc || !wantsLoadBalancer(svc)) {
      await this.release(key, svc, services, events);
      return;
    }
    const ip = this.address(key, svc, caches.services);
    if (!ip) {
      this.listeners.sync(key, []);
      const why = svc.spec?.loadBalancerIP ? `address ${svc.spec.loadBalancerIP} is not free in ${this.range.cidr}` : `no free address in ${this.range.cidr}`;
      void events.record(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: ${why}`);
      return { requeueAfterMs: PENDING_RETRY_MS };
    }
    this.assigned.set(key, ip);
    this.listeners.sync(key, lbListenerSpecs(svc, ip, this.targets(), caches.endpoints.get(key)));
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length === 1 && ingress[0].ip === ip) return;
    void events.record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    await this.writeIngress(services, svc, [{ ip, ipMode: 'VIP' }]);
    void events.record(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    this.log('info', 'external address assigned', { service: key, ip });
  }

  /** The Service's address: kept if it has one, else the requested or the lowest free one. */
  private address(key: string, svc: DeepReadonly<Service>, services: Informer<Service>): string | undefined {
    const taken = new Set<string>();
    for (const [other, ip] of this.assigned) if (other !== key) taken.add(ip);
    for (const other of services.list()) {
      const ip = ingressIP(other);
      if (ip && objectKey(other) !== key && !this.assigned.has(objectKey(other))) taken.add(ip);
    }
    return allocateAddress(this.range, taken, this.assigned.get(key) ?? ingressIP(svc), svc.spec?.loadBalancerIP || undefined);
  }

  /** No longer a LoadBalancer (or gone): stop listening and clear the address from the status. */
  private async release(key: string, svc: DeepReadonly<Service> | undefined, services: ResourceClient<Service>, events: EventRecorder): Promise<void> {
    this.listeners.sync(key, []);
    this.assigned.delete(key);
    if (!svc || !hasOurIngress(svc, this.range)) return;
    void events.record(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
    await this.writeIngress(services, svc, []);
    void events.record(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
  }

  private async writeIngress(services: ResourceClient<Service>, svc: DeepReadonly<Service>, ingress: { ip: string; ipMode: string }[]): Promise<void> {
    const next = clone(svc) as Service;
    next.status = { ...next.status, loadBalancer: ingress.length > 0 ? { ingress } : {} };
    await services.updateStatus(next);
  }

  private async shutdown(nc: NatsConnection, running: Promise<void>, informers: Promise<unknown>): Promise<void> {
    try {
      await running;
      await informers;
      this.health.stop();
      await this.listeners.close(this.config.settings.shutdownDrainMs);
    } finally {
      await nc.close().catch(() => undefined);
    }
  }
}
