/**
 * The server end of a WebSocket (RFC 6455) used as a plain byte pipe, as kubectl's
 * `SPDY/3.1+portforward.k8s.io` tunnel uses it: binary message boundaries mean nothing, the
 * payloads concatenated are the SPDY byte stream. Only what that needs: no extensions, no text.
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** Close codes used here (RFC 6455 section 7.4.1). */
export const CloseCode = { NORMAL: 1000, PROTOCOL_ERROR: 1002, UNSUPPORTED_DATA: 1003, TOO_BIG: 1009 } as const;

/** The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key. */
export function webSocketAccept(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** Subprotocols a client offered in Sec-WebSocket-Protocol (one header, comma-separated). */
export function offeredSubprotocols(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Encodes one unmasked (server-to-client) frame. */
export function encodeWsFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  const head = Buffer.alloc(len < 126 ? 2 : len < 0x10000 ? 4 : 10);
  head[0] = (fin ? 0x80 : 0) | opcode;
  if (len < 126) head[1] = len;
  else if (len < 0x10000) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** One decoded client frame, payload unmasked. */
export interface WsFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A frame the client got wrong, with the close code to answer it with. */
export class WsProtocolError extends Error {
  constructor(
    message: string,
    readonly closeCode: number = CloseCode.PROTOCOL_ERROR,
  ) {
    super(message);
  }
}

/** Splits client bytes into frames; clients must mask (section 5.1). Keeps the partial tail. */
export class WsFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {}

  /** Appends `chunk`, returns the frames now complete. Throws WsProtocolError on bad input. */
  push(chunk: Buffer): WsFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: WsFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): WsFrame | undefined {
    const b = this.buf;
    if (b.length < 2) return undefined;
    if (b[0] & 0x70) throw new WsProtocolError('reserved bits set without a negotiated extension');
    if (!(b[1] & 0x80)) throw new WsProtocolError('client frames must be masked');
    let len = b[1] & 0x7f;
    let at = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      at = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(this.maxFrameBytes)) throw new WsProtocolError(`frame of ${big} bytes is too large`, CloseCode.TOO_BIG);
      len = Number(big);
      at = 10;
    }
    if (len > this.maxFrameBytes) throw new WsProtocolError(`frame of ${len} bytes is too large`, CloseCode.TOO_BIG);
    if (b.length < at + 4 + len) return undefined;
    const mask = b.subarray(at, at + 4);
    const payload = Buffer.from(b.subarray(at + 4, at + 4 + len));
    for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
    this.buf = b.subarray(at + 4 + len);
    const opcode = b[0] & 0x0f;
    const fin = (b[0] & 0x80) !== 0;
    if (opcode >= 0x8 && (!fin || len > 125)) throw new WsProtocolError('control frames must be whole and at most 125 bytes');
    return { fin, opcode, payload };
  }
}

/**
 * The tunnel as a byte Duplex over an upgraded socket: readable = the client's binary payloads,
 * writable = binary messages to the client. Pings are answered; a close is echoed and ends it.
 * Pauses the socket when the reader falls behind.
 */
export class WebSocketTunnel extends Duplex {
  private readonly parser = new WsFrameParser();
  private closeSent = false;
  private ended = false;

  constructor(private readonly socket: Socket) {
    super({ allowHalfOpen: false });
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('end', () => this.endReadable());
    socket.on('close', () => this.destroy());
    socket.on('error', () => this.destroy());
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.closeSent || this.socket.destroyed) return cb();
    // The socket buffers; Duplex's own highWaterMark turns that into back-pressure for writers.
    if (this.socket.write(encodeWsFrame(OP_BINARY, chunk))) cb();
    else this.socket.once('drain', () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.sendClose(CloseCode.NORMAL);
    cb();
  }

  override _read(): void {
    if (this.socket.isPaused()) this.socket.resume();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }

  /** Sends a close frame and half-closes the socket; the client then closes its end. */
  sendClose(code: number, reason = ''): void {
    if (this.closeSent || this.socket.destroyed) return;
    this.closeSent = true;
    const body = Buffer.alloc(2 + Buffer.byteLength(reason));
    body.writeUInt16BE(code, 0);
    body.write(reason, 2);
    this.socket.end(encodeWsFrame(OP_CLOSE, body.subarray(0, 125)));
  }

  private endReadable(): void {
    if (this.ended) return;
    this.ended = true;
    this.push(null);
  }

  private onBytes(chunk: Buffer): void {
    if (this.ended) return;
    let frames: WsFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.sendClose(err instanceof WsProtocolError ? err.closeCode : CloseCode.PROTOCOL_ERROR, (err as Error).message);
      this.endReadable();
      return;
    }
    for (const f of frames) {
      switch (f.opcode) {
        case OP_BINARY:
        case OP_CONTINUATION:
          if (f.payload.length > 0 && !this.push(f.payload)) this.socket.pause();
          break;
        case OP_PING:
          if (!this.closeSent) this.socket.write(encodeWsFrame(OP_PONG, f.payload));
          break;
        case OP_PONG:
          break;
        case OP_CLOSE:
          this.sendClose(CloseCode.NORMAL);
          this.endReadable();
          return;
        case OP_TEXT:
        default:
          // The tunnel carries SPDY bytes only (client-go rejects text messages the same way).
          this.sendClose(CloseCode.UNSUPPORTED_DATA, 'only binary messages are accepted');
          this.endReadable();
          return;
      }
    }
  }
}
