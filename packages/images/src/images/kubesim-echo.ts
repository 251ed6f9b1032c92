import { goLogLine } from '../log-format.js';
import { clientAddress, closeServer, httpServer, listenOnPod, portOf, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';

/** HTTP on $PORT (8080): JSON naming the pod, its IP, node and version, and echoing the request. */
const echoServer: Program = async (ctx) => {
  const port = portOf(ctx.env.PORT ?? '') ?? 8080;
  const version = ctx.env.VERSION ?? ctx.container.ref.tag ?? 'latest';
  const server = httpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void ctx.stdout.write(goLogLine(`${clientAddress(req)} ${req.method} ${req.url}`));
    if (path === '/healthz' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    const body = {
      pod: ctx.container.hostname,
      namespace: ctx.env.POD_NAMESPACE,
      podIP: ctx.container.podIP,
      node: ctx.env.NODE_NAME,
      version,
      method: req.method,
      path,
      query: (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '',
      client: clientAddress(req),
      headers: req.headers,
    };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(body, null, 2)}\n`);
  });
  const err = await listenOnPod(server, ctx, port);
  if (err) {
    await ctx.stderr.write(goLogLine(`listen tcp ${ctx.container.podIP}:${port}: ${err}`));
    return 1;
  }
  await ctx.stdout.write(goLogLine(`echo ${version} listening on ${ctx.container.podIP}:${port}`));
  await untilTerminated(ctx);
  await closeServer(server);
  await ctx.stdout.write(goLogLine('shutting down'));
  return 0;
};

/** kubesim/echo: who answered (pod, IP, node, version) and what was asked. */
export const kubesimEcho: ImageDefinition = {
  name: 'kubesim/echo',
  description: 'HTTP on $PORT (8080): JSON with pod name, pod IP, node ($NODE_NAME), version ($VERSION or tag), path and headers; /healthz',
  repositories: ['docker.io/kubesim/echo'],
  entrypoint: ['/echo'],
  cmd: [],
  env: {},
  programs: { echo: echoServer },
};
