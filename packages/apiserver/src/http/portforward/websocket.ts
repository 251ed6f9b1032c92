/**
 * The server end of a WebSocket used as a plain byte pipe, as kubectl's
 * `SPDY/3.1+portforward.k8s.io` tunnel uses it: binary message boundaries mean nothing, the
 * payloads concatenated are the SPDY byte stream. Only what that needs: no text messages.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { CloseCode, Opcode, WsFrameParser, WsProtocolError, closePayload, encodeWsFrame, type WsFrame } from '../websocket-frames.js';

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
    if (this.socket.write(encodeWsFrame(Opcode.BINARY, chunk))) cb();
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
    this.socket.end(encodeWsFrame(Opcode.CLOSE, closePayload(code, reason)));
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
        case Opcode.BINARY:
        case Opcode.CONTINUATION:
          if (f.payload.length > 0 && !this.push(f.payload)) this.socket.pause();
          break;
        case Opcode.PING:
          if (!this.closeSent) this.socket.write(encodeWsFrame(Opcode.PONG, f.payload));
          break;
        case Opcode.PONG:
          break;
        case Opcode.CLOSE:
          this.sendClose(CloseCode.NORMAL);
          this.endReadable();
          return;
        case Opcode.TEXT:
        default:
          // The tunnel carries SPDY bytes only (client-go rejects text messages the same way).
          this.sendClose(CloseCode.UNSUPPORTED_DATA, 'only binary messages are accepted');
          this.endReadable();
          return;
      }
    }
  }
}
