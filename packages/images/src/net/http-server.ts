import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import type { ProcessContext } from '../process.js';
import { abortWaiter } from '../timing.js';

/** A request handler of an image's HTTP server. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Listens on the pod's address (never 0.0.0.0, so pods on one machine share ports); resolves with the bind error's code, if any. */
export function listenOnPod(server: NetServer, ctx: ProcessContext, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message);
    server.once('error', onError);
    server.listen(port, ctx.container.podIP, () => {
      server.off('error', onError);
      server.on('error', () => undefined);
      resolve(undefined);
    });
  });
}

/**
 * A graceful stop, as Go's Server.Shutdown: stop accepting (new connects are refused, so a
 * proxy retries them elsewhere), close idle keep-alive connections, let requests in flight
 * finish, and drop whatever is still open after `graceMs`.
 */
export function closeServer(server: NetServer, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const http = server as Partial<Server>;
    const timer = setTimeout(() => http.closeAllConnections?.(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}

/** Creates a server whose handler errors become 500s instead of crashing the container. */
export function httpServer(handler: HttpHandler): Server {
  return createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
}

/** Waits for SIGTERM to this process or the container's end; tells which came first. */
export async function untilTerminated(ctx: ProcessContext): Promise<'sigterm' | 'killed'> {
  const term = abortWaiter(ctx.sigterm);
  const life = abortWaiter(ctx.container.lifetime);
  const which = await Promise.race([term.promise.then(() => 'sigterm' as const), life.promise.then(() => 'killed' as const)]);
  term.dispose();
  life.dispose();
  return which;
}

/** Reads a request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The client address as a server sees it ("127.64.0.5"). */
export function clientAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** Parses the port part of "-listen=:5678" / "0.0.0.0:80" / "8080"; undefined if none. */
export function portOf(listen: string): number | undefined {
  const m = /(\d+)$/.exec(listen);
  const port = m ? Number(m[1]) : NaN;
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}
