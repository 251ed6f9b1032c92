/**
 * The message-oriented WebSocket that `pods/exec` speaks: handshake answer, client frames
 * (masked, fragmented, with control frames between fragments), and a connection over a real
 * socket pair. Plus the channel-3 Status that gives kubectl its exit code.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Opcode, closePayload, encodeWsFrame, handshakeResponse, pickProtocol } from '../src/http/websocket-frames.js';
import { MessageReader, WebSocketConnection, type WebSocketEvent } from '../src/http/websocket.js';
import { exitStatus, isExecPath } from '../src/http/exec-route.js';
import { execOptions } from '../src/exec.js';

/** A client frame: masked, as RFC 6455 requires of clients. */
function clientFrame(opcode: number, payload: Buffer | string, fin = true, mask = Buffer.from([0x37, 0xfa, 0x21, 0x3d])): Buffer {
  const body = Buffer.from(payload);
  const len = body.length;
  const head = Buffer.alloc(len < 126 ? 2 : len < 0x10000 ? 4 : 10);
  head[0] = (fin ? 0x80 : 0) | opcode;
  if (len < 126) head[1] = 0x80 | len;
  else if (len < 0x10000) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  const masked = Buffer.from(body);
  for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i & 3];
  return Buffer.concat([head, mask, masked]);
}

/** Parses server frames (unmasked) off a byte buffer. */
function serverFrames(buf: Buffer): { opcode: number; payload: Buffer }[] {
  const out: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  while (at + 2 <= buf.length) {
    let len = buf[at + 1] & 0x7f;
    let off = at + 2;
    if (len === 126) {
      len = buf.readUInt16BE(off);
      off += 2;
    } else if (len === 127) {
      len = Number(buf.readBigUInt64BE(off));
      off += 8;
    }
    if (off + len > buf.length) break;
    out.push({ opcode: buf[at] & 0x0f, payload: buf.subarray(off, off + len) });
    at = off + len;
  }
  return out;
}

