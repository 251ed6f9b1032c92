import { baseName, dirName } from '../fs/paths.js';
import type { Program, ProcessContext } from '../process.js';
import { delay } from '../timing.js';
import { formatDate } from './date-format.js';
import { formatPrintf } from './printf-format.js';
import { fail, interpretEscapes, parseArgs, usageError } from './util.js';

const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `sleep` durations ("1.5", "2m", "infinity") into seconds; undefined if invalid. */
export function parseSleepSeconds(arg: string): number | undefined {
  if (arg === 'inf' || arg === 'infinity') return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  return m ? Number(m[1]) * UNITS[m[2]] : undefined;
}

/**
 * `sleep N`: waits, ignoring SIGTERM (as a PID 1 without a handler does); a trap in the
 * calling shell or the container's end cuts it short.
 */
export const sleep: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) return usageError(ctx, 'missing operand');
  let seconds = 0;
  for (const a of args) {
    const s = parseSleepSeconds(a);
    if (s === undefined) return usageError(ctx, `invalid number '${a}'`);
    seconds += s;
  }
  if (seconds === Infinity) seconds = 2 ** 40;
  await delay(seconds * 1000, ctx.interrupt, ctx.container.lifetime);
  return 0;
};

/** `echo [-neE] args`: busybox and bash leave backslashes alone without -e; dash always interprets them. */
export const echo: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const dash = ctx.container.image.shell?.style === 'dash';
  let newline = true;
  let escapes = dash;
  while (args.length > 0 && /^-[neE]+$/.test(args[0]) && !(dash && args[0] !== '-n')) {
    for (const f of args.shift()!.slice(1)) {
      if (f === 'n') newline = false;
      else escapes = f === 'e';
    }
  }
  let text = args.join(' ');
  if (escapes) {
    const r = interpretEscapes(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  await ctx.stdout.write(newline ? `${text}\n` : text);
  return 0;
};

/** `printf FORMAT [ARG...]`. */
export const printf: Program = async (ctx) => {
  const [format, ...args] = ctx.argv.slice(1);
  if (format === undefined) return usageError(ctx, 'usage: printf FORMAT [ARGUMENT...]');
  const { text, errors } = formatPrintf(format, args);
  await ctx.stdout.write(text);
  for (const e of errors) await fail(ctx, e);
  return errors.length > 0 ? 1 : 0;
};

/** `true`: status 0. */
export const trueProgram: Program = async () => 0;
/** `false`: status 1. */
export const falseProgram: Program = async () => 1;

/** `printenv [NAME...]`: values of the named variables (status 1 if one is unset), or all as NAME=value. */
export const printenv: Program = async (ctx) => {
  const names = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (names.length === 0) {
    for (const [k, v] of Object.entries(ctx.env)) await ctx.stdout.write(`${k}=${v}\n`);
    return 0;
  }
  let status = 0;
  for (const n of names) {
    if (Object.hasOwn(ctx.env, n)) await ctx.stdout.write(`${ctx.env[n]}\n`);
    else status = 1;
  }
  return status;
};

/** `env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...]`. */
export const env: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  let vars: Record<string, string> = { ...ctx.env };
  while (args.length > 0) {
    const a = args[0];
    if (a === '-i' || a === '-') vars = {};
    else if (a === '-u') delete vars[args.splice(1, 1)[0] ?? ''];
    else if (/^[^=]+=/.test(a)) vars[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else break;
    args.shift();
  }
  if (args.length === 0) {
    for (const [k, v] of Object.entries(vars)) await ctx.stdout.write(`${k}=${v}\n`);
    return 0;
  }
  const program = ctx.container.lookup(args[0]);
  if (!program) {
    await fail(ctx, `can't execute '${args[0]}': No such file or directory`);
    return 127;
  }
  return program({ ...ctx, argv: args, env: vars });
};

/** `hostname [-i|-s]`: the pod name, or its address. */
export const hostname: Program = async (ctx) => {
  const flag = ctx.argv[1];
  const out = flag === '-i' || flag === '-I' ? ctx.container.podIP : flag === '-s' ? ctx.container.hostname.split('.')[0] : ctx.container.hostname;
  await ctx.stdout.write(`${out}\n`);
  return 0;
};

/** `date [-u] [-R] [-I[spec]] [+FORMAT]` in UTC (containers have no zone files). */
export const date: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const now = new Date();
  let format = '%a %b %e %H:%M:%S %Z %Y';
  for (const a of args) {
    if (a.startsWith('+')) format = a.slice(1);
    else if (a === '-R') format = '%a, %d %b %Y %H:%M:%S %z';
    else if (a.startsWith('-I')) format = a === '-Iseconds' || a === '-Isec' ? '%Y-%m-%dT%H:%M:%S%:z' : '%Y-%m-%d';
  }
  await ctx.stdout.write(`${formatDate(format, now)}\n`);
  return 0;
};

