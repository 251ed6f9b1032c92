/**
 * A TCP proxy for one listening address: each accepted connection is spliced to one backend and
 * bytes stream both ways with back-pressure (pipe), half-close kept (a FIN from one side ends
 * the other side's writing only). Nothing is buffered beyond the streams' own high-water marks.
 *
 * - Connect failures (refused, timeout) are retried on the next backend before a single byte of
 *   the client's is read, so the client never notices.
 * - The backend set is live: a removed backend gets no new connections while its open ones run
 *   to their end (connection draining).
 * - With no backends the address is not listened on at all, so clients are refused, the way
 *   kube-proxy rejects connections to a Service without endpoints.
 */
import net from 'node:net';
import { realClock, stderrLog, type Clock, type ClockTimer, type LogFn } from '@kubesim/api';
import { BackendPicker, backendKey, type Backend } from './backends.js';

export interface TcpProxyOptions {
  /** The exact address to listen on (never 0.0.0.0). */
  host: string;
  port: number;
  backends?: readonly Backend[];
  /** > 0: ClientIP session affinity with this idle timeout in seconds. */
  affinitySeconds?: number;
  /** Time allowed for connecting to one backend before the next is tried (default 1000). */
  connectTimeoutMs?: number;
  /** Source address of backend connections; see {@link SourceAddress}. */
  source?: SourceAddress;
  /** Names the listener in logs, e.g. `default/web:http (nodePort)`. */
  name?: string;
  /** First delay before listening again after a failed listen (default 1000), doubled per failure up to 30 s. */
  relistenMs?: number;
  clock?: Clock;
  log?: LogFn;
}

/** Counters since the proxy was created. */
export interface TcpProxyStats {
  accepted: number;
  /** Connections spliced to a backend. */
  forwarded: number;
  /** Backend connects that failed and moved on to another backend. */
  retried: number;
  /** Connections dropped because no backend could be reached. */
  failed: number;
  /** Spliced connections still open. */
  active: number;
}

/**
 * Where backend connections come from: an IP (a node proxy's node IP: the pod sees the node,
 * as behind kube-proxy's SNAT), or `client` (the client's own loopback address: the backend
 * sees who connected, as without SNAT). Unset: the kernel's choice.
 */
export type SourceAddress = string | 'client';

interface Splice {
  client: net.Socket;
  upstream: net.Socket;
  backend: string;
}

/** A backend whose connect failed is tried after the others for this long. */
const FAILED_BACKEND_PENALTY_MS = 2000;
/** Longest wait between attempts to listen on a taken address. */
const MAX_RELISTEN_MS = 30_000;
/** A failing backend is logged at most once per this period. */
const LOG_EVERY_MS = 5000;

export class TcpProxy {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  private readonly picker: BackendPicker;
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly connectTimeoutMs: number;
  private readonly relistenMs: number;
  private source?: SourceAddress;
  private readonly splices = new Set<Splice>();
  private readonly failedUntil = new Map<string, number>();
  private readonly loggedAt = new Map<string, number>();
  private readonly counters = { accepted: 0, forwarded: 0, retried: 0, failed: 0 };
  private server?: net.Server;
  private bound = false;
  private relistTimer?: ClockTimer;
  private relistDelayMs: number;
  private closed = false;
  private drainWaiters: (() => void)[] = [];

