import { untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';

/** pause.c: sleeps until a signal; SIGTERM prints "Shutting down, got signal: Terminated" and exits 0. */
const pauseProgram: Program = async (ctx) => {
  if ((await untilTerminated(ctx)) === 'killed') return 137;
  await ctx.stderr.write('Shutting down, got signal: Terminated\n');
  return 0;
};

/** registry.k8s.io/pause: the sandbox container. */
export const pause: ImageDefinition = {
  name: 'pause',
  description: 'registry.k8s.io/pause: sleeps forever; exits 0 on SIGTERM',
  repositories: ['registry.k8s.io/pause', 'k8s.gcr.io/pause', 'gcr.io/google_containers/pause', 'gcr.io/google-containers/pause'],
  entrypoint: ['/pause'],
  cmd: [],
  env: {},
  programs: { pause: pauseProgram },
};
