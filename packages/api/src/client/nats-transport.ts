/**
 * The NATS transport: msgpack-encoded ApiRequests over request/reply, and watches as frames
 * published to a private inbox, kept alive in both directions.
 */
import { createInbox, type NatsConnection, type Subscription } from 'nats';
import { decode, encode } from '../codec.js';
import { errorFromStatus, ServiceUnavailableError, TimeoutError } from '../errors.js';
import type { KubeObject, Status } from '../meta.js';
import {
  SUBJECTS,
  type ApiRequest,
  type ApiResponse,
  type NatsWatchAccepted,
  type NatsWatchFrame,
  type NatsWatchStart,
  type WatchEvent,
} from '../protocol.js';
import { AsyncQueue } from '../async-queue.js';
import { ReplyMux } from './reply-mux.js';
import type { Transport, WatchStream } from './transport.js';

export interface NatsTransportOptions {
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

/** Talks to the apiserver over an open NATS connection (which the caller owns). */
export class NatsTransport implements Transport {
  /** Pages of 1000 typical objects stay well under the cluster's 8 MiB NATS max_payload. */
  readonly listPageSize = 1000;
  private readonly timeoutMs: number;
  private readonly mux: ReplyMux;

  constructor(
    private readonly nc: NatsConnection,
    options: NatsTransportOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.mux = new ReplyMux(nc, this.timeoutMs);
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    let reply;
    try {
      reply = await this.mux.request(SUBJECTS.request, encode(req));
    } catch (err) {
      throw natsError(err);
    }
    return expandStored(decode<ApiResponse>(reply.data));
  }

  async watch(req: ApiRequest): Promise<WatchStream> {
    const inbox = createInbox();
    // Subscribe before asking, so no frame published right after the accept is missed.
    const sub = this.nc.subscribe(inbox);
    let reply: NatsWatchAccepted | ApiResponse;
    try {
      const start: NatsWatchStart = { request: req, inbox };
      const msg = await this.nc.request(SUBJECTS.watch, encode(start), { timeout: this.timeoutMs });
      reply = decode<NatsWatchAccepted | ApiResponse>(msg.data);
    } catch (err) {
      sub.unsubscribe();
      throw natsError(err);
    }
    if (!('watchId' in reply)) {
      sub.unsubscribe();
      throw errorFromStatus(reply.body as Status);
    }
    return new NatsWatch(this.nc, sub, reply);
  }

  async close(): Promise<void> {
    // The connection belongs to the caller; only our reply subscription is ours to end.
    this.mux.close();
  }
}

class NatsWatch implements WatchStream {
  private readonly queue: AsyncQueue<WatchEvent>;
  private readonly keepalive: NodeJS.Timeout;
  private readonly liveness: NodeJS.Timeout;
  private lastFrameAt = Date.now();
  private expectedSeq = 1;

  constructor(
    private readonly nc: NatsConnection,
    private readonly sub: Subscription,
    private readonly accepted: NatsWatchAccepted,
  ) {
    this.queue = new AsyncQueue<WatchEvent>(() => this.stop());
    const kaMs = Math.max(200, (accepted.keepaliveSeconds * 1000) / 3);
    this.keepalive = setInterval(() => this.publish(SUBJECTS.watchKeepalive(accepted.watchId)), kaMs);
    // No frame for three heartbeats: the apiserver is gone; end so the caller re-watches elsewhere.
    const deadMs = accepted.heartbeatSeconds * 3000;
    this.liveness = setInterval(() => {
      if (Date.now() - this.lastFrameAt > deadMs) this.queue.end();
    }, Math.max(100, deadMs / 3));
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for await (const msg of this.sub) {
        this.lastFrameAt = Date.now();
        const frame = decode<NatsWatchFrame>(msg.data);
        if (frame.seq !== this.expectedSeq) break; // a frame was dropped: end, caller resumes from its last RV
        this.expectedSeq++;
        if ('end' in frame) break;
        if ('event' in frame) this.queue.push(frame.event);
      }
    } catch {
      // connection closed or garbage frame: end the stream
    }
    this.queue.end();
  }

  private publish(subject: string): void {
    try {
      this.nc.publish(subject);
    } catch {
      this.queue.end();
    }
  }

  private stop(): void {
    clearInterval(this.keepalive);
    clearInterval(this.liveness);
    this.publish(SUBJECTS.watchCancel(this.accepted.watchId));
    try {
      this.sub.unsubscribe();
    } catch {
      // already closed
    }
  }

  close(): void {
    this.queue.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return this.queue;
  }
}

/** Rebuilds the body of a reply that carries the stored bytes of an object (see ApiResponse.stored). */
function expandStored(res: ApiResponse): ApiResponse {
  if (!res.stored) return res;
  const { apiVersion: _a, kind: _k, ...rest } = decode<KubeObject>(res.stored);
  const body: KubeObject = { apiVersion: res.apiVersion, kind: res.kind, ...rest, metadata: { ...rest.metadata, resourceVersion: res.resourceVersion } };
  return { code: res.code, body };
}

function natsError(err: unknown): Error {
  if (err instanceof ServiceUnavailableError) return new ServiceUnavailableError('no apiserver is answering on NATS');
  if (err instanceof TimeoutError) return new TimeoutError('the apiserver did not answer in time');
  const code = (err as { code?: string }).code;
  if (code === '503') return new ServiceUnavailableError('no apiserver is answering on NATS');
  if (code === 'TIMEOUT') return new TimeoutError('the apiserver did not answer in time');
  return new ServiceUnavailableError(`NATS request failed: ${(err as Error).message}`);
}
