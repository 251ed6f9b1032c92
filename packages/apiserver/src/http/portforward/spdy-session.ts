/**
 * The server side of a SPDY/3 connection over any byte Duplex (an upgraded socket, or the
 * WebSocket tunnel): the peer opens streams, this side replies, and each stream is a Node Duplex
 * so callers can `pipe` it with back-pressure both ways.
 */
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  DEFAULT_WINDOW,
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  FrameParser,
  GoAwayStatus,
  RstStatus,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SpdyProtocolError,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeWindowUpdate,
  type SpdyFrame,
} from './spdy-frames.js';
import { HeaderDeflater, HeaderInflater, encodeHeaderBlock, type SpdyHeaders } from './spdy-headers.js';

export interface SpdySessionOptions {
  /** Vets a new stream's headers: undefined accepts it, a string refuses it (RST_STREAM). */
  accept?: (headers: SpdyHeaders) => string | undefined;
  /** Largest DATA payload sent in one frame. */
  maxDataFrameBytes?: number;
}

/** One SPDY stream opened by the peer. Writable end = DATA to the peer; readable end = its DATA. */
export class SpdyStream extends Duplex {
  /** Bytes this side may still send before the peer's window is exhausted. */
  sendWindow: number;
  /** Bytes received and not yet handed back with WINDOW_UPDATE. */
  unacked = 0;
  remoteEnded = false;
  localEnded = false;
  resetByPeer = false;
  private windowWaiters: (() => void)[] = [];

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
    sendWindow: number,
  ) {
    super({ allowHalfOpen: true });
    this.sendWindow = sendWindow;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.session.sendData(this, chunk).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.session.sendFin(this);
    cb();
  }

  override _read(): void {
    this.session.streamWantsData(this);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.session.streamDestroyed(this);
    this.openWindow();
    cb(err);
  }

  /** Resolves once the send window may have opened (or the stream is gone). */
  windowOpened(): Promise<void> {
    return new Promise((resolve) => this.windowWaiters.push(resolve));
  }

  /** Wakes writers waiting for window. */
  openWindow(): void {
    for (const wake of this.windowWaiters.splice(0)) wake();
  }
}

/**
 * A server-side SPDY/3 session. Emits `stream` (SpdyStream) for each accepted stream and `close`
 * once, when the transport is gone. Never throws on peer input: protocol errors become
 * RST_STREAM (one stream) or GOAWAY (the session).
 */