  /** Starts listening at once if there are backends. */
  constructor(options: TcpProxyOptions) {
    if (!net.isIP(options.host) || options.host === '0.0.0.0' || options.host === '::') throw new TypeError(`a proxy listens on one exact IP address, not ${JSON.stringify(options.host)}`);
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) throw new RangeError(`port must be 1-65535, got ${options.port}`);
    this.host = options.host;
    this.port = options.port;
    this.name = options.name ?? `${options.host}:${options.port}`;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog('tcp-proxy');
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1000;
    this.relistenMs = options.relistenMs ?? 1000;
    this.relistDelayMs = this.relistenMs;
    this.source = options.source;
    this.picker = new BackendPicker(options.backends ?? [], options.affinitySeconds ?? 0);
    this.syncListener();
  }

  /** Replaces the backend set; open connections to removed backends are left to finish. */
  setBackends(backends: readonly Backend[]): void {
    this.picker.setBackends(backends);
    for (const memo of [this.failedUntil, this.loggedAt]) for (const key of memo.keys()) if (!this.picker.has(key)) memo.delete(key);
    this.syncListener();
  }

  /** Changes the source address of new backend connections. */
  setSource(source: SourceAddress | undefined): void {
    this.source = source;
  }

  /** Changes ClientIP affinity (seconds; 0 turns it off). */
  setAffinity(seconds: number): void {
    this.picker.setAffinity(seconds);
  }

  backends(): readonly Backend[] {
    return this.picker.list();
  }

  /** True while the address is being listened on. */
  get listening(): boolean {
    return this.bound;
  }

  /** Open spliced connections, to one backend (`host:port`) or all. */
  activeConnections(backend?: string): number {
    if (backend === undefined) return this.splices.size;
    let n = 0;
    for (const s of this.splices) if (s.backend === backend) n++;
    return n;
  }

  stats(): TcpProxyStats {
    return { ...this.counters, active: this.splices.size };
  }

  /**
   * Stops listening at once, then waits up to `drainMs` (`Infinity`: as long as they last) for
   * open connections to finish before cutting the rest. Resolves when none is left.
   */
  async close(drainMs = 0): Promise<void> {
    this.closed = true;
    this.syncListener();
    if (this.splices.size > 0 && drainMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(drainMs) ? this.clock.setTimeout(resolve, drainMs) : undefined;
        this.drainWaiters.push(() => {
          if (timer) this.clock.clearTimeout(timer);
          resolve();
        });
      });
    }
    for (const s of this.splices) {
      s.client.destroy();
      s.upstream.destroy();
    }
    this.splices.clear();
  }

  /** Listens while there are backends and the proxy is open; stops listening otherwise. */
  private syncListener(): void {
    const want = !this.closed && this.picker.size > 0;
    if (want && !this.server) this.listen();
    if (!want && this.server) {
      // Closing the listening socket refuses new clients; accepted ones are ours to drain.
      this.server.close();
      this.server = undefined;
      this.bound = false;
    }
    if (!want && this.relistTimer) {
      this.clock.clearTimeout(this.relistTimer);
      this.relistTimer = undefined;
    }
  }

  private listen(): void {
    if (this.relistTimer) return;
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => this.accept(sock));
    this.server = server;
    server.on('error', (err: NodeJS.ErrnoException) => {
      if (this.server !== server) return;
      this.server = undefined;
      this.bound = false;
      const retryMs = this.relistDelayMs;
      this.relistDelayMs = Math.min(retryMs * 2, MAX_RELISTEN_MS);
      this.log('warn', 'cannot listen; retrying', { listener: this.name, address: `${this.host}:${this.port}`, error: err.code ?? err.message, retryMs });
      this.relistTimer = this.clock.setTimeout(() => {
        this.relistTimer = undefined;
        this.syncListener();
      }, retryMs);
    });
    server.listen({ host: this.host, port: this.port }, () => {
      // The backends may have gone while the listen was in flight.
      if (this.server !== server) server.close();
      else {
        this.bound = true;
        this.relistDelayMs = this.relistenMs;
      }
    });
  }

  private accept(client: net.Socket): void {
    this.counters.accepted++;
    client.on('error', () => undefined);
    const clientIp = client.remoteAddress ?? '';
    this.tryConnect(client, clientIp, this.candidates(clientIp), 0);
  }

  /** The picker's order, with backends that just failed to connect moved to the end. */
  private candidates(clientIp: string): Backend[] {
    const now = this.clock.now();
    const order = this.picker.order(clientIp, now);
    const penalized = (b: Backend) => (this.failedUntil.get(backendKey(b)) ?? 0) > now;
    return [...order.filter((b) => !penalized(b)), ...order.filter(penalized)];
  }

  private tryConnect(client: net.Socket, clientIp: string, candidates: Backend[], i: number): void {
    if (client.destroyed) return;
    if (i >= candidates.length) {
      this.counters.failed++;
      client.resetAndDestroy();
      return;
    }
    const backend = candidates[i];
    const upstream = net.connect({ host: backend.host, port: backend.port, allowHalfOpen: true, localAddress: this.localAddressFor(clientIp) });
    upstream.on('error', () => undefined);
    const timer = this.clock.setTimeout(() => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), this.connectTimeoutMs);
    const onFail = (err: NodeJS.ErrnoException) => {
      this.clock.clearTimeout(timer);
      upstream.destroy();
      this.backendFailed(backend, err);
      this.counters.retried++;
      this.tryConnect(client, clientIp, candidates, i + 1);
    };
    upstream.once('error', onFail);
    upstream.once('connect', () => {
      this.clock.clearTimeout(timer);
      upstream.removeListener('error', onFail);
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      this.failedUntil.delete(backendKey(backend));
      this.picker.remember(clientIp, backend, this.clock.now());
      this.splice(client, upstream, backend);
    });
  }

  /**
   * The address to bind a backend connection to. A client address is only taken when it is
   * loopback other than 127.0.0.1: all of 127.0.0.0/8 is local on Linux, and for 127.0.0.1 the
   * kernel's own choice is the same (and picks ports per destination, which binding cannot).
   */
  private localAddressFor(clientIp: string): string | undefined {
    if (this.source !== 'client') return this.source;
    return clientIp.startsWith('127.') && clientIp !== '127.0.0.1' ? clientIp : undefined;
  }

  private backendFailed(backend: Backend, err: NodeJS.ErrnoException): void {
    const key = backendKey(backend);
    const now = this.clock.now();
    this.failedUntil.set(key, now + FAILED_BACKEND_PENALTY_MS);
    if (now - (this.loggedAt.get(key) ?? -Infinity) < LOG_EVERY_MS) return;
    this.loggedAt.set(key, now);
    this.log('info', 'backend connect failed; trying another', { listener: this.name, backend: key, node: backend.nodeName, error: err.code ?? err.message });
  }

  /** Streams both ways; an error on one side resets the other, so a cut is never mistaken for an end. */
  private splice(client: net.Socket, upstream: net.Socket, backend: Backend): void {
    this.counters.forwarded++;
    const s: Splice = { client, upstream, backend: backendKey(backend) };
    this.splices.add(s);
    let open = 2;
    const closed = () => {
      if (--open > 0) return;
      this.splices.delete(s);
      if (this.splices.size === 0) this.drainWaiters.splice(0).forEach((w) => w());
    };
    client.on('close', closed);
    upstream.on('close', closed);
    client.on('error', () => reset(upstream));
    upstream.on('error', () => reset(client));
    upstream.pipe(client);
    client.pipe(upstream);
  }
}

function reset(sock: net.Socket): void {
  if (!sock.destroyed) sock.resetAndDestroy();
}
