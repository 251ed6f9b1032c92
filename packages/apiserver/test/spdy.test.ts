/**
 * SPDY/3 framing, header compression and the server session, driven by a hand-rolled client over
 * a real TCP socket pair (no mocks), the way moby/spdystream and a flow-controlling peer talk.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FrameParser,
  RstStatus,
  decodeFrame,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  type SpdyFrame,
} from '../src/http/portforward/spdy-frames.js';
import { HeaderDeflater, HeaderInflater, adler32, decodeHeaderBlock, encodeHeaderBlock } from '../src/http/portforward/spdy-headers.js';
import { SPDY3_DICTIONARY } from '../src/http/portforward/spdy-dictionary.js';
import { SpdySession, type SpdyStream } from '../src/http/portforward/spdy-session.js';
import { WsFrameParser, encodeWsFrame, webSocketAccept } from '../src/http/websocket-frames.js';

describe('SPDY/3 frames', () => {
  const block = Buffer.from('compressed');
  it.each<[string, Buffer, Partial<SpdyFrame>]>([
    ['DATA', encodeData(5, Buffer.from('abc'), true), { type: 'data', streamId: 5, flags: 1 }],
    ['SYN_STREAM', encodeSynStream(7, block, { priority: 3, flags: 2 }), { type: 'syn_stream', streamId: 7, priority: 3, flags: 2, headerBlock: block }],
    ['SYN_REPLY', encodeSynReply(9, block, true), { type: 'syn_reply', streamId: 9, flags: 1, headerBlock: block }],
    ['RST_STREAM', encodeRstStream(3, RstStatus.CANCEL), { type: 'rst_stream', streamId: 3, status: 5 }],
    ['SETTINGS', encodeSettings([{ id: 7, value: 1000 }]), { type: 'settings', entries: [{ flags: 0, id: 7, value: 1000 }] }],
    ['PING', encodePing(11), { type: 'ping', id: 11 }],
    ['GOAWAY', encodeGoAway(13, 1), { type: 'goaway', lastGoodStreamId: 13, status: 1 }],
    ['WINDOW_UPDATE', encodeWindowUpdate(15, 4096), { type: 'window_update', streamId: 15, delta: 4096 }],
  ])('%s encodes and decodes', (_name, bytes, want) => {
    expect(decodeFrame(bytes)).toMatchObject(want);
  });

  it('writes control frames as version 3 with the type in the low half-word', () => {
    expect(encodePing(1).toString('hex')).toBe('80030006' + '00000004' + '00000001');
  });

  it('the parser reassembles frames split at any byte', () => {
    const bytes = Buffer.concat([encodeData(1, Buffer.alloc(1000, 7)), encodePing(3), encodeData(1, Buffer.alloc(0), true)]);
    const parser = new FrameParser();
    const frames = [];
    for (let i = 0; i < bytes.length; i += 37) frames.push(...parser.push(bytes.subarray(i, i + 37)));
    expect(frames.map((f) => f.type)).toEqual(['data', 'ping', 'data']);
    expect((frames[0] as any).data.length).toBe(1000);
  });

  it('rejects bad frames with a protocol error, never a crash', () => {
    expect(() => decodeFrame(encodeData(0, Buffer.alloc(1)))).toThrow(/stream 0/);
    expect(() => decodeFrame(Buffer.from('8003000100000002aaaa', 'hex'))).toThrow(/too short/);
    expect(() => new FrameParser(100).push(encodeData(1, Buffer.alloc(200)))).toThrow(/too large/);
    expect(decodeFrame(Buffer.from('8002000100000000', 'hex'))).toEqual({ type: 'unknown', version: 2, controlType: 1 });
  });
});

describe('SPDY/3 header blocks', () => {
  it('the dictionary is the 1423-byte one of the spec', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY3_DICTIONARY).toString(16)).toBe('e3c6a7c2');
  });

  it('name/value blocks round-trip, repeated values joined by NUL', () => {
    const h = { streamtype: ['data'], port: ['80'], multi: ['a', 'b'] };
    expect(decodeHeaderBlock(encodeHeaderBlock(h))).toEqual(h);
    expect(() => decodeHeaderBlock(encodeHeaderBlock({ Port: ['1'] }).fill(0x50, 8, 9))).toThrow(/lowercase/);
    expect(() => decodeHeaderBlock(Buffer.from('0000000500', 'hex'))).toThrow(/truncated/);
  });

  it('our stored-block compressor is one zlib stream any inflater with the dictionary reads', async () => {
    const deflater = new HeaderDeflater();
    const inflater = new HeaderInflater();
    for (const h of [{ a: ['1'] }, {}, { port: ['8080'], streamtype: ['error'], requestid: ['0'] }]) {
      expect(await inflater.decode(deflater.deflate(encodeHeaderBlock(h)))).toEqual(h);
    }
    inflater.close();
  });

  it('inflates what a real dictionary compressor sends (as Go does: one stream, sync flush per block)', async () => {
    const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const out: Buffer[] = [];
    deflate.on('data', (c: Buffer) => out.push(c));
    const compress = (b: Buffer) => new Promise<Buffer>((r) => (deflate.write(b), deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => r(Buffer.concat(out.splice(0))))));
    const inflater = new HeaderInflater();
    for (let i = 0; i < 3; i++) {
      const h = { port: ['80'], requestid: [String(i)], streamtype: ['data'] };
      expect(await inflater.decode(await compress(encodeHeaderBlock(h)))).toEqual(h);
    }
    inflater.close();
  });

  it('a corrupt block fails the decode, not the process', async () => {
    const inflater = new HeaderInflater();
    await expect(inflater.decode(Buffer.from('not zlib at all'))).rejects.toThrow(/decompression failed/);
    inflater.close();
  });
});

describe('WebSocket framing for the tunnel', () => {
  it('computes the RFC 6455 accept key', () => {
    expect(webSocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('unmasks client frames of every length encoding', () => {
    const mask = Buffer.from([1, 2, 3, 4]);
    const masked = (payload: Buffer) => {
      const f = encodeWsFrame(2, payload);
      const at = payload.length < 126 ? 2 : payload.length < 0x10000 ? 4 : 10;
      f[1] |= 0x80;
      const body = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]));
      return Buffer.concat([f.subarray(0, at), mask, body]);
    };
    for (const n of [5, 300, 70_000]) {
      const p = Buffer.alloc(n, 9);
      const [frame] = new WsFrameParser().push(masked(p));
      expect(frame.payload.equals(p)).toBe(true);
    }
    expect(() => new WsFrameParser().push(encodeWsFrame(2, Buffer.from('x')))).toThrow(/masked/);
  });
});

/** A SPDY client over a real socket: compresses its headers, collects the server's frames. */
class TestClient {
  readonly frames: SpdyFrame[] = [];
  private readonly parser = new FrameParser();
  private readonly deflater = new HeaderDeflater();
  private waiters: (() => void)[] = [];
  constructor(readonly sock: net.Socket) {
    sock.on('data', (c: Buffer) => {
      this.frames.push(...this.parser.push(c));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  open(id: number, headers: Record<string, string>): void {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]]));
    this.sock.write(encodeSynStream(id, this.deflater.deflate(encodeHeaderBlock(h))));
  }
  async until(pred: (frames: SpdyFrame[]) => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this.frames)) {
      if (Date.now() > deadline) throw new Error(`timed out; frames: ${this.frames.map((f) => f.type).join(',')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
  dataBytes(id: number): number {
    return this.frames.reduce((n, f) => n + (f.type === 'data' && f.streamId === id ? f.data.length : 0), 0);
  }
}

describe('SpdySession', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  async function pair(onStream: (s: SpdyStream) => void): Promise<{ client: TestClient; session: SpdySession }> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    const sock = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const serverSide = await accepted;
    const session = new SpdySession(serverSide, { accept: (h) => (h.port ? undefined : 'no port') });
    session.on('stream', onStream);
    cleanup.push(() => (sock.destroy(), serverSide.destroy(), server.close()));
    return { client: new TestClient(sock), session };
  }

  it('replies to a stream, echoes data back and half-closes in order', async () => {
    const { client } = await pair((s) => s.pipe(s));
    client.open(1, { port: '80', streamType: 'data' });
    client.sock.write(encodeData(1, Buffer.from('ping?')));
    client.sock.write(encodeData(1, Buffer.alloc(0), true));
    await client.until((fs) => fs.some((f) => f.type === 'data' && (f.flags & 1) === 1));
    expect(client.frames[0]).toMatchObject({ type: 'syn_reply', streamId: 1 });
    expect(client.dataBytes(1)).toBe(5);
  });

  it('refuses streams the accept hook rejects, and answers pings', async () => {
    const { client } = await pair(() => undefined);
    client.open(1, { streamType: 'data' });
    client.sock.write(encodePing(7));
    await client.until((fs) => fs.length >= 2);
    expect(client.frames).toEqual(expect.arrayContaining([{ type: 'rst_stream', streamId: 1, status: RstStatus.REFUSED_STREAM }, { type: 'ping', id: 7 }]));
  });

  it('sends freely to a peer without flow control (spdystream), in 32 KiB frames', async () => {
    const big = Buffer.alloc(1 << 20, 3);
    const { client } = await pair((s) => s.end(big));
    client.open(1, { port: '80' });
    await client.until((fs) => fs.some((f) => f.type === 'data' && (f.flags & 1) === 1));
    expect(client.dataBytes(1)).toBe(big.length);
  });

  it('honours the window once the peer has shown it keeps one', async () => {
    const big = Buffer.alloc(256 * 1024, 4);
    let stream!: SpdyStream;
    const { client } = await pair((s) => (stream = s));
    client.open(1, { port: '80' });
    await client.until((fs) => fs.some((f) => f.type === 'syn_reply'));
    client.sock.write(encodeWindowUpdate(1, 1)); // now it flow-controls: window 64 KiB + 1
    await new Promise((r) => setTimeout(r, 50));
    stream.end(big);
    await client.until((fs) => client.dataBytes(1) >= 64 * 1024 + 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(client.dataBytes(1)).toBe(64 * 1024 + 1);
    client.sock.write(encodeWindowUpdate(1, big.length));
    await client.until(() => client.dataBytes(1) === big.length);
  });

  it('returns window with WINDOW_UPDATE as it consumes data', async () => {
    const { client } = await pair((s) => s.resume());
    client.open(1, { port: '80' });
    client.sock.write(encodeData(1, Buffer.alloc(40 * 1024)));
    await client.until((fs) => fs.some((f) => f.type === 'window_update'));
    expect(client.frames.find((f) => f.type === 'window_update')).toMatchObject({ streamId: 1, delta: 40 * 1024 });
  });

  it('a reset from the peer destroys the stream; GOAWAY ends the session', async () => {
    let stream!: SpdyStream;
    const { client, session } = await pair((s) => (stream = s));
    const closed = new Promise((r) => session.once('close', r));
    client.open(1, { port: '80' });
    await client.until((fs) => fs.some((f) => f.type === 'syn_reply'));
    client.sock.write(encodeRstStream(1, RstStatus.CANCEL));
    await new Promise((r) => stream.once('close', r));
    client.sock.write(encodeGoAway(1));
    await closed;
  });

  it('garbage ends the session with GOAWAY(PROTOCOL_ERROR)', async () => {
    const { client, session } = await pair(() => undefined);
    const closed = new Promise((r) => session.once('close', r));
    client.sock.write(encodeSynStream(1, Buffer.from('definitely not zlib')));
    await closed;
    await client.until((fs) => fs.some((f) => f.type === 'goaway'));
    expect(client.frames.find((f) => f.type === 'goaway')).toMatchObject({ status: 1 });
  });
});
