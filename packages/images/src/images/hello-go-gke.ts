import { closeServer, httpServer, listenOnPod, untilTerminated } from '../net/http-server.js';
import { goLogLine } from '../log-format.js';
import type { ImageDefinition, Program } from '../process.js';

/** The "hello greeter" backend of the frontend/backend tutorial: `{"message":"Hello"}` on port 80. */
const helloServer: Program = async (ctx) => {
  const server = httpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"message":"Hello"}');
  });
  const err = await listenOnPod(server, ctx, 80);
  if (err) {
    await ctx.stderr.write(goLogLine(`listen tcp :80: bind: ${err === 'EADDRINUSE' ? 'address already in use' : err}`));
    return 1;
  }
  await untilTerminated(ctx);
  await closeServer(server);
  return 143;
};

/** gcr.io/google-samples/hello-go-gke:1.0. */
export const helloGoGke: ImageDefinition = {
  name: 'hello-go-gke',
  description: 'tutorial backend: {"message":"Hello"} on port 80',
  repositories: ['gcr.io/google-samples/hello-go-gke'],
  tagExists: (tag) => tag === '1.0',
  entrypoint: ['/hello'],
  cmd: [],
  env: {},
  programs: { hello: helloServer },
};
