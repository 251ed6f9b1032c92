/**
 * The WebSocket (RFC 6455) wire format as the server end needs it, shared by exec's message
 * connection (websocket.ts) and port-forward's byte tunnel (portforward/websocket.ts): the
 * handshake answer, unmasked server frames, and a parser of masked client frames. No extensions.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Frame opcodes (RFC 6455 section 5.2). */
export const Opcode = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

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

/** True when `req` asks to become a WebSocket (`Upgrade: websocket` with a key). */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' && typeof req.headers['sec-websocket-key'] === 'string';
}

/** The first of the client's offered subprotocols that the server supports, in the client's order. */
export function pickProtocol(offered: string | string[] | undefined, supported: readonly string[]): string | undefined {
  return offeredSubprotocols(offered).find((p) => supported.includes(p));
}

/** The `101 Switching Protocols` head that completes the handshake. */
export function handshakeResponse(key: string, protocol: string | undefined): string {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${webSocketAccept(key)}`];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The payload of a close frame: the code, then the UTF-8 reason (cut to fit a control frame). */
export function closePayload(code: number, reason = ''): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(code);
  return Buffer.concat([out, Buffer.from(reason, 'utf8').subarray(0, 123)]);
}
