import { closeServer, httpServer, listenOnPod, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';

/** The Kubernetes Basics tutorial's Node.js app: "Hello Kubernetes bootcamp! | Running on: <pod> | v=N" on :8080. */
const bootcamp: Program = async (ctx) => {
  const version = /^v(\d+)$/.exec(ctx.container.ref.tag ?? '')?.[1] ?? '1';
  const started = new Date();
  let requests = 0;
  const server = httpServer((_req, res) => {
    requests += 1;
    const uptime = ((Date.now() - started.getTime()) / 1000).toFixed(3);
    void ctx.stdout.write(`Running On: ${ctx.container.hostname} | Total Requests: ${requests} | App Uptime: ${uptime} seconds | Log Time: ${new Date().toISOString()}\n`);
    res.writeHead(200).end(`Hello Kubernetes bootcamp! | Running on: ${ctx.container.hostname} | v=${version}\n`);
  });
  if (await listenOnPod(server, ctx, 8080)) return 1;
  await ctx.stdout.write(`Kubernetes Bootcamp App Started At: ${started.toISOString()} | Running On:  ${ctx.container.hostname} \n\n`);
  await untilTerminated(ctx);
  await closeServer(server);
  return 143;
};

/** gcr.io/google-samples/kubernetes-bootcamp:v1 and jocatalin/kubernetes-bootcamp:v2 (v10 does not exist, as the rollback lesson needs). */
export const kubernetesBootcamp: ImageDefinition = {
  name: 'kubernetes-bootcamp',
  description: 'the Kubernetes Basics app: "Hello Kubernetes bootcamp! | Running on: <pod> | v=1" on :8080 (v2 says v=2)',
  repositories: ['gcr.io/google-samples/kubernetes-bootcamp', 'docker.io/jocatalin/kubernetes-bootcamp'],
  tagExists: (tag) => tag === 'v1' || tag === 'v2',
  entrypoint: [],
  cmd: ['node', 'server.js'],
  env: {},
  programs: { node: bootcamp },
};
