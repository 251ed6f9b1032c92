/**
 * SPDY/3 framing (draft 3, section 2.2), pure: bytes in, frames out, and back. Header blocks stay
 * compressed here; `spdy-headers.ts` owns the zlib stream they belong to.
 */

/** The SPDY version this module speaks; the stock kubectl (moby/spdystream) sends 3. */
export const SPDY_VERSION = 3;

/** Control frame types (section 2.6). */
export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** FLAG_FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS: the sender's half of the stream ends. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL on SYN_STREAM: the receiver may not send on the stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes (section 2.6.3). */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

/** GOAWAY status codes (section 2.6.6). */
export const GoAwayStatus = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

/** SETTINGS ids this server reads (section 2.6.4). */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

/** The initial per-stream flow-control window of SPDY/3 (section 2.6.8). */
export const DEFAULT_WINDOW = 64 * 1024;

/** One decoded frame. `headerBlock` is still zlib-compressed. */
export type SpdyFrame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  /** A control frame of another version or an unknown type; section 2.2 says to ignore unknown types. */
  | { type: 'unknown'; version: number; controlType: number };

/** A frame the peer got wrong: the session answers with RST_STREAM (a stream) or GOAWAY. */
export class SpdyProtocolError extends Error {
  constructor(
    message: string,
    readonly streamId = 0,
    readonly status: number = RstStatus.PROTOCOL_ERROR,
  ) {
    super(message);
  }
}

const HEADER_BYTES = 8;

/**
 * Splits a byte stream into frames. Feed it chunks as they arrive; it keeps the partial tail.
 * `maxFrameBytes` bounds what one frame may make it buffer (a frame's length field allows 16 MiB).
 */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes = 1 << 24) {}

  /** Appends `chunk` and returns every frame now complete. Throws SpdyProtocolError on bad input. */
  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.buf.length >= HEADER_BYTES) {
      const length = this.buf.readUInt32BE(4) & 0xffffff;
      if (length > this.maxFrameBytes) throw new SpdyProtocolError(`frame of ${length} bytes is too large`, 0, RstStatus.FRAME_TOO_LARGE);
      if (this.buf.length < HEADER_BYTES + length) break;
      frames.push(decodeFrame(this.buf.subarray(0, HEADER_BYTES + length)));
      this.buf = this.buf.subarray(HEADER_BYTES + length);
    }
    return frames;
  }
}

/** Decodes one whole frame (header and payload). */
export function decodeFrame(frame: Buffer): SpdyFrame {
  const first = frame.readUInt32BE(0);
  const flags = frame[4];
  const body = frame.subarray(HEADER_BYTES);
  if ((first & 0x80000000) === 0) {
    const streamId = first & 0x7fffffff;
    if (streamId === 0) throw new SpdyProtocolError('DATA frame on stream 0');
    return { type: 'data', streamId, flags, data: body };
  }
  const version = (first >>> 16) & 0x7fff;
  const controlType = first & 0xffff;
  if (version !== SPDY_VERSION) return { type: 'unknown', version, controlType };
  const need = (n: number) => {
    if (body.length < n) throw new SpdyProtocolError(`control frame type ${controlType} is too short (${body.length} bytes)`);
  };
  const id31 = (at: number) => body.readUInt32BE(at) & 0x7fffffff;
  switch (controlType) {
    case FrameType.SYN_STREAM:
      need(10);
      return { type: 'syn_stream', streamId: nonZero(id31(0)), associatedId: id31(4), priority: body[8] >> 5, flags, headerBlock: body.subarray(10) };
    case FrameType.SYN_REPLY:
      need(4);
      return { type: 'syn_reply', streamId: nonZero(id31(0)), flags, headerBlock: body.subarray(4) };
    case FrameType.HEADERS:
      need(4);
      return { type: 'headers', streamId: nonZero(id31(0)), flags, headerBlock: body.subarray(4) };
    case FrameType.RST_STREAM:
      need(8);
      return { type: 'rst_stream', streamId: nonZero(id31(0)), status: body.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      need(4);
      const count = body.readUInt32BE(0);
      if (body.length !== 4 + count * 8) throw new SpdyProtocolError(`SETTINGS frame length does not match its ${count} entries`);
      const entries = [];
      for (let i = 0; i < count; i++) {
        const at = 4 + i * 8;
        entries.push({ flags: body[at], id: body.readUInt32BE(at) & 0xffffff, value: body.readUInt32BE(at + 4) });
      }
      return { type: 'settings', flags, entries };
    }
    case FrameType.PING:
      need(4);
      return { type: 'ping', id: body.readUInt32BE(0) };
    case FrameType.GOAWAY:
      need(4);
      return { type: 'goaway', lastGoodStreamId: id31(0), status: body.length >= 8 ? body.readUInt32BE(4) : GoAwayStatus.OK };
    case FrameType.WINDOW_UPDATE:
      need(8);
      return { type: 'window_update', streamId: id31(0), delta: body.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', version, controlType };
  }
}

function nonZero(streamId: number): number {
  if (streamId === 0) throw new SpdyProtocolError('stream id 0 is not allowed');
  return streamId;
}

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  if (body.length > 0xffffff) throw new RangeError('control frame body over 16 MiB');
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32BE((0x8000 | SPDY_VERSION) * 0x10000 + type, 0);
  head.writeUInt32BE(flags * 0x1000000 + body.length, 4);
  return Buffer.concat([head, body]);
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** A DATA frame; `data` must be at most 16 MiB - 1. */
export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  if (data.length > 0xffffff) throw new RangeError('DATA frame over 16 MiB');
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE((fin ? FLAG_FIN : 0) * 0x1000000 + data.length, 4);
  return data.length === 0 ? head : Buffer.concat([head, data]);
}

/** A SYN_STREAM frame; `headerBlock` is already compressed. */
export function encodeSynStream(streamId: number, headerBlock: Buffer, opts: { associatedId?: number; priority?: number; flags?: number } = {}): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE((opts.associatedId ?? 0) & 0x7fffffff, 4);
  fixed[8] = ((opts.priority ?? 0) & 0x7) << 5;
  return controlFrame(FrameType.SYN_STREAM, opts.flags ?? 0, Buffer.concat([fixed, headerBlock]));
}

/** A SYN_REPLY frame; `headerBlock` is already compressed. */
export function encodeSynReply(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  return controlFrame(FrameType.SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([words(streamId & 0x7fffffff), headerBlock]));
}

/** A RST_STREAM frame. */
export function encodeRstStream(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.RST_STREAM, 0, words(streamId & 0x7fffffff, status));
}

/** A SETTINGS frame. */
export function encodeSettings(entries: { id: number; value: number; flags?: number }[]): Buffer {
  const body = Buffer.alloc(4 + entries.length * 8);
  body.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    body.writeUInt32BE((e.flags ?? 0) * 0x1000000 + (e.id & 0xffffff), 4 + i * 8);
    body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
  });
  return controlFrame(FrameType.SETTINGS, 0, body);
}

/** A PING frame (a reply echoes the peer's id). */
export function encodePing(id: number): Buffer {
  return controlFrame(FrameType.PING, 0, words(id));
}

/** A GOAWAY frame. */
export function encodeGoAway(lastGoodStreamId: number, status: number = GoAwayStatus.OK): Buffer {
  return controlFrame(FrameType.GOAWAY, 0, words(lastGoodStreamId & 0x7fffffff, status));
}

/** A WINDOW_UPDATE frame; `delta` is 1 … 2^31-1. */
export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  return controlFrame(FrameType.WINDOW_UPDATE, 0, words(streamId & 0x7fffffff, delta & 0x7fffffff));
}