describe('the WebSocket handshake', () => {
  it('answers the RFC 6455 sample key with its accept value and the chosen subprotocol', () => {
    const head = handshakeResponse('dGhlIHNhbXBsZSBub25jZQ==', 'v5.channel.k8s.io');
    expect(head.startsWith('HTTP/1.1 101 Switching Protocols\r\n')).toBe(true);
    expect(head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    expect(head).toContain('Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n');
    expect(head.endsWith('\r\n\r\n')).toBe(true);
  });

  it.each([
    ['v5.channel.k8s.io', 'v5.channel.k8s.io'],
    ['v4.channel.k8s.io', 'v4.channel.k8s.io'],
    ['base64.channel.k8s.io, v4.channel.k8s.io', 'v4.channel.k8s.io'],
    [['channel.k8s.io', 'v5.channel.k8s.io'], 'v5.channel.k8s.io'],
    ['SPDY/3.1+portforward.k8s.io', undefined],
    [undefined, undefined],
  ])('picks a supported subprotocol from %j', (offered, want) => {
    expect(pickProtocol(offered as string | string[] | undefined, ['v5.channel.k8s.io', 'v4.channel.k8s.io'])).toBe(want);
  });
});

describe('reading client frames', () => {
  it('unmasks a binary message, also when it arrives a byte at a time', () => {
    const frame = clientFrame(Opcode.BINARY, Buffer.from([0, ...Buffer.from('hello')]));
    const r = new MessageReader();
    const events: WebSocketEvent[] = [];
    for (const b of frame) events.push(...r.push(Buffer.from([b])));
    expect(events).toEqual([{ type: 'message', binary: true, data: Buffer.from([0, ...Buffer.from('hello')]) }]);
  });

  it('reads 16- and 64-bit payload lengths', () => {
    const mid = Buffer.alloc(300, 7);
    const big = Buffer.alloc(70_000, 9);
    const events = new MessageReader().push(Buffer.concat([clientFrame(Opcode.BINARY, mid), clientFrame(Opcode.BINARY, big)]));
    expect(events.map((e) => (e.type === 'message' ? e.data.length : -1))).toEqual([300, 70_000]);
    expect(events[1].type === 'message' && events[1].data.every((b) => b === 9)).toBe(true);
  });

  it('joins fragments into one message and passes a ping sent between them', () => {
    const r = new MessageReader();
    const events = r.push(
      Buffer.concat([
        clientFrame(Opcode.BINARY, 'ab', false),
        clientFrame(Opcode.PING, 'hb'),
        clientFrame(Opcode.CONTINUATION, 'cd', false),
        clientFrame(Opcode.CONTINUATION, 'ef', true),
      ]),
    );
    expect(events).toEqual([
      { type: 'ping', data: Buffer.from('hb') },
      { type: 'message', binary: true, data: Buffer.from('abcdef') },
    ]);
  });

  it('reads a close frame with its code and reason', () => {
    expect(new MessageReader().push(clientFrame(Opcode.CLOSE, closePayload(1000, 'bye')))).toEqual([{ type: 'close', code: 1000, reason: 'bye' }]);
  });

  it.each([
    ['an unmasked frame', encodeWsFrame(Opcode.BINARY, Buffer.from('x')), /masked/],
    ['a continuation with nothing to continue', clientFrame(Opcode.CONTINUATION, 'x'), /continuation/],
    ['a new message inside a fragmented one', Buffer.concat([clientFrame(Opcode.BINARY, 'a', false), clientFrame(Opcode.BINARY, 'b')]), /before the last one ended/],
    ['a fragmented ping', clientFrame(Opcode.PING, 'x', false), /control frames/],
    ['reserved bits', Buffer.from([0xc2, 0x80, 0, 0, 0, 0]), /reserved bits/],
    ['an unknown opcode', clientFrame(0x3, 'x'), /unknown opcode/],
  ])('rejects %s', (_name, bytes, why) => {
    expect(() => new MessageReader().push(bytes)).toThrow(why);
  });

  it('rejects a message over the size limit, even in fragments', () => {
    const r = new MessageReader(10);
    expect(() => r.push(Buffer.concat([clientFrame(Opcode.BINARY, '123456', false), clientFrame(Opcode.CONTINUATION, '789012')]))).toThrow(/too large/);
  });
});

describe('a WebSocket connection', () => {
  const sockets: net.Socket[] = [];
  let server: net.Server | undefined;
  afterEach(() => {
    sockets.forEach((s) => s.destroy());
    server?.close();
  });

  /** A connected pair: the server end wrapped in a WebSocketConnection, the raw client end. */
  async function pair(onMessage: (data: Buffer) => void = () => undefined) {
    let closed = false;
    const ready = new Promise<{ ws: WebSocketConnection; client: net.Socket; received: () => Buffer; closed: () => boolean }>((resolve) => {
      server = net.createServer((s) => {
        sockets.push(s);
        const ws = new WebSocketConnection(s, Buffer.alloc(0), { message: onMessage, closed: () => (closed = true) });
        resolve({ ws, client, received: () => Buffer.concat(chunks), closed: () => closed });
      });
      const chunks: Buffer[] = [];
      let client: net.Socket;
      server.listen(0, '127.0.0.1', () => {
        client = net.connect((server!.address() as net.AddressInfo).port, '127.0.0.1');
        client.on('data', (c) => chunks.push(c));
        client.on('error', () => undefined);
        sockets.push(client);
      });
    });
    return ready;
  }

  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(cond()).toBe(true);
  };

  it('delivers messages, answers pings with the same payload, and sends binary frames', async () => {
    const got: Buffer[] = [];
    const p = await pair((d) => got.push(d));
    p.client.write(Buffer.concat([clientFrame(Opcode.BINARY, Buffer.from([0, 65, 66])), clientFrame(Opcode.PING, 'beat')]));
    expect(p.ws.send(Buffer.from([1, 67]))).toBe(true);
    await until(() => got.length === 1 && serverFrames(p.received()).length === 2);
    expect(got[0]).toEqual(Buffer.from([0, 65, 66]));
    const frames = serverFrames(p.received());
    expect(frames).toEqual(expect.arrayContaining([
      { opcode: Opcode.PONG, payload: Buffer.from('beat') },
      { opcode: Opcode.BINARY, payload: Buffer.from([1, 67]) },
    ]));
  });

  it('closes with code 1000 and stops sending after close', async () => {
    const p = await pair();
    p.ws.close();
    expect(p.ws.send(Buffer.from([1]))).toBe(false);
    await until(() => serverFrames(p.received()).length === 1);
    const [f] = serverFrames(p.received());
    expect(f.opcode).toBe(Opcode.CLOSE);
    expect(f.payload.readUInt16BE(0)).toBe(1000);
    await until(() => p.closed());
  });

  it('echoes the client close and reports the connection closed', async () => {
    const p = await pair();
    p.client.write(clientFrame(Opcode.CLOSE, closePayload(1000)));
    await until(() => p.closed());
    expect(serverFrames(p.received())[0].opcode).toBe(Opcode.CLOSE);
  });

  it('closes with 1002 on an unmasked client frame', async () => {
    const p = await pair();
    p.client.write(encodeWsFrame(Opcode.BINARY, Buffer.from('x')));
    await until(() => p.closed() && serverFrames(p.received()).length === 1);
    expect(serverFrames(p.received())[0].payload.readUInt16BE(0)).toBe(1002);
  });
});

describe('the exec channel protocol', () => {
  it('reports exit code 0 as Success and others as NonZeroExitCode with the code as the cause', () => {
    expect(exitStatus(0, ['true'])).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus(3, ['sh', '-c', 'exit 3'])).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('reads the exec query with a repeated command', () => {
    const q = new URLSearchParams('command=sh&command=-c&command=echo+a&container=c&stdout=true&stderr=true&stdin=true');
    expect(execOptions(q)).toEqual({ container: 'c', command: ['sh', '-c', 'echo a'], stdin: true, stdout: true, stderr: true, tty: false });
  });

  it.each([
    ['/api/v1/namespaces/default/pods/p/exec?command=ls', true],
    ['/api/v1/namespaces/default/pods/p/portforward', false],
    ['/api/v1/namespaces/default/pods/p/log', false],
    ['/apis/apps/v1/namespaces/default/deployments/d/exec', false],
    ['/api/v1/pods', false],
  ])('claims %s for exec: %s', (url, want) => {
    expect(isExecPath(url)).toBe(want);
  });
});
