import { goLogLine } from '../log-format.js';
import { closeServer, httpServer, listenOnPod, portOf, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';

/** The GKE sample: "Hello, world!", its version and the pod's hostname, on $PORT or 8080. */
const helloAppServer: Program = async (ctx) => {
  const version = ctx.container.ref.tag === '2.0' ? '2.0.0' : '1.0.0';
  const port = portOf(ctx.env.PORT ?? '') ?? 8080;
  const server = httpServer((req, res) => {
    void ctx.stderr.write(goLogLine(`Serving request: ${(req.url ?? '/').split('?')[0]}`));
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Hello, world!\nVersion: ${version}\nHostname: ${ctx.container.hostname}\n`);
  });
  const err = await listenOnPod(server, ctx, port);
  if (err) {
    await ctx.stderr.write(goLogLine(`listen tcp :${port}: bind: ${err === 'EADDRINUSE' ? 'address already in use' : err}`));
    return 1;
  }
  await ctx.stderr.write(goLogLine(`Server listening on port ${port}`));
  await untilTerminated(ctx);
  await closeServer(server);
  // No signal handler in the Go program: SIGTERM kills it.
  return 143;
};

/** gcr.io/google-samples/hello-app: 1.0 and 2.0 exist. */
export const helloApp: ImageDefinition = {
  name: 'hello-app',
  description: 'GKE sample: "Hello, world!\\nVersion: 1.0.0\\nHostname: <pod>" on $PORT or 8080 (2.0 says 2.0.0)',
  repositories: ['gcr.io/google-samples/hello-app', 'us-docker.pkg.dev/google-samples/containers/gke/hello-app'],
  tagExists: (tag) => tag === '1.0' || tag === '2.0',
  entrypoint: ['/hello-app'],
  cmd: [],
  env: {},
  programs: { 'hello-app': helloAppServer },
};
