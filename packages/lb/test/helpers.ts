/**
 * Real sockets for the tests: backend servers on their own loopback addresses, HTTP requests
 * with a chosen source address, and waiting for conditions.
 */
import http from 'node:http';
import net from 'node:net';
import { eventually as poll } from '@kubesim/testing';

/** A random number in [lo, hi], to keep suites' addresses apart from other clusters on the machine. */
export function randomInt(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

/** Polls `fn` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  return poll(what, async () => (await fn()) || undefined, { timeoutMs, intervalMs: 50 }) as Promise<T>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Listens on host:port (0: any free port); resolves with the port. */
export function listen(server: net.Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    (server as http.Server).closeAllConnections?.();
    server.close(() => resolve());
  });
}

/** An HTTP backend that answers `<name> <client address>`, as a pod would. */
export async function httpBackend(name: string, host: string, port = 0): Promise<{ server: http.Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    res.setHeader('content-type', 'text/plain');
    res.end(`${name} ${req.socket.remoteAddress}`);
  });
  return { server, port: await listen(server, host, port), hits: () => hits };
}

export interface Reply {
  status: number;
  body: string;
}

/** One GET on a new connection (no keep-alive), optionally from a chosen source address. */
export function get(host: string, port: number, opts: { localAddress?: string; timeoutMs?: number; path?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: opts.path ?? '/', agent: false, localAddress: opts.localAddress }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

/** The error code a connection attempt ends with, or 'connected'. */
export function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
