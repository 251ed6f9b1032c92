/**
 * SPDY/3 name/value header blocks (section 2.6.10): the plain encoding, and the one zlib stream
 * per direction that carries them, primed with the SPDY/3 dictionary and sync-flushed per block.
 */
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { SpdyProtocolError } from './spdy-frames.js';

/** Header names (lowercase, as SPDY/3 requires) to their values; SPDY joins repeats with NUL. */
export type SpdyHeaders = Record<string, string[]>;

/** Encodes headers as an uncompressed name/value block. Names are lowercased. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [name, values] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Decodes an uncompressed name/value block. Throws SpdyProtocolError if it is malformed. */
export function decodeHeaderBlock(block: Buffer, streamId = 0): SpdyHeaders {
  let at = 0;
  const take = (n: number): Buffer => {
    if (at + n > block.length) throw new SpdyProtocolError('header block is truncated', streamId);
    const out = block.subarray(at, at + n);
    at += n;
    return out;
  };
  const count = take(4).readUInt32BE(0);
  const headers: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = take(take(4).readUInt32BE(0)).toString('utf8');
    const value = take(take(4).readUInt32BE(0)).toString('utf8');
    if (name === '' || name !== name.toLowerCase()) throw new SpdyProtocolError(`header name ${JSON.stringify(name)} is empty or not lowercase`, streamId);
    if (headers[name]) throw new SpdyProtocolError(`header ${name} appears twice`, streamId);
    headers[name] = value.split('\0');
  }
  if (at !== block.length) throw new SpdyProtocolError('header block has trailing bytes', streamId);
  return headers;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: SpdyHeaders, name: string): string | undefined {
  return headers[name.toLowerCase()]?.[0];
}

/**
 * The sending half of header compression. It writes zlib "stored" (uncompressed) deflate blocks,
 * each sync-flushed as SPDY requires: valid zlib for every decompressor, no async zlib round trip
 * (so a SYN_REPLY is written in order with the DATA after it), and the blocks are a few bytes
 * anyway. The zlib header names the SPDY/3 dictionary, as the spec asks, though stored blocks
 * never refer to it.
 */
export class HeaderDeflater {
  private started = false;

  /** Compresses one header block, continuing this direction's zlib stream. */
  deflate(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window), FLG 0x20 (FDICT; 0x7820 is a multiple of 31), DICTID.
      parts.push(Buffer.from([0x78, 0x20]), u32(adler32(SPDY3_DICTIONARY)));
    }
    for (let at = 0; at === 0 || at < block.length; at += 0xffff) {
      const piece = block.subarray(at, at + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // BFINAL=0, BTYPE=00 (stored); the stream stays open for the next block
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
    }
    // An empty stored block, the marker zlib's Z_SYNC_FLUSH ends with. Go's flate reader hands
    // out a block's bytes only when it reaches the next block header; without the marker it
    // would read past this frame and fail with ErrUnexpectedEOF for good.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/**
 * The receiving half: one zlib inflate stream for the whole connection, since the peer's
 * compressor keeps its history across blocks. Blocks are inflated one at a time, in order.
 */
export class HeaderInflater {
  private readonly inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private out: Buffer[] = [];
  private outBytes = 0;
  private failure?: Error;
  private queue: Promise<unknown> = Promise.resolve();

  /** `maxBlockBytes` bounds one inflated block, so a zlib bomb cannot exhaust memory. */
  constructor(private readonly maxBlockBytes = 256 * 1024) {
    this.inflate.on('data', (chunk: Buffer) => {
      this.outBytes += chunk.length;
      if (this.outBytes <= this.maxBlockBytes) this.out.push(chunk);
    });
    this.inflate.on('error', (err) => {
      this.failure = err;
    });
  }

  /** Inflates one compressed header block and decodes it. Rejects with SpdyProtocolError. */
  decode(compressed: Buffer, streamId = 0): Promise<SpdyHeaders> {
    const next = this.queue.then(() => this.inflateBlock(compressed)).then((block) => decodeHeaderBlock(block, streamId));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Frees the zlib stream. */
  close(): void {
    this.inflate.destroy();
  }

  private inflateBlock(compressed: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      // Decompression failures are session errors (stream 0): the shared zlib stream is now unusable.
      if (this.failure) return reject(new SpdyProtocolError(`header decompression failed: ${this.failure.message}`));
      this.out = [];
      this.outBytes = 0;
      // A corrupt stream errors (and destroys) the inflater; the flush callback may then never run.
      const onError = (err: Error) => reject(new SpdyProtocolError(`header decompression failed: ${err.message}`));
      this.inflate.once('error', onError);
      this.inflate.write(compressed);
      this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.inflate.off('error', onError);
        if (this.failure) return reject(new SpdyProtocolError(`header decompression failed: ${this.failure.message}`));
        if (this.outBytes > this.maxBlockBytes) return reject(new SpdyProtocolError(`header block over ${this.maxBlockBytes} bytes`));
        resolve(Buffer.concat(this.out));
      });
    });
  }
}

/** Adler-32 (RFC 1950), the checksum zlib uses to name a dictionary. */
export function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
