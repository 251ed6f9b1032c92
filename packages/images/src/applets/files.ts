import type { Stats } from 'node:fs';
import { errorCode, fsErrorMessage } from '../fs/errors.js';
import { baseName } from '../fs/paths.js';
import type { Program, ProcessContext } from '../process.js';
import { fail, parseArgs, usageError } from './util.js';

/** `cat [file|-]...`: copies files (bytes as they are) to stdout. */
export const cat: Program = async (ctx) => {
  const files = ctx.argv.slice(1).filter((a) => a === '-' || !a.startsWith('-'));
  let status = 0;
  for (const f of files.length === 0 ? ['-'] : files) {
    if (f === '-') {
      for (let c = await ctx.stdin.read(); c !== null; c = await ctx.stdin.read()) await ctx.stdout.write(c);
      continue;
    }
    try {
      const st = await ctx.container.fs.stat(f, ctx.cwd).catch((err) => (errorCode(err) === 'ENOENT' && f.startsWith('/dev/') ? undefined : Promise.reject(err)));
      if (st?.isDirectory()) {
        await fail(ctx, `read error: Is a directory`);
        status = 1;
        continue;
      }
      await ctx.stdout.write(await ctx.container.fs.readFile(f, ctx.cwd));
    } catch (err) {
      await fail(ctx, `can't open '${f}': ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};

/** `touch FILE...`. */
export const touch: Program = async (ctx) => {
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (files.length === 0) return usageError(ctx, 'missing operand');
  let status = 0;
  for (const f of files) {
    try {
      await ctx.container.fs.touch(f, ctx.cwd);
    } catch (err) {
      await fail(ctx, `${f}: ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};

/** `rm [-f] [-r] PATH...`. */
export const rm: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'frRiv');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const force = !!parsed.flags.f;
  const recursive = !!(parsed.flags.r || parsed.flags.R);
  if (parsed.args.length === 0 && !force) return usageError(ctx, 'missing operand');
  let status = 0;
  for (const f of parsed.args) {
    try {
      await ctx.container.fs.remove(f, ctx.cwd, recursive);
    } catch (err) {
      if (force && errorCode(err) === 'ENOENT') continue;
      await fail(ctx, `can't remove '${f}': ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};

/** `mkdir [-p] DIR...`. */
export const mkdir: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'pm:v');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  if (parsed.args.length === 0) return usageError(ctx, 'missing operand');
  let status = 0;
  for (const d of parsed.args) {
    try {
      await ctx.container.fs.mkdir(d, ctx.cwd, !!parsed.flags.p);
    } catch (err) {
      await fail(ctx, `can't create directory '${d}': ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};

/** `rmdir DIR...`. */
export const rmdir: Program = async (ctx) => {
  let status = 0;
  for (const d of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    try {
      await ctx.container.fs.rmdir(d, ctx.cwd);
    } catch (err) {
      await fail(ctx, `'${d}': ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};

/** Copies `from` to `to`, recursing into directories when asked. */
async function copyTree(ctx: ProcessContext, from: string, to: string, recursive: boolean): Promise<void> {
  const fs = ctx.container.fs;
  const st = await fs.stat(from, ctx.cwd);
  if (!st.isDirectory()) return fs.copyFile(from, to, ctx.cwd);
  if (!recursive) throw Object.assign(new Error(), { code: 'EISDIR' });
  await fs.mkdir(to, ctx.cwd, true);
  for (const name of await fs.readdir(from, ctx.cwd)) await copyTree(ctx, `${from}/${name}`, `${to}/${name}`, true);
}

/** Where `cp`/`mv` put each source: into `dest` if it is a directory (or several sources). */
async function destinations(ctx: ProcessContext, sources: string[], dest: string): Promise<[string, string][]> {
  const isDir = await ctx.container.fs.stat(dest, ctx.cwd).then((s) => s.isDirectory(), () => false);
  return sources.map((s) => [s, isDir || sources.length > 1 ? `${dest.replace(/\/+$/, '')}/${baseName(s)}` : dest]);
}

/** `cp [-r] SRC... DEST`. */
export const cp: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'rRafpvLdP');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  if (parsed.args.length < 2) return usageError(ctx, 'missing file operand');
  const recursive = !!(parsed.flags.r || parsed.flags.R || parsed.flags.a);
  let status = 0;
  for (const [from, to] of await destinations(ctx, parsed.args.slice(0, -1), parsed.args[parsed.args.length - 1])) {
    try {
      await copyTree(ctx, from, to, recursive);
    } catch (err) {
      await fail(ctx, errorCode(err) === 'EISDIR' ? `omitting directory '${from}'` : `can't stat '${from}': ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};

/** `mv SRC... DEST`. */
export const mv: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'fivn');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  if (parsed.args.length < 2) return usageError(ctx, 'missing file operand');
  let status = 0;
  for (const [from, to] of await destinations(ctx, parsed.args.slice(0, -1), parsed.args[parsed.args.length - 1])) {
    try {
      await ctx.container.fs.rename(from, to, ctx.cwd);
    } catch (err) {
      if (errorCode(err) !== 'EXDEV') {
        await fail(ctx, `can't rename '${from}': ${fsErrorMessage(err)}`);
        status = 1;
        continue;
      }
      await copyTree(ctx, from, to, true);
      await ctx.container.fs.remove(from, ctx.cwd, true);
    }
  }
  return status;
};

/** `ln -s [-f] TARGET [LINK]` (symbolic links only). */
export const ln: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'sfnv');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const [target, link = baseName(parsed.args[0] ?? '')] = parsed.args;
  if (target === undefined) return usageError(ctx, 'missing file operand');
  if (!parsed.flags.s) return usageError(ctx, 'hard links are not supported; use -s');
  try {
    if (parsed.flags.f) await ctx.container.fs.remove(link, ctx.cwd, false).catch(() => undefined);
    await ctx.container.fs.symlink(target, link, ctx.cwd);
    return 0;
  } catch (err) {
    await fail(ctx, `${link}: ${fsErrorMessage(err)}`);
    return 1;
  }
};

/** `chmod MODE FILE...` (octal or symbolic). */
export const chmod: Program = async (ctx) => {
  const [mode, ...files] = ctx.argv.slice(1).filter((a) => a !== '-R');
  if (!mode || files.length === 0) return usageError(ctx, 'missing operand');
  let status = 0;
  for (const f of files) {
    try {
      const st = await ctx.container.fs.stat(f, ctx.cwd);
      await ctx.container.fs.chmod(f, ctx.cwd, applyMode(st.mode & 0o7777, mode));
    } catch (err) {
      await fail(ctx, `${f}: ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};

/** Applies an octal (`755`) or symbolic (`+x`, `u+rw`, `go-w`) mode. */
export function applyMode(current: number, spec: string): number {
  if (/^[0-7]+$/.test(spec)) return parseInt(spec, 8);
  let mode = current;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwx]*)$/.exec(clause);
    if (!m) continue;
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    let bits = 0;
    for (const w of who) {
      const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
      for (const p of m[3]) bits |= (p === 'r' ? 4 : p === 'w' ? 2 : 1) << shift;
    }
    mode = m[2] === '+' ? mode | bits : m[2] === '-' ? mode & ~bits : bits;
  }
  return mode;
}

/** `tee [-a] FILE...`: copies stdin to stdout and the files. */
export const tee: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'ai');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const sinks = [];
  let status = 0;
  for (const f of parsed.args) {
    try {
      sinks.push(await ctx.container.fs.openSink(f, ctx.cwd, !!parsed.flags.a));
    } catch (err) {
      await fail(ctx, `${f}: ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  try {
    for (let c = await ctx.stdin.read(); c !== null; c = await ctx.stdin.read()) {
      for (const s of sinks) await s.write(c);
      await ctx.stdout.write(c);
    }
  } finally {
    for (const s of sinks) await s.close();
  }
  return status;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function modeString(st: Stats): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isCharacterDevice() ? 'c' : st.isFIFO() ? 'p' : st.isSocket() ? 's' : '-';
  let s = type;
  for (const shift of [6, 3, 0]) {
    const bits = (st.mode >> shift) & 7;
    s += `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
  }
  return s;
}

function timeString(d: Date): string {
  const recent = Math.abs(Date.now() - d.getTime()) < 182 * 86_400_000;
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

/** One `ls -l` line, in busybox's layout. */
async function longLine(ctx: ProcessContext, path: string, name: string): Promise<string> {
  const st = await ctx.container.fs.lstat(path, ctx.cwd);
  const link = st.isSymbolicLink() ? ` -> ${await ctx.container.fs.readlink(path, ctx.cwd)}` : '';
  return `${modeString(st)} ${String(st.nlink).padStart(4)} root     root     ${String(st.size).padStart(9)} ${timeString(st.mtime)} ${name}${link}`;
}

/** `ls [-1lAad] [path...]`: one name per line (output is never a terminal). */
export const ls: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), '1lAadhRtrFSC');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const { flags } = parsed;
  const paths = parsed.args.length > 0 ? parsed.args : ['.'];
  let status = 0;
  const files: string[] = [];
  const dirs: string[] = [];
  for (const p of paths) {
    const st = await ctx.container.fs.stat(p, ctx.cwd).catch(() => ctx.container.fs.lstat(p, ctx.cwd).catch(() => undefined));
    if (!st) {
      await fail(ctx, `${p}: No such file or directory`);
      status = 1;
    } else if (st.isDirectory() && !flags.d) dirs.push(p);
    else files.push(p);
  }
  const show = async (path: string, name: string) => ctx.stdout.write(`${flags.l ? await longLine(ctx, path, name) : name}\n`);
  for (const f of files) await show(f, f);
  for (const [i, d] of dirs.entries()) {
    if (paths.length > 1) await ctx.stdout.write(`${i > 0 || files.length > 0 ? '\n' : ''}${d}:\n`);
    let names = await ctx.container.fs.readdir(d, ctx.cwd);
    if (!flags.a && !flags.A) names = names.filter((n) => !n.startsWith('.'));
    if (flags.a) names = ['.', '..', ...names];
    if (flags.r) names.reverse();
    if (flags.l) await ctx.stdout.write(`total ${names.length * 4}\n`);
    for (const n of names) await show(`${d.replace(/\/+$/, '')}/${n}`, n);
  }
  return status;
};
