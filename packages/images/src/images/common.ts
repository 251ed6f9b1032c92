import { APPLETS } from '../applets/index.js';
import type { Program, ShellFlavor } from '../process.js';
import { shellProgram } from '../shell/sh.js';

/** The PATH nearly every image's config sets. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** busybox ash (busybox, alpine, and images built on them). */
export const BUSYBOX_SH: ShellFlavor = { name: 'sh', style: 'busybox' };
/** dash, Debian's and Ubuntu's /bin/sh. */
export const DASH_SH: ShellFlavor = { name: 'sh', style: 'dash' };
/** bash, present in Debian and Ubuntu. */
export const BASH: ShellFlavor = { name: 'bash', style: 'bash' };

/** The programs of an image built on busybox or alpine: ash and the applets. */
export function busyboxPrograms(): Record<string, Program> {
  const sh = shellProgram(BUSYBOX_SH);
  return { ...APPLETS, sh, ash: sh, busybox: busyboxMulticall };
}

/** The programs of a Debian- or Ubuntu-based image: dash as sh, bash, and the utilities. */
export function debianPrograms(): Record<string, Program> {
  return { ...APPLETS, sh: shellProgram(DASH_SH), dash: shellProgram(DASH_SH), bash: shellProgram(BASH) };
}

/** `busybox APPLET args...`, as in `command: ["busybox", "sleep", "3600"]`. */
const busyboxMulticall: Program = async (ctx) => {
  const name = ctx.argv[1];
  if (name === undefined) {
    await ctx.stdout.write('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n');
    return 0;
  }
  const program = ctx.container.lookup(name);
  if (!program || name === 'busybox') {
    await ctx.stderr.write(`${name}: applet not found\n`);
    return 127;
  }
  return program({ ...ctx, argv: ctx.argv.slice(1) });
};

/** An entrypoint script that ends in `exec "$@"`: runs its arguments as the program. */
export const execArgs: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) return 0;
  const program = ctx.container.lookup(args[0]);
  if (!program) {
    await ctx.stderr.write(`${ctx.argv[0]}: exec: ${args[0]}: not found\n`);
    return 127;
  }
  return program({ ...ctx, argv: args });
};
