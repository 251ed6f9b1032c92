import type { ImageDefinition, Program } from '../process.js';
import { delay } from '../timing.js';

/** Prints a line, then exits 1 after $CRASH_AFTER seconds (default 1); SIGTERM ends it with 0. */
const crasher: Program = async (ctx) => {
  const after = Number(ctx.env.CRASH_AFTER ?? '1');
  const seconds = Number.isFinite(after) && after >= 0 ? after : 1;
  await ctx.stdout.write(`crasher: started on ${ctx.container.hostname}, crashing in ${seconds}s\n`);
  const full = await delay(seconds * 1000, ctx.sigterm, ctx.container.lifetime);
  if (!full) return 0;
  await ctx.stderr.write('crasher: crashing now (exit 1)\n');
  return 1;
};

/** kubesim/crasher: for CrashLoopBackOff. */
export const kubesimCrasher: ImageDefinition = {
  name: 'kubesim/crasher',
  description: 'prints a line, exits 1 after $CRASH_AFTER seconds (default 1): CrashLoopBackOff',
  repositories: ['docker.io/kubesim/crasher'],
  entrypoint: ['/crasher'],
  cmd: [],
  env: {},
  programs: { crasher },
};
