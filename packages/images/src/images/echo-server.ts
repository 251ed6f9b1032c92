import { closeServer, httpServer, listenOnPod, readBody, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';

function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => `${dash}${c.toUpperCase()}`);
}

/** jmalloc/echo-server (minikube's kicbase/echo-server): "Request served by <pod>", the request line and headers. */
const echoServer: Program = async (ctx) => {
  const port = Number(ctx.env.PORT ?? 8080) || 8080;
  const server = httpServer(async (req, res) => {
    const body = await readBody(req);
    const headers = Object.entries(req.headers)
      .filter(([k]) => k !== 'host')
      .map(([k, v]) => `${canonicalHeader(k)}: ${Array.isArray(v) ? v.join(',') : v}`)
      .sort();
    const text = `Request served by ${ctx.container.hostname}\n\nHTTP/${req.httpVersion} ${req.method} ${req.url}\n\nHost: ${req.headers.host ?? ''}\n${headers.join('\n')}${headers.length ? '\n' : ''}${body ? `\n${body}` : ''}`;
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(text);
  });
  if (await listenOnPod(server, ctx, port)) return 1;
  await ctx.stdout.write(`Echo server listening on port ${port}.\n`);
  await untilTerminated(ctx);
  await closeServer(server);
  return 143;
};

/** kicbase/echo-server and jmalloc/echo-server (minikube's hello-minikube). */
export const echoServerImage: ImageDefinition = {
  name: 'echo-server',
  description: 'kicbase/echo-server, jmalloc/echo-server: HTTP on $PORT (8080) answering "Request served by <pod>", the request line and headers',
  repositories: ['docker.io/kicbase/echo-server', 'docker.io/jmalloc/echo-server'],
  entrypoint: ['/bin/echo-server'],
  cmd: [],
  env: {},
  programs: { 'echo-server': echoServer },
};
