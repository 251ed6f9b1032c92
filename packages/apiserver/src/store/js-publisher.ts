/**
 * The store's JetStream publisher: publish to a stream subject, wait for the PubAck. It does what
 * `js.publish` does over the lean {@link ReplyMux}, since the library's per-message overhead
 * dominated the apiserver's CPU profile.
 */
import type { MsgHdrs, NatsConnection } from 'nats';
import { ReplyMux, ServiceUnavailableError } from '@kubesim/api';

/** A JetStream API error carried in a PubAck (e.g. err_code 10071, wrong last sequence). */
export class JetStreamPublishError extends Error {
  constructor(
    readonly errCode: number,
    readonly httpCode: number,
    description: string,
  ) {
    super(description);
  }
}

export class JsPublisher {
  private readonly mux: ReplyMux;

  constructor(nc: NatsConnection, timeoutMs = 10_000) {
    this.mux = new ReplyMux(nc, timeoutMs);
  }

  /** Publishes to a stream subject and resolves with the stored sequence. */
  async publish(subject: string, data: Uint8Array, headers?: MsgHdrs): Promise<number> {
    let reply;
    try {
      reply = await this.mux.request(subject, data, { headers });
    } catch (err) {
      throw new ServiceUnavailableError(`store unavailable: ${(err as Error).message}`);
    }
    let ack: any;
    try {
      ack = JSON.parse(Buffer.from(reply.data).toString('utf8'));
    } catch (err) {
      throw new ServiceUnavailableError(`store answered with a malformed ack: ${(err as Error).message}`);
    }
    if (ack.error) throw new JetStreamPublishError(ack.error.err_code ?? 0, ack.error.code ?? 500, ack.error.description ?? 'publish failed');
    return ack.seq;
  }

  close(): void {
    this.mux.close();
  }
}
