import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { goLogLine } from '../../log-format.js';
import { clientAddress, closeServer, httpServer, listenOnPod, untilTerminated } from '../../net/http-server.js';
import type { Program } from '../../process.js';
import { delay } from '../../timing.js';
import { parseGoFlags } from './flags.js';

/** `agnhost serve-hostname [--port 9376] [--tcp] [--close]`: answers with the hostname; after SIGTERM it keeps serving for 60 s. */
export const serveHostname: Program = async (ctx) => {
  const { flags } = parseGoFlags(ctx.argv.slice(1));
  const port = Number(flags.port ?? 9376);
  const hostname = ctx.container.hostname;
  const useTcp = flags.tcp === 'true';
  const useHttp = flags.http !== 'false' && !useTcp;
  const log = (m: string) => ctx.stderr.write(goLogLine(m));
  let server: TcpServer;
  if (useHttp) {
    server = httpServer((req, res) => {
      void log(`HTTP request from ${clientAddress(req)}:${req.socket.remotePort}`);
      if (flags.close === 'true') res.setHeader('Connection', 'close');
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(hostname);
    });
  } else {
    server = createTcpServer((socket) => {
      void log(`TCP request from ${socket.remoteAddress}:${socket.remotePort}`);
      socket.end(hostname);
    });
  }
  const err = await listenOnPod(server, ctx, port);
  if (err) {
    await log(`Error from net.Listen(): listen tcp :${port}: bind: ${err === 'EADDRINUSE' ? 'address already in use' : err}`);
    return 1;
  }
  await log(`Serving on port ${port}.`);
  if ((await untilTerminated(ctx)) === 'sigterm') {
    await log('Shutting down after receiving signal: terminated.');
    await log('Awaiting pod deletion.');
    await delay(60_000, ctx.container.lifetime);
  }
  await closeServer(server);
  return 0;
};
