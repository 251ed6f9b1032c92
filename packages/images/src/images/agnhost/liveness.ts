import { goLogLine } from '../../log-format.js';
import { closeServer, httpServer, listenOnPod, untilTerminated } from '../../net/http-server.js';
import type { Program } from '../../process.js';

/** `agnhost liveness` (and the docs' `liveness /server`): /healthz is 200 "ok" for 10 s, then 500 "error: <seconds>". */
export const liveness: Program = async (ctx) => {
  const started = Date.now();
  const server = httpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const seconds = (Date.now() - started) / 1000;
    if (url.pathname === '/healthz') {
      if (seconds > 10) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`error: ${seconds}`);
      else res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
    } else if (url.pathname === '/started') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${seconds}s`);
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { Location: url.searchParams.get('loc') ?? '/' }).end();
    } else res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
  });
  const err = await listenOnPod(server, ctx, 8080);
  if (err) {
    await ctx.stderr.write(goLogLine(`listen tcp :8080: bind: ${err === 'EADDRINUSE' ? 'address already in use' : err}`));
    return 1;
  }
  await untilTerminated(ctx);
  await closeServer(server);
  return 143;
};
