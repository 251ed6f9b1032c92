import type { Program, ProcessContext } from '../process.js';
import { delay } from '../timing.js';
import { fail, forEachInput, parseArgs, splitLines, usageError } from './util.js';

/** Turns the old `-5` form into `-n 5` for head and tail. */
function normalizeCount(argv: string[]): string[] {
  return argv.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
}

/** `head [-n N|-N] [-c N] [file...]`; reading stdin, stops after N lines (so `yes | head` ends). */
export const head: Program = async (ctx) => {
  const parsed = parseArgs(normalizeCount(ctx.argv.slice(1)), 'n:c:qv');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const n = Number(parsed.flags.n ?? 10);
  const bytes = parsed.flags.c !== undefined ? Number(parsed.flags.c) : undefined;
  const many = parsed.args.length > 1;
  let first = true;
  if (parsed.args.length === 0 && bytes === undefined) {
    // Read only as many lines as needed, so `yes | head -1` ends.
    for (let i = 0; i < n; i++) {
      const line = await ctx.stdin.readLine();
      if (line === null) break;
      await ctx.stdout.write(`${line}\n`);
    }
    ctx.stdin.close();
    return 0;
  }
  return forEachInput(ctx, parsed.args, async (text, name) => {
    if (many) await ctx.stdout.write(`${first ? '' : '\n'}==> ${name} <==\n`);
    first = false;
    if (bytes !== undefined) await ctx.stdout.write(text.slice(0, bytes));
    else for (const line of splitLines(text).slice(0, n)) await ctx.stdout.write(`${line}\n`);
  });
};

/** `tail [-n N|+N] [-c N] [-f|-F] [file]`; `-f` polls the file until the container ends. */
export const tail: Program = async (ctx) => {
  const parsed = parseArgs(normalizeCount(ctx.argv.slice(1)), 'n:c:fFqs:v');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const spec = String(parsed.flags.n ?? '10');
  const fromStart = spec.startsWith('+');
  const n = Math.abs(Number(spec));
  const follow = !!(parsed.flags.f || parsed.flags.F);
  const pick = (text: string) => {
    if (parsed.flags.c !== undefined) return text.slice(-Number(parsed.flags.c));
    const lines = splitLines(text);
    const chosen = fromStart ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n);
    return chosen.map((l) => `${l}\n`).join('');
  };
  if (!follow || parsed.args.length === 0) {
    return forEachInput(ctx, parsed.args, async (text) => {
      await ctx.stdout.write(pick(text));
    });
  }
  return followFile(ctx, parsed.args[0], pick, !!parsed.flags.F);
};

async function followFile(ctx: ProcessContext, file: string, pick: (text: string) => string, retry: boolean): Promise<number> {
  const fs = ctx.container.fs;
  let offset = -1;
  let warned = false;
  for (;;) {
    const data = await fs.readFile(file, ctx.cwd).catch(() => undefined);
    if (data === undefined && !retry && offset < 0) {
      await fail(ctx, `can't open '${file}': No such file or directory`);
      return 1;
    }
    if (data === undefined && !warned) {
      await fail(ctx, `can't open '${file}': No such file or directory`);
      warned = true;
    }
    if (data !== undefined) {
      if (offset < 0) await ctx.stdout.write(pick(data.toString('utf8')));
      else if (data.length > offset) await ctx.stdout.write(data.subarray(offset));
      else if (data.length < offset) await ctx.stdout.write(data);
      offset = data.length;
    }
    if (!(await delay(250, ctx.container.lifetime))) return 137;
  }
}

/** Converts a POSIX basic regular expression to JavaScript syntax. */
export function basicToJs(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i];
      out += '(){}|+?'.includes(n) ? n : `\\${n}`;
    } else if ('(){}|+?'.includes(c)) out += `\\${c}`;
    else if (c === '[') {
      const end = re.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        out += re.slice(i, end + 1).replace(/\[:(\w+):\]/g, (_, n: string) => POSIX_CLASSES[n] ?? '');
        i = end;
      }
    } else out += c;
  }
  return out;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', xdigit: '0-9a-fA-F', blank: ' \\t',
};

function extendedToJs(re: string): string {
  return re.replace(/\[:(\w+):\]/g, (_, n: string) => POSIX_CLASSES[n] ?? '');
}

