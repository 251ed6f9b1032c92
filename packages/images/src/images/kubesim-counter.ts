import { fsErrorMessage } from '../fs/errors.js';
import type { ImageDefinition, Program } from '../process.js';
import { delay } from '../timing.js';

/** Counts how many lines the log already has, so a restarted counter continues where it stopped. */
async function lastCount(ctx: Parameters<Program>[0], file: string): Promise<number> {
  const text = await ctx.container.fs.readFile(file, '/').then((b) => b.toString('utf8'), () => '');
  return text.split('\n').filter((l) => l !== '').length;
}

/** Every second appends "N: <date> <pod>" to /data/counter.log (a volume, typically) and prints it. */
const counter: Program = async (ctx) => {
  const file = ctx.env.COUNTER_FILE ?? '/data/counter.log';
  await ctx.container.fs.mkdir('/data', '/', true).catch(() => undefined);
  let n = await lastCount(ctx, file);
  for (;;) {
    const line = `${n}: ${new Date().toISOString()} ${ctx.container.hostname}\n`;
    try {
      await ctx.container.fs.writeFile(file, '/', line, true);
    } catch (err) {
      await ctx.stderr.write(`counter: can't write ${file}: ${fsErrorMessage(err)}\n`);
      return 1;
    }
    await ctx.stdout.write(line);
    n += 1;
    if (!(await delay(1000, ctx.sigterm, ctx.container.lifetime))) return 0;
  }
};

/** kubesim/counter: shows that data on a volume outlives containers. */
export const kubesimCounter: ImageDefinition = {
  name: 'kubesim/counter',
  description: 'appends a counter line every second to /data/counter.log (continuing after restarts) and prints it',
  repositories: ['docker.io/kubesim/counter'],
  entrypoint: ['/counter'],
  cmd: [],
  env: {},
  programs: { counter },
};