export class SpdySession extends EventEmitter {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly blocked = new Set<SpdyStream>();
  private readonly maxDataFrameBytes: number;
  private inbox: Promise<void> = Promise.resolve();
  private lastPeerStreamId = 0;
  private initialSendWindow = DEFAULT_WINDOW;
  /**
   * moby/spdystream, which kubectl and the kubelet use, implements no flow control: it never sends
   * WINDOW_UPDATE and ignores ours. Waiting for window from it would stall every transfer after
   * 64 KiB, so send windows are honoured only once the peer has shown it keeps them (sent a
   * WINDOW_UPDATE); until then TCP back-pressure on the transport is what paces the sender.
   */
  private peerFlowControl = false;
  private goneAway = false;
  private closed = false;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly transport: Duplex,
    private readonly opts: SpdySessionOptions = {},
  ) {
    super();
    this.maxDataFrameBytes = opts.maxDataFrameBytes ?? 32 * 1024;
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('drain', () => this.wakeDrain());
    transport.on('end', () => this.close());
    transport.on('close', () => this.close());
    transport.on('error', () => this.close());
  }

  /** Ends the session: GOAWAY, then every stream and the transport are torn down. */
  close(status: number = GoAwayStatus.OK): void {
    if (this.closed) return;
    if (!this.transport.destroyed && this.transport.writable) this.transport.write(encodeGoAway(this.lastPeerStreamId, status));
    this.closed = true;
    for (const s of [...this.streams.values()]) s.destroy();
    this.streams.clear();
    this.blocked.clear();
    this.inflater.close();
    this.wakeDrain();
    this.transport.end();
    // A peer that never closes its side would keep the socket forever.
    setTimeout(() => this.transport.destroy(), 5_000).unref();
    this.emit('close');
  }

  /** Sends `chunk` as DATA frames, honouring back-pressure (and the window, see peerFlowControl). */
  async sendData(stream: SpdyStream, chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length; ) {
      if (this.closed || stream.resetByPeer || !this.streams.has(stream.id)) return;
      if (this.peerFlowControl && stream.sendWindow <= 0) {
        await stream.windowOpened();
        continue;
      }
      const n = Math.min(chunk.length - at, this.maxDataFrameBytes, this.peerFlowControl ? stream.sendWindow : Infinity);
      stream.sendWindow -= n;
      const ok = this.write(encodeData(stream.id, chunk.subarray(at, at + n)));
      at += n;
      if (!ok) await this.drained();
    }
  }

  /** Half-closes this side of `stream` (an empty DATA frame with FLAG_FIN). */
  sendFin(stream: SpdyStream): void {
    if (stream.localEnded || stream.resetByPeer || !this.streams.has(stream.id)) return;
    stream.localEnded = true;
    this.write(encodeData(stream.id, Buffer.alloc(0), true));
    this.forgetIfDone(stream);
  }

  /** The stream's reader wants more: lift back-pressure and return window to the peer. */
  streamWantsData(stream: SpdyStream): void {
    if (stream.unacked >= DEFAULT_WINDOW / 4 && !stream.remoteEnded && this.streams.has(stream.id)) {
      this.write(encodeWindowUpdate(stream.id, stream.unacked));
      stream.unacked = 0;
    }
    this.unblock(stream);
  }

  /** The stream was destroyed locally: cancel it at the peer unless it already ended both ways. */
  streamDestroyed(stream: SpdyStream): void {
    this.unblock(stream);
    if (!this.streams.has(stream.id)) return;
    this.streams.delete(stream.id);
    if (!stream.resetByPeer && !(stream.localEnded && stream.remoteEnded)) this.write(encodeRstStream(stream.id, RstStatus.CANCEL));
    this.maybeFinishGoAway();
  }

  private onBytes(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.protocolError(err);
      return;
    }
    for (const frame of frames) {
      // Header blocks inflate asynchronously; the chain keeps every frame in arrival order.
      this.inbox = this.inbox.then(() => this.onFrame(frame)).catch((err) => this.protocolError(err));
    }
  }

  private async onFrame(frame: SpdyFrame): Promise<void> {
    if (this.closed) return;
    switch (frame.type) {
      case 'syn_stream':
        return this.onSynStream(frame);
      case 'syn_reply':
      case 'headers':
        // Never acted on, but inflated all the same: the zlib stream spans every header block.
        await this.inflater.decode(frame.headerBlock, frame.streamId);
        return;
      case 'data':
        return this.onData(frame.streamId, frame.data, (frame.flags & FLAG_FIN) !== 0);
      case 'rst_stream':
        return this.onReset(frame.streamId);
      case 'settings':
        for (const e of frame.entries) if (e.id === SETTINGS_INITIAL_WINDOW_SIZE) this.setInitialWindow(e.value);
        return;
      case 'ping':
        // Odd ids are the client's (kubectl pings every 10 s on the WebSocket path); echo them.
        if (frame.id % 2 === 1) this.write(encodePing(frame.id));
        return;
      case 'goaway':
        this.goneAway = true;
        return this.maybeFinishGoAway();
      case 'window_update':
        return this.onWindowUpdate(frame.streamId, frame.delta);
      case 'unknown':
        return;
    }
  }

  private async onSynStream(frame: Extract<SpdyFrame, { type: 'syn_stream' }>): Promise<void> {
    const headers = await this.inflater.decode(frame.headerBlock, frame.streamId);
    const id = frame.streamId;
    if (id % 2 === 0 || id <= this.lastPeerStreamId) {
      this.write(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    this.lastPeerStreamId = id;
    const refusal = this.goneAway ? 'session is going away' : this.opts.accept?.(headers);
    if (refusal !== undefined) {
      this.write(encodeRstStream(id, RstStatus.REFUSED_STREAM));
      return;
    }
    const stream = new SpdyStream(this, id, headers, this.initialSendWindow);
    this.streams.set(id, stream);
    // The reply goes out before any DATA: spdystream drops DATA on a stream it has no reply for.
    this.write(encodeSynReply(id, this.deflater.deflate(encodeHeaderBlock({}))));
    if (frame.flags & FLAG_UNIDIRECTIONAL) stream.localEnded = true;
    if (frame.flags & FLAG_FIN) this.remoteEnd(stream);
    this.emit('stream', stream);
  }

  private onData(id: number, data: Buffer, fin: boolean): void {
    const stream = this.streams.get(id);
    if (!stream) {
      // Frames still in flight for a stream we reset are expected; only unknown ids are errors.
      if (id > this.lastPeerStreamId) this.write(encodeRstStream(id, RstStatus.INVALID_STREAM));
      return;
    }
    if (stream.remoteEnded) {
      this.write(encodeRstStream(id, RstStatus.STREAM_ALREADY_CLOSED));
      return;
    }
    if (data.length > 0 && !stream.destroyed) {
      stream.unacked += data.length;
      if (!stream.push(data)) this.block(stream);
    }
    if (fin) this.remoteEnd(stream);
  }

  private onReset(id: number): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.resetByPeer = true;
    this.streams.delete(id);
    stream.destroy();
    this.maybeFinishGoAway();
  }

  private onWindowUpdate(id: number, delta: number): void {
    // Stream 0 is SPDY/3.1's session window; this server sends SPDY/3 frames and keeps per-stream ones.
    if (id === 0 || delta === 0) return;
    this.peerFlowControl = true;
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.sendWindow += delta;
    if (stream.sendWindow > 0x7fffffff) {
      this.write(encodeRstStream(id, RstStatus.FLOW_CONTROL_ERROR));
      this.onReset(id);
      return;
    }
    stream.openWindow();
  }

  private setInitialWindow(value: number): void {
    const delta = value - this.initialSendWindow;
    this.initialSendWindow = value;
    for (const s of this.streams.values()) {
      s.sendWindow += delta;
      s.openWindow();
    }
  }

  private remoteEnd(stream: SpdyStream): void {
    stream.remoteEnded = true;
    stream.push(null);
    this.forgetIfDone(stream);
  }

  private forgetIfDone(stream: SpdyStream): void {
    if (stream.localEnded && stream.remoteEnded) {
      this.streams.delete(stream.id);
      this.maybeFinishGoAway();
    }
  }

  private maybeFinishGoAway(): void {
    if (this.goneAway && this.streams.size === 0) this.close();
  }

  private block(stream: SpdyStream): void {
    this.blocked.add(stream);
    this.transport.pause();
  }

  private unblock(stream: SpdyStream): void {
    if (!this.blocked.delete(stream)) return;
    if (this.blocked.size === 0 && !this.closed) this.transport.resume();
  }

  private write(frame: Buffer): boolean {
    if (this.closed || this.transport.destroyed || !this.transport.writable) return true;
    return this.transport.write(frame);
  }

  private drained(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wakeDrain(): void {
    for (const wake of this.drainWaiters.splice(0)) wake();
  }

  private protocolError(err: unknown): void {
    if (this.closed) return;
    if (err instanceof SpdyProtocolError && err.streamId !== 0) {
      this.write(encodeRstStream(err.streamId, err.status));
      const stream = this.streams.get(err.streamId);
      if (stream) {
        stream.resetByPeer = true; // no second RST from streamDestroyed
        this.streams.delete(err.streamId);
        stream.destroy();
      }
      return;
    }
    this.close(err instanceof SpdyProtocolError ? GoAwayStatus.PROTOCOL_ERROR : GoAwayStatus.INTERNAL_ERROR);
  }
}