/** `seq [-s SEP] [-w] [FIRST [INC]] LAST`. */
export const seq: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 's:wf:');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const nums = parsed.args.map(Number);
  if (nums.length === 0 || nums.length > 3 || nums.some((n) => Number.isNaN(n))) return usageError(ctx, `invalid argument`);
  const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums;
  if (inc === 0) return usageError(ctx, 'invalid increment');
  const sep = typeof parsed.flags.s === 'string' ? parsed.flags.s : '\n';
  const decimals = Math.max(...parsed.args.map((a) => (a.includes('.') ? a.length - a.indexOf('.') - 1 : 0)));
  const width = parsed.flags.w ? Math.max(...[first, last].map((n) => n.toFixed(decimals).length)) : 0;
  const out: string[] = [];
  for (let n = first; inc > 0 ? n <= last + 1e-9 : n >= last - 1e-9; n += inc) {
    out.push(n.toFixed(decimals).padStart(width, '0'));
    if (out.length % 1000 === 0) {
      await ctx.stdout.write(`${out.join(sep)}${sep}`);
      out.length = 0;
    }
  }
  if (out.length > 0) await ctx.stdout.write(`${out.join(sep)}\n`);
  return 0;
};

/** `yes [TEXT]`: repeats until its reader goes away. */
export const yes: Program = async (ctx) => {
  const line = `${ctx.argv.length > 1 ? ctx.argv.slice(1).join(' ') : 'y'}\n`;
  const chunk = line.repeat(Math.max(1, Math.floor(4096 / line.length)));
  for (;;) {
    await ctx.stdout.write(chunk);
    await new Promise((r) => setImmediate(r));
    if (ctx.container.lifetime.aborted) return 137;
  }
};

/** `id [-u|-g|-un|-gn]`: containers run as root. */
export const id: Program = async (ctx) => {
  const flag = ctx.argv[1];
  const out = flag === '-u' || flag === '-g' ? '0' : flag === '-un' || flag === '-gn' ? 'root' : 'uid=0(root) gid=0(root) groups=0(root)';
  await ctx.stdout.write(`${out}\n`);
  return 0;
};

/** `whoami`: root. */
export const whoami: Program = async (ctx) => {
  await ctx.stdout.write('root\n');
  return 0;
};

/** `uname [-asnrvmo]`. */
export const uname: Program = async (ctx) => {
  const parts: Record<string, string> = { s: 'Linux', n: ctx.container.hostname, r: '6.1.0-kubesim', v: '#1 SMP', m: 'x86_64', o: 'GNU/Linux' };
  const flags = ctx.argv.slice(1).join('').replace(/-/g, '');
  const order = flags.includes('a') ? 'snrvmo' : flags === '' ? 's' : [...'snrvmo'].filter((f) => flags.includes(f)).join('');
  await ctx.stdout.write(`${[...order].map((f) => parts[f]).join(' ')}\n`);
  return 0;
};

/** `basename PATH [SUFFIX]`. */
export const basename: Program = async (ctx) => {
  const [path, suffix] = ctx.argv.slice(1);
  if (path === undefined) return usageError(ctx, 'missing operand');
  let b = baseName(path);
  if (suffix && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length);
  await ctx.stdout.write(`${b}\n`);
  return 0;
};

/** `dirname PATH`. */
export const dirname: Program = async (ctx) => {
  const path = ctx.argv[1];
  if (path === undefined) return usageError(ctx, 'missing operand');
  await ctx.stdout.write(`${dirName(path)}\n`);
  return 0;
};

/** `pwd`: the working directory. */
export const pwd: Program = async (ctx: ProcessContext) => {
  await ctx.stdout.write(`${ctx.cwd}\n`);
  return 0;
};
