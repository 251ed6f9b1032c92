import { parseSleepSeconds } from '../applets/basic.js';
import type { ImageDefinition, Program } from '../process.js';
import { delay } from '../timing.js';

/** Sleeps forever (or args[0] seconds) and exits 0; SIGTERM ends it at once with 0. */
const sleeper: Program = async (ctx) => {
  const arg = ctx.argv[1];
  const seconds = arg === undefined ? Infinity : parseSleepSeconds(arg);
  if (seconds === undefined) {
    await ctx.stderr.write(`sleep: invalid number '${arg}'\n`);
    return 1;
  }
  await delay(seconds === Infinity ? 2 ** 40 : seconds * 1000, ctx.sigterm, ctx.container.lifetime);
  return 0;
};

/** kubesim/sleep: a container that does nothing, quickly stoppable. */
export const kubesimSleep: ImageDefinition = {
  name: 'kubesim/sleep',
  description: 'sleeps forever, or args[0] seconds, then exits 0; exits 0 at once on SIGTERM',
  repositories: ['docker.io/kubesim/sleep'],
  entrypoint: ['/sleep'],
  cmd: [],
  env: {},
  programs: { sleep: sleeper },
};
