/**
 * A message-oriented server-side WebSocket (RFC 6455) for the streaming subresources whose
 * protocol gives message boundaries a meaning (exec's channel byte at the head of each message).
 * The wire format is websocket-frames.ts; this module adds fragment reassembly and a connection
 * that answers pings and the close handshake. No extensions are negotiated.
 */
import type { Duplex } from 'node:stream';
import { CloseCode, Opcode, WsFrameParser, WsProtocolError, closePayload, encodeWsFrame } from './websocket-frames.js';

/** What the reader yields: whole messages (fragments joined) and control frames. */
export type WebSocketEvent =
  | { type: 'message'; binary: boolean; data: Buffer }
  | { type: 'ping'; data: Buffer }
  | { type: 'pong'; data: Buffer }
  | { type: 'close'; code?: number; reason: string };

/**
 * Turns client bytes into events: frames from the shared parser (which unmasks them and insists
 * on the mask), fragmented messages joined, control frames passed through even between fragments.
 * A message larger than `maxMessageBytes` is an error (1009) rather than unbounded buffering.
 */
export class MessageReader {
  private readonly frames: WsFrameParser;
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private fragmentBinary?: boolean;

  constructor(private readonly maxMessageBytes = 16 << 20) {
    this.frames = new WsFrameParser(maxMessageBytes);
  }

  /** Parses what `chunk` completes; throws WsProtocolError on a malformed frame or sequence. */
  push(chunk: Buffer): WebSocketEvent[] {
    const out: WebSocketEvent[] = [];
    for (const f of this.frames.push(chunk)) {
      const ev = this.assemble(f.fin, f.opcode, f.payload);
      if (ev) out.push(ev);
    }
    return out;
  }

  private assemble(fin: boolean, opcode: number, payload: Buffer): WebSocketEvent | undefined {
    if (opcode === Opcode.PING) return { type: 'ping', data: payload };
    if (opcode === Opcode.PONG) return { type: 'pong', data: payload };
    if (opcode === Opcode.CLOSE) {
      if (payload.length === 1) throw new WsProtocolError('a close payload needs a two-byte code');
      return { type: 'close', code: payload.length >= 2 ? payload.readUInt16BE(0) : undefined, reason: payload.subarray(2).toString('utf8') };
    }
    if (opcode === Opcode.CONTINUATION) {
      if (this.fragmentBinary === undefined) throw new WsProtocolError('continuation without a message to continue');
    } else if (opcode === Opcode.TEXT || opcode === Opcode.BINARY) {
      if (this.fragmentBinary !== undefined) throw new WsProtocolError('a new message began before the last one ended');
      this.fragmentBinary = opcode === Opcode.BINARY;
    } else {
      throw new WsProtocolError(`unknown opcode ${opcode}`);
    }
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.maxMessageBytes) throw new WsProtocolError('message too large', CloseCode.TOO_BIG);
    this.fragments.push(payload);
    if (!fin) return undefined;
    const ev: WebSocketEvent = { type: 'message', binary: this.fragmentBinary!, data: Buffer.concat(this.fragments) };
    this.fragments = [];
    this.fragmentBytes = 0;
    this.fragmentBinary = undefined;
    return ev;
  }
}

/** Callbacks of a {@link WebSocketConnection}. */
export interface WebSocketHandlers {
  /** A whole data message from the peer. */
  message(data: Buffer, binary: boolean): void;
  /** The connection is gone (closed by either side, or broken); called once. */
  closed(): void;
}

/**
 * The server end of an upgraded connection. Answers pings (client-go's heartbeat waits for the
 * pongs) and the peer's close; `close()` starts the close handshake and ends the socket shortly
 * after, whether or not the peer answers.
 */
export class WebSocketConnection {
  private readonly parser = new MessageReader();
  private closing = false;
  private done = false;

  constructor(
    private readonly socket: Duplex,
    head: Buffer,
    private readonly on: WebSocketHandlers,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    // The HTTP server's sockets allow half-open connections: a client that is gone only shows as 'end'.
    socket.on('end', () => {
      this.socket.end();
      this.finish();
    });
    socket.on('error', () => this.finish());
    if (head.length > 0) this.receive(head);
  }

  /** True until the connection closes or its close handshake has begun. */
  get open(): boolean {
    return !this.closing && !this.done;
  }

  /** Sends a binary message; returns false while the socket's buffer is full (or when closed). */
  send(data: Uint8Array): boolean {
    if (!this.open) return false;
    return this.socket.write(encodeWsFrame(Opcode.BINARY, Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  }

  /** Sends a close frame and ends the socket; a peer that does not answer is cut off after 1 s. */
  close(code: number = CloseCode.NORMAL, reason = ''): void {
    if (!this.open) return;
    this.closing = true;
    this.socket.write(encodeWsFrame(Opcode.CLOSE, closePayload(code, reason)));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private receive(chunk: Buffer): void {
    if (this.done) return;
    let events: WebSocketEvent[];
    try {
      events = this.parser.push(chunk);
    } catch (err) {
      const code = err instanceof WsProtocolError ? err.closeCode : CloseCode.PROTOCOL_ERROR;
      this.close(code, (err as Error).message);
      this.finish();
      return;
    }
    for (const ev of events) {
      if (ev.type === 'message') {
        if (!this.closing) this.on.message(ev.data, ev.binary);
      } else if (ev.type === 'ping') {
        if (!this.closing) this.socket.write(encodeWsFrame(Opcode.PONG, ev.data));
      } else if (ev.type === 'close') {
        // Echo the peer's close (unless ours went first), then we are done.
        this.close(CloseCode.NORMAL);
        this.finish();
        return;
      }
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.closing = true;
    this.on.closed();
  }
}
