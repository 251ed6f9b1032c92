/**
 * The HTTP transport: Kubernetes REST with JSON bodies, watches as newline-delimited JSON over a
 * chunked response. What kubectl-like tools use.
 */
import http from 'node:http';
import https from 'node:https';
import { errorFromStatus, ServiceUnavailableError } from '../errors.js';
import type { Status } from '../meta.js';
import { buildPath } from '../paths.js';
import { PATCH_CONTENT_TYPES, type ApiRequest, type ApiResponse, type WatchEvent } from '../protocol.js';
import { AsyncQueue } from '../async-queue.js';
import type { Transport, WatchStream } from './transport.js';

export interface HttpTransportOptions {
  /** e.g. `http://127.0.0.1:6443`. */
  server: string;
  timeoutMs?: number;
  /** Extra headers on every request (e.g. Authorization). */
  headers?: Record<string, string>;
}

const METHODS: Record<ApiRequest['verb'], string> = {
  get: 'GET',
  list: 'GET',
  watch: 'GET',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};

export class HttpTransport implements Transport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = new URL(options.server);
    this.agent = new (this.base.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 64 });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Full URL for a request, query string included. */
  url(req: ApiRequest): URL {
    const url = new URL(buildPath(req), this.base);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    if (req.verb === 'watch') url.searchParams.set('watch', 'true');
    return url;
  }

  request(req: ApiRequest): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const r = this.send(req, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ code: res.statusCode ?? 500, body: parseBody(text, res.headers['content-type']) });
        });
        res.on('error', reject);
      });
      r.on('error', (err) => reject(new ServiceUnavailableError(`cannot reach the apiserver at ${this.base.origin}: ${err.message}`)));
    });
  }

  /** GET of any path (discovery, /version, logs), returning status and raw text. */
  getRaw(path: string, headers: Record<string, string> = {}): Promise<{ code: number; text: string; contentType?: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, this.base);
      const r = (url.protocol === 'https:' ? https : http).request(
        url,
        { method: 'GET', agent: this.agent, headers: { ...this.options.headers, ...headers }, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ code: res.statusCode ?? 500, text: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'] }),
          );
        },
      );
      r.on('error', (err) => reject(new ServiceUnavailableError(`cannot reach the apiserver at ${this.base.origin}: ${err.message}`)));
      r.end();
    });
  }

  watch(req: ApiRequest): Promise<WatchStream> {
    return new Promise((resolve, reject) => {
      const r = this.send({ ...req, verb: 'watch' }, (res) => {
        if ((res.statusCode ?? 500) >= 400) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(errorFromStatus(parseBody(Buffer.concat(chunks).toString('utf8'), 'application/json') as Status)));
          return;
        }
        resolve(new HttpWatch(r, res));
      }, 0);
      r.on('error', (err) => reject(new ServiceUnavailableError(`cannot reach the apiserver at ${this.base.origin}: ${err.message}`)));
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private send(req: ApiRequest, onResponse: (res: http.IncomingMessage) => void, timeoutMs = this.timeoutMs): http.ClientRequest {
    const url = this.url(req);
    const headers: Record<string, string> = { Accept: 'application/json', ...this.options.headers };
    let payload: string | undefined;
    if (req.body !== undefined && req.verb !== 'get' && req.verb !== 'list' && req.verb !== 'watch') {
      payload = JSON.stringify(req.body);
      headers['Content-Type'] = req.verb === 'patch' ? PATCH_CONTENT_TYPES[req.patchType ?? 'merge'] : 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const mod = url.protocol === 'https:' ? https : http;
    const r = mod.request(url, { method: METHODS[req.verb], agent: this.agent, headers, timeout: timeoutMs || undefined }, onResponse);
    r.on('timeout', () => r.destroy(new Error('request timed out')));
    r.end(payload);
    return r;
  }
}

class HttpWatch implements WatchStream {
  private readonly queue: AsyncQueue<WatchEvent>;

  constructor(
    private readonly req: http.ClientRequest,
    res: http.IncomingMessage,
  ) {
    this.queue = new AsyncQueue<WatchEvent>(() => req.destroy());
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (!line) continue;
        try {
          this.queue.push(JSON.parse(line) as WatchEvent);
        } catch {
          this.queue.end();
        }
      }
    });
    res.on('end', () => this.queue.end());
    res.on('error', () => this.queue.end());
    res.on('close', () => this.queue.end());
  }

  close(): void {
    this.queue.end();
    this.req.destroy();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return this.queue;
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType && !contentType.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
