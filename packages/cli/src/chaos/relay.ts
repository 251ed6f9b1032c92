/**
 * The per-node fault point for "cut this node off from NATS": a TCP relay between a node's
 * kubelet and proxy and nats-server. Normally it copies bytes both ways. While cut, it drops every
 * relayed connection and resets new ones at once, which the NATS clients see as a server gone
 * away; when the cut ends they reconnect through it. The cut is ordered through a control file
 * (an epoch-ms deadline), so it ends on time even if whoever ordered it died meanwhile.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Where the relay listens and where it relays to. */
export interface NatsRelayConfig {
  listenHost: string;
  listenPort: number;
  upstreamHost: string;
  upstreamPort: number;
  /** Polled for a cut deadline (see writeCutFile); absent: cuts only through cutUntil(). */
  controlFile?: string;
  /** How often the control file is read; 250 ms by default. */
  pollMs?: number;
}

/** Orders the relay reading `file` to stay cut until `untilMs` (epoch ms); atomic for readers. */
export function writeCutFile(file: string, untilMs: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ until: untilMs })}\n`);
  fs.renameSync(tmp, file);
}

/** The cut deadline in `file` (epoch ms), 0 when there is none or it cannot be read. */
export function readCutFile(file: string): number {
  try {
    const until = Number((JSON.parse(fs.readFileSync(file, 'utf8')) as { until?: unknown }).until);
    return Number.isFinite(until) ? until : 0;
  } catch {
    return 0;
  }
}

/** A TCP relay to nats-server that can be cut for a while. */
export class NatsRelay {
  private readonly sockets = new Set<net.Socket>();
  private cutEndsAt = 0;
  private server: net.Server | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly config: NatsRelayConfig) {
    for (const key of ['listenPort', 'upstreamPort'] as const) {
      const port = config[key];
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`${key} must be a port number, not ${port}`);
    }
    if (!config.listenHost || !config.upstreamHost) throw new TypeError('listenHost and upstreamHost are required');
  }

  /** True while connections are being refused. */
  get isCut(): boolean {
    return Date.now() < this.cutEndsAt;
  }

  /** The port it listens on (the one given, or the one chosen for port 0). */
  get port(): number {
    const addr = this.server?.address();
    return addr && typeof addr === 'object' ? addr.port : this.config.listenPort;
  }

  /** Listens; resolves once it does. Closes everything when `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const server = net.createServer((client) => this.relay(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.listenPort, this.config.listenHost, () => resolve());
    });
    if (this.config.controlFile) {
      this.timer = setInterval(() => this.readControl(), this.config.pollMs ?? 250);
      this.readControl();
    }
    signal.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Re-reads the control file now (e.g. on SIGUSR1) instead of at the next poll. */
  readControl(): void {
    if (this.config.controlFile) this.cutUntil(readCutFile(this.config.controlFile));
  }

  /** Cuts until `untilMs` (epoch ms): drops every relayed connection now. A past time ends a cut. */
  cutUntil(untilMs: number): void {
    const wasCut = this.isCut;
    this.cutEndsAt = untilMs;
    if (this.isCut && !wasCut) for (const s of this.sockets) s.destroy();
  }

  private relay(client: net.Socket): void {
    if (this.isCut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.config.upstreamPort, this.config.upstreamHost);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private close(): void {
    if (this.timer) clearInterval(this.timer);
    this.server?.close();
    for (const s of this.sockets) s.destroy();
  }
}
