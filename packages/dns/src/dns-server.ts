/**
 * The cluster DNS component (CoreDNS with its kubernetes plugin): informers on Services,
 * Endpoints and Pods feed the zone; UDP and TCP sockets answer from it.
 */
import { connect, type NatsConnection } from 'nats';
import { ApiClient, NatsTransport, realClock, stderrLog, type Clock, type LogFn } from '@kubesim/api';
import { InformerClusterView } from './cluster-view.js';
import { configProblems, DEFAULTS, profileConfig, type DnsConfig } from './config.js';
import { answerPacket } from './handler.js';
import { DnsListener } from './listener.js';
import { KubernetesZone } from './zone/kubernetes-zone.js';

export interface DnsServerOptions {
  clock?: Clock;
  log?: LogFn;
}

export class DnsServer {
  readonly config: DnsConfig;
  private readonly clock: Clock;
  private readonly log: LogFn;
  private boundPort?: number;

  /** Validates and fills the config; no I/O. Throws an Error listing every problem. */
  constructor(config: Partial<DnsConfig> = {}, options: DnsServerOptions = {}) {
    this.config = { ...profileConfig(config.profile ?? DEFAULTS.profile), ...config };
    const problems = configProblems(this.config);
    if (problems.length > 0) throw new Error(`invalid DNS server config: ${problems.join('; ')}`);
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog('dns');
  }

  /** The port both sockets listen on, once `start` has bound them (useful with port 0). */
  get port(): number | undefined {
    return this.boundPort;
  }

  /**
   * Connects to NATS, binds the sockets and serves until `signal` aborts; resolves once stopped.
   * Until the caches have synced, names in the domain get SERVFAIL rather than a false NXDOMAIN.
   * Rejects if NATS cannot be reached at all or the address and port cannot be bound.
   */
  async start(signal: AbortSignal): Promise<void> {
    const nc = await connect({ servers: this.config.natsUrl, maxReconnectAttempts: -1, noAsyncTraces: true });
    try {
      await this.serve(new ApiClient(new NatsTransport(nc)), signal);
    } finally {
      await closeQuietly(nc);
    }
  }

  private async serve(client: ApiClient, signal: AbortSignal): Promise<void> {
    const { address, domain, ttl, podMode } = this.config;
    const view = new InformerClusterView(client, { clock: this.clock, log: this.log, backoffMaxMs: this.config.backoffMaxMs });
    const zone = new KubernetesZone({ domain, ttl, podMode, nameserverAddress: address });
    const listener = new DnsListener({
      address,
      port: this.config.port,
      log: this.log,
      handler: (packet, transport) => answerPacket(packet, transport, (q) => zone.answer(q, view)),
    });
    this.boundPort = await listener.listen();
    this.log('info', 'listening', { address, port: this.boundPort, domain });
    try {
      const informers = view.start(signal);
      if (await view.waitForSync(signal)) this.log('info', 'caches synced; serving');
      await informers;
    } finally {
      await listener.close();
      this.log('info', 'stopped');
    }
  }
}

async function closeQuietly(nc: NatsConnection): Promise<void> {
  try {
    await nc.close();
  } catch {
    // already closed
  }
}
