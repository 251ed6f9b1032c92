/**
 * Request/reply over one shared reply subscription. nats.js's own `request` allocates a mux
 * entry, a timer and an Error object per call, even on success; on the API's hot paths that
 * cost more CPU than the work itself. Here a request is a map entry, and one sweep enforces
 * every timeout. A reply cannot arrive over a connection that broke, so everything in flight
 * fails at once when the connection drops, and callers retry over the next one instead of
 * waiting out the timeout.
 */
import { createInbox, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import { ServiceUnavailableError, TimeoutError } from '../errors.js';

/** A reply: its payload and headers. */
export interface Reply {
  data: Uint8Array;
  headers?: MsgHdrs;
}

interface Pending {
  resolve: (r: Reply) => void;
  reject: (err: Error) => void;
  deadline: number;
}

export class ReplyMux {
  private readonly prefix = createInbox();
  private readonly pending = new Map<number, Pending>();
  private readonly sub: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private next = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 30_000,
  ) {
    this.sub = nc.subscribe(`${this.prefix}.*`, { callback: (_err, msg) => this.onReply(msg.subject, msg.data, msg.headers) });
    this.sweeper = setInterval(() => this.sweep(), 250);
    this.sweeper.unref();
    void this.watchConnection();
  }

  /**
   * Publishes `data` with a private reply subject and resolves with the first reply. Rejects with
   * ServiceUnavailableError when nobody listens on `subject` (NATS no-responders) and with
   * TimeoutError after `timeoutMs`.
   */
  request(subject: string, data: Uint8Array, opts: { headers?: MsgHdrs; timeoutMs?: number } = {}): Promise<Reply> {
    const id = ++this.next;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, deadline: Date.now() + (opts.timeoutMs ?? this.timeoutMs) });
      try {
        this.nc.publish(subject, data, { reply: `${this.prefix}.${id}`, headers: opts.headers });
      } catch (err) {
        this.pending.delete(id);
        reject(new ServiceUnavailableError(`NATS publish failed: ${(err as Error).message}`));
      }
    });
  }

  /** Rejects everything in flight and stops listening. */
  close(): void {
    clearInterval(this.sweeper);
    try {
      this.sub.unsubscribe();
    } catch {
      // connection already closed
    }
    this.failPending('NATS connection closed');
  }

  /** Fails every request in flight when the connection drops or closes. */
  private async watchConnection(): Promise<void> {
    try {
      for await (const status of this.nc.status()) {
        if (status.type === 'disconnect') this.failPending('NATS connection lost before the reply');
      }
    } catch {
      // the status iterator ends with the connection either way
    }
    await this.nc.closed().catch(() => undefined);
    this.failPending('NATS connection closed');
  }

  private failPending(why: string): void {
    for (const p of this.pending.values()) p.reject(new ServiceUnavailableError(why));
    this.pending.clear();
  }

  private onReply(subject: string, data: Uint8Array, headers?: MsgHdrs): void {
    const id = Number(subject.slice(this.prefix.length + 1));
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    // A status-only 503 is the server saying nobody is subscribed to the subject.
    if (headers && headers.code === 503 && data.length === 0) p.reject(new ServiceUnavailableError(`no responders on ${subject}`));
    else p.resolve({ data, headers });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (p.deadline <= now) {
        this.pending.delete(id);
        p.reject(new TimeoutError('no reply in time'));
      }
    }
  }
}