/** `grep [-iEFvcnqlhHowx] [-e PATTERN]... [PATTERN] [FILE]...`: 0 on a match, 1 on none, 2 on error. */
export const grep: Program = async (ctx) => {
  const argv = ctx.argv[0].endsWith('egrep') ? ['-E', ...ctx.argv.slice(1)] : ctx.argv.slice(1);
  const parsed = parseArgs(argv, 'iEFvcnqlhHowxe:srm:');
  if (typeof parsed === 'string') {
    await usageError(ctx, parsed);
    return 2;
  }
  const { flags } = parsed;
  const args = [...parsed.args];
  const patterns = flags.e !== undefined ? [String(flags.e)] : args.length > 0 ? [args.shift()!] : [];
  if (patterns.length === 0) {
    await fail(ctx, 'usage: grep [-iEFvcnqlhHowx] PATTERN [FILE]...');
    return 2;
  }
  const sources = patterns.flatMap((p) => p.split('\n')).map((p) =>
    flags.F ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : flags.E ? extendedToJs(p) : basicToJs(p),
  );
  let source = sources.map((s) => `(?:${s})`).join('|');
  if (flags.w) source = `(?<![\\w])(?:${source})(?![\\w])`;
  if (flags.x) source = `^(?:${source})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, `${flags.i ? 'i' : ''}g`);
  } catch {
    await fail(ctx, `bad regex '${patterns[0]}'`);
    return 2;
  }
  let matched = false;
  const showName = (args.length > 1 || !!flags.H) && !flags.h;
  const max = flags.m !== undefined ? Number(flags.m) : Infinity;
  const status = await forEachInput(ctx, args, async (text, name) => {
    let count = 0;
    for (const [idx, line] of splitLines(text).entries()) {
      if (count >= max) break;
      regex.lastIndex = 0;
      const hit = regex.test(line);
      if (hit === !!flags.v) continue;
      count += 1;
      matched = true;
      if (flags.q || flags.l || flags.c) continue;
      const prefix = `${showName ? `${name === '-' ? '(standard input)' : name}:` : ''}${flags.n ? `${idx + 1}:` : ''}`;
      if (flags.o && !flags.v) for (const m of line.matchAll(regex)) await ctx.stdout.write(`${prefix}${m[0]}\n`);
      else await ctx.stdout.write(`${prefix}${line}\n`);
    }
    if (flags.c && !flags.q) await ctx.stdout.write(`${showName ? `${name}:` : ''}${count}\n`);
    if (flags.l && count > 0 && !flags.q) await ctx.stdout.write(`${name === '-' ? '(standard input)' : name}\n`);
  });
  if (status !== 0 && !matched) return 2;
  return matched ? 0 : 1;
};

/** `wc [-lwc]`: one number alone for a single count of stdin; padded columns otherwise. */
export const wc: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'lwcmL');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const { flags } = parsed;
  const which = ['l', 'w', 'c'].filter((f) => flags[f] || (f === 'c' && flags.m));
  const cols = which.length > 0 ? which : ['l', 'w', 'c'];
  const totals: Record<string, number> = { l: 0, w: 0, c: 0 };
  let files = 0;
  const status = await forEachInput(ctx, parsed.args, async (text, name) => {
    const counts: Record<string, number> = {
      l: (text.match(/\n/g) ?? []).length,
      w: text.split(/\s+/).filter((w) => w !== '').length,
      c: Buffer.byteLength(text),
    };
    for (const k of cols) totals[k] += counts[k];
    files += 1;
    const label = name === '-' ? '' : name;
    const numbers = cols.length === 1 ? String(counts[cols[0]]) : cols.map((k) => String(counts[k]).padStart(7)).join(' ');
    await ctx.stdout.write(`${numbers}${label ? ` ${label}` : ''}\n`);
  });
  if (files > 1) await ctx.stdout.write(`${cols.map((k) => String(totals[k]).padStart(cols.length === 1 ? 0 : 7)).join(' ')} total\n`);
  return status;
};

/** `sort [-rnuf] [-t SEP] [-k N]`. */
export const sort: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'rnuft:k:');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const { flags } = parsed;
  const lines: string[] = [];
  const status = await forEachInput(ctx, parsed.args, async (text) => {
    lines.push(...splitLines(text));
  });
  const keyOf = (line: string) => {
    if (flags.k === undefined) return line;
    const field = Number(String(flags.k).split(',')[0]) - 1;
    const parts = flags.t !== undefined ? line.split(String(flags.t)) : line.trim().split(/\s+/);
    return parts.slice(field).join(' ');
  };
  const cmp = (a: string, b: string) => {
    let x = keyOf(a);
    let y = keyOf(b);
    if (flags.n) return (parseFloat(x) || 0) - (parseFloat(y) || 0);
    if (flags.f) [x, y] = [x.toLowerCase(), y.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  lines.sort(cmp);
  if (flags.r) lines.reverse();
  const out = flags.u ? lines.filter((l, i) => i === 0 || cmp(lines[i - 1], l) !== 0) : lines;
  if (out.length > 0) await ctx.stdout.write(`${out.join('\n')}\n`);
  return status;
};

/** `uniq [-cdui]`: folds adjacent repeated lines. */
export const uniq: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'cdui');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const { flags } = parsed;
  return forEachInput(ctx, parsed.args.slice(0, 1), async (text) => {
    const groups: [string, number][] = [];
    for (const line of splitLines(text)) {
      const last = groups[groups.length - 1];
      const same = last && (flags.i ? last[0].toLowerCase() === line.toLowerCase() : last[0] === line);
      if (same) last[1] += 1;
      else groups.push([line, 1]);
    }
    for (const [line, n] of groups) {
      if ((flags.d && n < 2) || (flags.u && n > 1)) continue;
      await ctx.stdout.write(flags.c ? `${String(n).padStart(7)} ${line}\n` : `${line}\n`);
    }
  });
};

/** Expands a `tr` set: ranges (a-z), escapes (\n) and classes ([:upper:]). */
function expandSet(spec: string): string[] {
  const classes: Record<string, string> = {
    '[:upper:]': 'A-Z', '[:lower:]': 'a-z', '[:digit:]': '0-9', '[:alpha:]': 'a-zA-Z', '[:alnum:]': 'a-zA-Z0-9', '[:space:]': ' \t\n\r\f\v',
  };
  for (const [k, v] of Object.entries(classes)) spec = spec.split(k).join(v);
  spec = spec.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r').replace(/\\\\/g, '\\');
  const out: string[] = [];
  for (let i = 0; i < spec.length; i++) {
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      for (let c = spec.charCodeAt(i); c <= spec.charCodeAt(i + 2); c++) out.push(String.fromCharCode(c));
      i += 2;
    } else out.push(spec[i]);
  }
  return out;
}

/** `tr [-ds] SET1 [SET2]`: ranges, escapes and [:classes:]. */
export const tr: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'dsc');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const [set1 = '', set2 = ''] = parsed.args;
  const from = expandSet(set1);
  const to = expandSet(set2);
  const text = await ctx.stdin.readText();
  let out = '';
  let prev = '';
  for (const ch of text) {
    const at = from.indexOf(ch);
    if (parsed.flags.d && at >= 0) continue;
    const mapped = !parsed.flags.d && at >= 0 && to.length > 0 ? to[Math.min(at, to.length - 1)] : ch;
    const squeezeSet = parsed.flags.d ? to : to.length > 0 ? to : from;
    if (parsed.flags.s && mapped === prev && squeezeSet.includes(mapped)) continue;
    out += mapped;
    prev = mapped;
  }
  await ctx.stdout.write(out);
  return 0;
};

/** Parses a cut list like "1,3-5,7-" into a membership test (1-based). */
function cutList(spec: string): (n: number) => boolean {
  const ranges = spec.split(',').map((r) => {
    const [a, b] = r.split('-');
    const lo = a === '' ? 1 : Number(a);
    const hi = r.includes('-') ? (b === '' ? Infinity : Number(b)) : lo;
    return [lo, hi] as const;
  });
  return (n) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

/** `cut -d DELIM -f LIST | -c LIST`. */
export const cut: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'd:f:c:b:s');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const { flags } = parsed;
  const delim = flags.d !== undefined ? String(flags.d) : '\t';
  const spec = String(flags.f ?? flags.c ?? flags.b ?? '');
  if (!spec) return usageError(ctx, 'expected a list of bytes, characters, or fields');
  const keep = cutList(spec);
  return forEachInput(ctx, parsed.args, async (text) => {
    for (const line of splitLines(text)) {
      if (flags.f !== undefined) {
        if (!line.includes(delim)) {
          if (!flags.s) await ctx.stdout.write(`${line}\n`);
          continue;
        }
        await ctx.stdout.write(`${line.split(delim).filter((_, i) => keep(i + 1)).join(delim)}\n`);
      } else await ctx.stdout.write(`${[...line].filter((_, i) => keep(i + 1)).join('')}\n`);
    }
  });
};
