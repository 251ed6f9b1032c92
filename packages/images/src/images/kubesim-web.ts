import { goLogLine } from '../log-format.js';
import { clientAddress, closeServer, httpServer, listenOnPod, portOf, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';

const STYLE: Record<string, string> = { v1: '#2563eb', v2: '#16a34a' };

/** The page a version serves; says which version and which pod answered. */
export function webPage(version: string, hostname: string): string {
  return `<!DOCTYPE html>
<html>
<head><title>kubesim web ${version}</title></head>
<body style="font-family: sans-serif; background: ${STYLE[version] ?? '#444'}; color: white; text-align: center; padding-top: 4em">
<h1>Hello from version ${version}</h1>
<p>Served by pod <b>${hostname}</b></p>
</body>
</html>
`;
}

const webServer: Program = async (ctx) => {
  const version = ctx.container.ref.tag ?? 'v1';
  const port = portOf(ctx.env.PORT ?? '') ?? 8080;
  const server = httpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void ctx.stdout.write(goLogLine(`${clientAddress(req)} ${req.method} ${req.url}`));
    if (path === '/healthz') res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    else if (path === '/version') res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${version}\n`);
    else if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(webPage(version, ctx.container.hostname));
    else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
  });
  const err = await listenOnPod(server, ctx, port);
  if (err) {
    await ctx.stderr.write(goLogLine(`listen tcp ${ctx.container.podIP}:${port}: ${err}`));
    return 1;
  }
  await ctx.stdout.write(goLogLine(`web ${version} listening on ${ctx.container.podIP}:${port}`));
  await untilTerminated(ctx);
  await closeServer(server);
  return 0;
};

/** kubesim/web:v1 and :v2, for rolling updates; any other tag does not exist. */
export const kubesimWeb: ImageDefinition = {
  name: 'kubesim/web',
  description: 'HTML page on :8080 saying its version (v1 or v2) and the pod name; /healthz, /version',
  repositories: ['docker.io/kubesim/web'],
  tagExists: (tag) => tag === 'v1' || tag === 'v2',
  entrypoint: ['/web'],
  cmd: [],
  env: {},
  programs: { web: webServer },
};
