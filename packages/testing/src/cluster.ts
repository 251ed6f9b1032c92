import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from 'nats';
import { ApiClient, HttpTransport, NatsTransport } from '@kubesim/api';
import { freePort, waitForPort } from './ports.js';
import { natsServerBinary, TestProcess } from './process.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Path of a built entry point in the repo, e.g. `packages/apiserver/dist/main.js`. */
export function repoPath(rel: string): string {
  return path.join(REPO, rel);
}

/** A real nats-server with JetStream, on a free port, with its store in a temp dir. */
export class NatsServer {
  proc!: TestProcess;
  port = 0;
  readonly storeDir: string;

  constructor(storeDir?: string) {
    this.storeDir = storeDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-nats-'));
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts, on the same port and store) the server. */
  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const conf = path.join(this.storeDir, 'nats.conf');
    fs.writeFileSync(
      conf,
      `listen: 127.0.0.1:${this.port}\nmax_payload: 8MB\njetstream {\n  store_dir: "${this.storeDir}"\n}\n`,
    );
    this.proc = new TestProcess('nats-server', natsServerBinary(), ['-c', conf]);
    await waitForPort('127.0.0.1', this.port);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.proc?.kill(signal);
  }
}

export interface ApiserverOptions {
  /** The NATS URL, or a function giving it at start (when the nats-server's port is not known yet). */
  natsUrl: string | (() => string);
  port?: number;
  /** Extra flags for the apiserver. */
  args?: string[];
}

/** The apiserver as a real process (`packages/apiserver/dist/main.js`). */
export class ApiserverProcess {
  proc!: TestProcess;
  port = 0;

  constructor(private readonly options: ApiserverOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = this.options.port ?? (await freePort());
    this.proc = new TestProcess('apiserver', process.execPath, [
      repoPath('packages/apiserver/dist/main.js'),
      '--nats-url',
      typeof this.options.natsUrl === 'function' ? this.options.natsUrl() : this.options.natsUrl,
      '--port',
      String(this.port),
      '--bind-address',
      '127.0.0.1',
      ...(this.options.args ?? []),
    ]);
    await waitReady(this.url, this.proc);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.proc?.kill(signal);
  }
}

async function waitReady(url: string, proc: TestProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`${proc.name} exited during start:\n${proc.log}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.log}`);
}

/** A nats-server and an apiserver, plus clients over both transports. */
export class TestControlPlane {
  readonly nats: NatsServer;
  readonly apiserver: ApiserverProcess;
  nc!: NatsConnection;
  /** Client over NATS (msgpack). */
  natsClient!: ApiClient;
  /** Client over HTTP (JSON). */
  httpClient!: ApiClient;

  constructor(apiserverArgs: string[] = []) {
    this.nats = new NatsServer();
    this.apiserver = new ApiserverProcess({ natsUrl: () => this.nats.url, args: apiserverArgs });
  }

  async start(): Promise<this> {
    await this.nats.start();
    await this.apiserver.start();
    this.nc = await connect({ servers: this.nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100, noAsyncTraces: true });
    // Short timeouts: a request in flight to a killed apiserver fails fast and is retried.
    this.natsClient = new ApiClient(new NatsTransport(this.nc, { timeoutMs: 5_000 }));
    this.httpClient = new ApiClient(new HttpTransport({ server: this.apiserver.url, timeoutMs: 10_000 }));
    return this;
  }

  async stop(): Promise<void> {
    await this.httpClient?.close();
    await this.nc?.close().catch(() => undefined);
    await this.apiserver.stop();
    await this.nats.stop();
    fs.rmSync(this.nats.storeDir, { recursive: true, force: true });
  }
}
