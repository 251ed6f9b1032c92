import type { Program } from '../../process.js';
import { untilTerminated } from '../../net/http-server.js';

/** `agnhost pause`: prints "Paused", then exits 2 on SIGTERM (as its Go code does). */
export const agnhostPause: Program = async (ctx) => {
  await ctx.stdout.write('Paused\n');
  return (await untilTerminated(ctx)) === 'sigterm' ? 2 : 137;
};
