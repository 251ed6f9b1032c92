/**
 * The NATS adapter: msgpack ApiRequests on `kubesim.api.request` (queue group `apiserver`, so
 * several apiservers share the load), and watches on `kubesim.api.watch` whose frames go to the
 * client's inbox. A watch whose client stops sending keep-alives is dropped.
 */
import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection, Subscription } from 'nats';
import {
  BadRequestError,
  RequestEntityTooLargeError,
  SUBJECTS,
  decode,
  encode,
  type ApiResponse,
  type KubeObject,
  type NatsWatchAccepted,
  type NatsWatchFrame,
  type NatsWatchStart,
} from '@kubesim/api';
import { errorResponse, type ApiHandler } from './handler.js';
import type { WatchCache } from './store/watch-cache.js';
import { openWatch, type WatchSession, type WatchSettings } from './watch.js';
import { storedBytesOf } from './registry/stored-bytes.js';

export interface NatsApiSettings extends WatchSettings {
  keepaliveSeconds: number;
  heartbeatSeconds: number;
  /** Requests larger than this are refused with 413 (Kubernetes' 3 MiB body limit). */
  maxRequestBytes: number;
}

export class NatsApi {
  private readonly subs: Subscription[] = [];
  private readonly watches = new Map<string, { session: WatchSession; lastKeepalive: number }>();
  private reaper?: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly handler: ApiHandler,
    private readonly cache: WatchCache,
    private readonly settings: NatsApiSettings,
  ) {}

  start(): void {
    this.subs.push(this.nc.subscribe(SUBJECTS.request, { queue: SUBJECTS.queue, callback: (_e, m) => void this.onRequest(m) }));
    this.subs.push(this.nc.subscribe(SUBJECTS.watch, { queue: SUBJECTS.queue, callback: (_e, m) => void this.onWatch(m) }));
    this.subs.push(this.nc.subscribe('kubesim.api.watch.*.*', { callback: (_e, m) => this.onWatchControl(m) }));
    this.reaper = setInterval(() => this.reap(), 1000);
  }

  stop(): void {
    clearInterval(this.reaper);
    for (const s of this.subs) s.unsubscribe();
    for (const w of this.watches.values()) w.session.stop();
    this.watches.clear();
  }

  private async onRequest(m: Msg): Promise<void> {
    let res: ApiResponse;
    try {
      if (m.data.length > this.settings.maxRequestBytes) throw tooLarge(m.data.length, this.settings.maxRequestBytes);
      res = await this.handler.handle(decodeRequest(m.data));
    } catch (err) {
      res = errorResponse(err);
    }
    respond(m, res);
  }

  private async onWatch(m: Msg): Promise<void> {
    try {
      const start = decodeRequest(m.data) as unknown as NatsWatchStart;
      if (typeof start?.inbox !== 'string' || !start.inbox || typeof start.request !== 'object') {
        throw new BadRequestError('a watch start needs {request, inbox}');
      }
      const watchId = randomUUID();
      const inbox = start.inbox;
      let seq = 0;
      const publish = (frame: Omit<NatsWatchFrame, 'seq'>): boolean => {
        try {
          this.nc.publish(inbox, encode({ seq: ++seq, ...frame }));
          return true;
        } catch {
          return false;
        }
      };
      // Accept first, so the client knows the watch id before the first event arrives.
      const accepted: NatsWatchAccepted = {
        code: 200,
        watchId,
        keepaliveSeconds: this.settings.keepaliveSeconds,
        heartbeatSeconds: this.settings.heartbeatSeconds,
      };
      // Frames produced before the accept is sent wait, so the client sees the accept first.
      const pending: Omit<NatsWatchFrame, 'seq'>[] = [];
      let acked = false;
      const emit = (frame: Omit<NatsWatchFrame, 'seq'>): boolean => (acked ? publish(frame) : (pending.push(frame), true));
      const heartbeat = setInterval(() => emit({ heartbeat: true }), this.settings.heartbeatSeconds * 1000);
      const entry = { session: undefined as unknown as WatchSession, lastKeepalive: Date.now() };
      let session: WatchSession;
      try {
        session = await openWatch(
          this.cache,
          { ...start.request, verb: 'watch' },
          {
            send: (event) => emit({ event }),
            end: () => {
              clearInterval(heartbeat);
              this.watches.delete(watchId);
              emit({ end: true });
            },
          },
          this.settings,
        );
      } catch (err) {
        clearInterval(heartbeat);
        throw err;
      }
      entry.session = session;
      if (session.active) this.watches.set(watchId, entry);
      m.respond(encode(accepted));
      acked = true;
      for (const f of pending) publish(f);
    } catch (err) {
      respond(m, errorResponse(err));
    }
  }

  private onWatchControl(m: Msg): void {
    const [, , , watchId, op] = m.subject.split('.');
    const w = this.watches.get(watchId);
    if (!w) return;
    if (op === 'keepalive') w.lastKeepalive = Date.now();
    else if (op === 'cancel') w.session.stop();
  }

  private reap(): void {
    const limit = Date.now() - this.settings.keepaliveSeconds * 1000;
    for (const w of this.watches.values()) if (w.lastKeepalive < limit) w.session.stop();
  }
}

function decodeRequest(data: Uint8Array): any {
  try {
    return decode(data);
  } catch (err) {
    throw new BadRequestError(`the request could not be decoded: ${(err as Error).message}`);
  }
}

function respond(m: Msg, res: ApiResponse): void {
  if (!m.reply) return;
  try {
    const stored = storedBytesOf(res.body);
    if (stored) {
      const o = res.body as KubeObject;
      m.respond(encode({ code: res.code, stored, resourceVersion: o.metadata.resourceVersion, apiVersion: o.apiVersion, kind: o.kind }));
      return;
    }
    m.respond(encode(res));
  } catch (err) {
    // A reply too large for NATS: answer with a Status instead of leaving the caller to time out.
    m.respond(encode(errorResponse(err)));
  }
}

function tooLarge(size: number, limit: number) {
  return new RequestEntityTooLargeError(`Request entity too large: limit is ${limit}, got ${size} bytes`);
}
