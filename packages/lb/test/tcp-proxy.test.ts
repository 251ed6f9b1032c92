/**
 * The TCP proxy over real sockets on loopback: streaming, back-pressure, half-close, retries
 * and draining.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy, type Backend } from '@kubesim/lb';
import { freePort } from '@kubesim/testing';
import { closeServer, connectOutcome, eventually, listen, sleep } from './helpers.js';

const HOST = '127.0.0.1';
const quiet = () => undefined;

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
const proxies: TcpProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  sockets.forEach((s) => s.destroy());
  await Promise.all(servers.splice(0).map(closeServer));
});

/** A backend server; `onConnection` gets each socket (allowHalfOpen, like a real server that reads after a FIN). */
async function backend(onConnection: (s: net.Socket) => void): Promise<Backend> {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConnection(s);
  });
  servers.push(server);
  return { host: HOST, port: await listen(server, HOST) };
}

/** Echoes every chunk prefixed with its name, so a client can tell which backend it reached. */
const namedEcho = (name: string) =>
  backend((s) => {
    s.on('data', (d) => s.write(`${name}:${d}`));
    s.on('end', () => s.end());
  });

async function proxy(backends: Backend[], extra: Partial<ConstructorParameters<typeof TcpProxy>[0]> = {}): Promise<TcpProxy> {
  const p = new TcpProxy({ host: HOST, port: await freePort(), backends, connectTimeoutMs: 300, log: quiet, ...extra });
  proxies.push(p);
  if (backends.length > 0) await eventually(() => p.listening, 'the proxy listening');
  return p;
}

function open(p: TcpProxy, allowHalfOpen = false): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: p.host, port: p.port, allowHalfOpen }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Writes `text` and resolves with the next chunk read. */
function ask(s: net.Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    s.once('data', (d) => resolve(d.toString()));
    s.write(text);
  });
}

function readAll(s: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

describe('TcpProxy', () => {
  it('streams a large body both ways intact, holding the sender back while the receiver is slow', async () => {
    const echo = await backend((s) => s.pipe(s));
    const p = await proxy([echo]);
    const TOTAL = 256 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024);
    const client = await open(p);
    client.pause(); // the client reads nothing at first: the echo backs up all the way to the client's writes
    const sentHash = createHash('sha256');
    const gotHash = createHash('sha256');
    let sent = 0;
    let received = 0;
    const writing = (async () => {
      for (let i = 0; sent < TOTAL; i++) {
        chunk.fill(i % 251);
        sentHash.update(chunk);
        sent += chunk.length;
        if (!client.write(chunk)) await new Promise((r) => client.once('drain', r));
      }
      client.end();
    })();
    await sleep(1000);
    const sentWhileStalled = sent;
    const done = new Promise<void>((resolve) => client.on('end', resolve));
    client.on('data', (d: Buffer) => {
      received += d.length;
      gotHash.update(d);
    });
    client.resume();
    await writing;
    await done;
    console.log(`back-pressure: ${(sentWhileStalled / 2 ** 20).toFixed(1)} MiB of ${TOTAL / 2 ** 20} MiB written while the reader stalled`);
    expect(sentWhileStalled).toBeLessThan(TOTAL / 2);
    expect(received).toBe(TOTAL);
    expect(gotHash.digest('hex')).toBe(sentHash.digest('hex'));
  });

  it('keeps half-closed connections: the backend answers after the client has finished sending', async () => {
    const counter = await backend((s) => {
      let n = 0;
      s.on('data', (d) => (n += d.length));
      s.on('end', () => setTimeout(() => s.end(`got ${n} bytes`), 100));
    });
    const p = await proxy([counter]);
    const client = await open(p);
    const reply = readAll(client);
    client.end('hello world');
    expect(await reply).toBe('got 11 bytes');
  });

  it('keeps half-closed connections: the client sends after the backend has finished', async () => {
    let heard = '';
    let heardAll!: () => void;
    const finished = new Promise<void>((resolve) => (heardAll = resolve));
    const b = await backend((s) => {
      s.end('bye');
      s.on('data', (d) => (heard += d));
      s.on('end', heardAll);
    });
    const client = await open(await proxy([b]), true);
    expect(await readAll(client)).toBe('bye');
    client.end('late words');
    await finished;
    expect(heard).toBe('late words');
  });

  it('retries a refused backend on another before the client sees anything', async () => {
    const dead: Backend = { host: HOST, port: await freePort() };
    const live = await namedEcho('live');
    const p = await proxy([dead, live]);
    for (let i = 0; i < 6; i++) {
      const s = await open(p);
      expect(await ask(s, `ping${i}`)).toBe(`live:ping${i}`);
      s.destroy();
    }
    expect(p.stats()).toMatchObject({ forwarded: 6, failed: 0 });
    expect(p.stats().retried).toBeGreaterThanOrEqual(1);
  });

  it('resets the client when no backend can be reached', async () => {
    const p = await proxy([{ host: HOST, port: await freePort() }]);
    const s = await open(p);
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      s.on('error', resolve);
      s.on('close', () => resolve(undefined));
    });
    expect(err?.code).toBe('ECONNRESET');
    expect(p.stats().failed).toBe(1);
  });

  it('refuses connections while it has no backends, and listens again when one comes', async () => {
    const a = await namedEcho('a');
    const p = await proxy([]);
    expect(await connectOutcome(p.host, p.port)).toBe('ECONNREFUSED');
    p.setBackends([a]);
    await eventually(() => p.listening, 'listening');
    const s = await open(p);
    expect(await ask(s, 'x')).toBe('a:x');
    p.setBackends([]);
    expect(await connectOutcome(p.host, p.port)).toBe('ECONNREFUSED');
    expect(await ask(s, 'still there?')).toBe('a:still there?');
    s.destroy();
  });

  it('drains: a removed backend gets no new connections while its open ones run to their end', async () => {
    const [a, b] = [await namedEcho('a'), await namedEcho('b')];
    const p = await proxy([a]);
    const old = await open(p);
    expect(await ask(old, 'one')).toBe('a:one');
    p.setBackends([b]);
    for (let i = 0; i < 3; i++) {
      const fresh = await open(p);
      expect(await ask(fresh, 'new')).toBe('b:new');
      fresh.destroy();
    }
    expect(await ask(old, 'two')).toBe('a:two');
    expect(p.activeConnections(`${a.host}:${a.port}`)).toBe(1);
    old.end();
    await eventually(() => p.activeConnections(`${a.host}:${a.port}`) === 0, 'the old connection closed');
  });

  it('close() stops listening at once and waits for open connections to finish', async () => {
    const a = await namedEcho('a');
    const p = await proxy([a]);
    const s = await open(p);
    expect(await ask(s, 'hi')).toBe('a:hi');
    let closed = false;
    const closing = p.close(10_000).then(() => (closed = true));
    expect(await connectOutcome(p.host, p.port)).toBe('ECONNREFUSED');
    expect(await ask(s, 'still')).toBe('a:still');
    expect(closed).toBe(false);
    s.end();
    await closing;
    expect(p.activeConnections()).toBe(0);
  });

  it('refuses to listen on a wildcard address', () => {
    expect(() => new TcpProxy({ host: '0.0.0.0', port: 8080, log: quiet })).toThrow(TypeError);
  });
});
