/**
 * kube-proxy's health endpoint: `GET /healthz` on the node IP at port 10256, 200 while the proxy
 * is synced and 503 otherwise, with kube-proxy's JSON body. Load balancers check it to decide
 * whether a node gets traffic.
 */
import http from 'node:http';
import { realClock, type Clock, type ClockTimer, type LogFn } from '@kubesim/api';

export interface HealthzServerOptions {
  host: string;
  port: number;
  nodeName?: string;
  /** Whether the proxy currently serves what the API says. */
  healthy: () => boolean;
  /** First delay before listening again after a failed listen (default 1000), doubled per failure up to 30 s. */
  relistenMs?: number;
  clock?: Clock;
  log: LogFn;
}

/** The health HTTP server; listens until {@link close}, retrying while the port is taken. */
export class HealthzServer {
  private readonly server: http.Server;
  private readonly clock: Clock;
  private lastUpdated = new Date();
  private retry?: ClockTimer;
  private retryMs: number;
  private closed = false;

  constructor(private readonly options: HealthzServerOptions) {
    this.clock = options.clock ?? realClock;
    this.retryMs = options.relistenMs ?? 1000;
    this.server = http.createServer((req, res) => this.answer(req, res));
    this.server.on('error', (err: NodeJS.ErrnoException) => {
      options.log('warn', 'healthz cannot listen; retrying', { address: `${options.host}:${options.port}`, error: err.code ?? err.message, retryMs: this.retryMs });
      if (!this.closed) this.retry = this.clock.setTimeout(() => this.listen(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    });
    this.listen();
  }

  /** Records a successful sync (reported as `lastUpdated`). */
  touch(): void {
    this.lastUpdated = new Date();
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.retry) this.clock.clearTimeout(this.retry);
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private listen(): void {
    if (!this.closed) this.server.listen({ host: this.options.host, port: this.options.port });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/healthz' && path !== '/livez') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const healthy = this.options.healthy();
    const body = {
      lastUpdated: this.lastUpdated.toISOString(),
      currentTime: new Date().toISOString(),
      nodeName: this.options.nodeName ?? '',
      nodeHealthy: healthy,
    };
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify(body));
  }
}
