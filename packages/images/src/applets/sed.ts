import { fsErrorMessage } from '../fs/errors.js';
import type { Program } from '../process.js';
import { basicToJs } from './text.js';
import { fail, readTextFile, splitLines } from './util.js';

type Address = { line: number } | { last: true } | { re: RegExp };

interface SedCommand {
  from?: Address;
  to?: Address;
  negate: boolean;
  name: string;
  re?: RegExp;
  replacement?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  text?: string;
}

/** A script sed cannot parse; the message is busybox's. */
class SedError extends Error {}

/** Parses a sed script: `s/re/rep/gip`, `d`, `p`, `q`, `a`/`i`/`c text`, `y/abc/xyz/`, with line, `$` and /re/ addresses. */
export function parseSed(script: string, extended: boolean): SedCommand[] {
  const toRe = (src: string, flags = '') => new RegExp(extended ? src : basicToJs(src), flags);
  const out: SedCommand[] = [];
  let i = 0;
  const readDelimited = (delim: string): string => {
    let s = '';
    for (; i < script.length && script[i] !== delim; i++) {
      if (script[i] === '\\' && script[i + 1] === delim) s += script[++i];
      else if (script[i] === '\\' && i + 1 < script.length) s += script[i] + script[++i];
      else s += script[i];
    }
    if (script[i] !== delim) throw new SedError(`unmatched '${delim}'`);
    i++;
    return s;
  };
  const readAddress = (): Address | undefined => {
    const m = /^(\d+|\$)/.exec(script.slice(i));
    if (m) {
      i += m[0].length;
      return m[0] === '$' ? { last: true } : { line: Number(m[0]) };
    }
    if (script[i] === '/') {
      i++;
      return { re: toRe(readDelimited('/')) };
    }
    return undefined;
  };
  while (i < script.length) {
    while (/[\s;]/.test(script[i] ?? '')) i++;
    if (i >= script.length) break;
    const cmd: SedCommand = { negate: false, name: '' };
    cmd.from = readAddress();
    if (cmd.from && script[i] === ',') {
      i++;
      cmd.to = readAddress();
    }
    while (script[i] === ' ') i++;
    if (script[i] === '!') {
      cmd.negate = true;
      i++;
    }
    cmd.name = script[i++] ?? '';
    if (cmd.name === 's') {
      const delim = script[i++];
      const re = readDelimited(delim);
      cmd.replacement = readDelimited(delim);
      const flags = /^[gip\d]*/.exec(script.slice(i))?.[0] ?? '';
      i += flags.length;
      cmd.global = flags.includes('g');
      cmd.print = flags.includes('p');
      cmd.nth = Number(/\d+/.exec(flags)?.[0] ?? 1);
      cmd.re = toRe(re, `${cmd.global ? 'g' : ''}${flags.includes('i') ? 'i' : ''}`);
    } else if (cmd.name === 'y') {
      const delim = script[i++];
      cmd.text = `${readDelimited(delim)}\u0000${readDelimited(delim)}`;
    } else if ('aic'.includes(cmd.name)) {
      const end = script.indexOf('\n', i);
      cmd.text = script.slice(i, end < 0 ? undefined : end).replace(/^\\?\s*/, '');
      i = end < 0 ? script.length : end;
    } else if (!'dpqP='.includes(cmd.name) || cmd.name === '') throw new SedError(`unsupported command ${cmd.name}`);
    out.push(cmd);
  }
  return out;
}

function replacementFor(template: string, match: string, groups: string[]): string {
  return template.replace(/\\(\d)|\\n|\\(.)|&/g, (all, d: string | undefined, c: string | undefined) => {
    if (d !== undefined) return groups[Number(d) - 1] ?? '';
    if (all === '\\n') return '\n';
    if (c !== undefined) return c;
    return match;
  });
}

function substitute(line: string, cmd: SedCommand): { line: string; changed: boolean } {
  let count = 0;
  let changed = false;
  const re = new RegExp(cmd.re!.source, cmd.re!.flags.includes('g') ? cmd.re!.flags : `${cmd.re!.flags}g`);
  const result = line.replace(re, (match: string, ...rest: unknown[]) => {
    count++;
    if (count < (cmd.nth ?? 1) || (!cmd.global && count > (cmd.nth ?? 1))) return match;
    changed = true;
    const groups = rest.slice(0, -2).map((g) => (g === undefined ? '' : String(g)));
    return replacementFor(cmd.replacement ?? '', match, groups);
  });
  return { line: result, changed };
}

/** Runs a parsed script over lines and returns the output text. */
export function runSed(commands: SedCommand[], lines: string[], quiet: boolean): string {
  let out = '';
  const active = new Map<SedCommand, boolean>();
  const matches = (a: Address, line: string, n: number) => ('line' in a ? a.line === n : 'last' in a ? n === lines.length : a.re.test(line));
  for (const [idx, original] of lines.entries()) {
    const n = idx + 1;
    let line = original;
    let deleted = false;
    let append = '';
    let quit = false;
    for (const cmd of commands) {
      let hit = true;
      if (cmd.from && cmd.to) {
        if (active.get(cmd)) {
          if (matches(cmd.to, line, n)) active.set(cmd, false);
        } else {
          hit = matches(cmd.from, line, n);
          // A range whose end is a line number already passed covers one line only.
          if (hit) active.set(cmd, 're' in cmd.to || ('line' in cmd.to && cmd.to.line > n));
        }
      } else if (cmd.from) hit = matches(cmd.from, line, n);
      if (hit === cmd.negate) continue;
      if (cmd.name === 's') {
        const r = substitute(line, cmd);
        line = r.line;
        if (r.changed && cmd.print) out += `${line}\n`;
      } else if (cmd.name === 'y') {
        const [from, to] = (cmd.text ?? '\u0000').split('\u0000');
        line = [...line].map((c) => (from.includes(c) ? (to[from.indexOf(c)] ?? c) : c)).join('');
      } else if (cmd.name === 'd') {
        deleted = true;
        break;
      } else if (cmd.name === 'p' || cmd.name === 'P') out += `${line}\n`;
      else if (cmd.name === '=') out += `${n}\n`;
      else if (cmd.name === 'a') append += `${cmd.text}\n`;
      else if (cmd.name === 'i') out += `${cmd.text}\n`;
      else if (cmd.name === 'c') {
        out += `${cmd.text}\n`;
        deleted = true;
        break;
      } else if (cmd.name === 'q') {
        quit = true;
        break;
      }
    }
    if (!deleted && !quiet) out += `${line}\n`;
    out += append;
    if (quit) break;
  }
  return out;
}

/** `sed [-n] [-i] [-E|-r] [-e SCRIPT]... [SCRIPT] [FILE]...`. */
export const sed: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let inPlace = false;
  let extended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e') scripts.push(args[++i] ?? '');
    else if (/^-[nirEs]+$/.test(a)) {
      quiet ||= a.includes('n');
      inPlace ||= a.includes('i');
      extended ||= a.includes('E') || a.includes('r');
    } else if (scripts.length === 0 && !args.slice(0, i).includes('-e')) scripts.push(a);
    else files.push(a);
  }
  let commands: SedCommand[];
  try {
    commands = parseSed(scripts.join('\n'), extended);
  } catch (err) {
    await fail(ctx, (err as Error).message);
    return 1;
  }
  if (files.length === 0) {
    await ctx.stdout.write(runSed(commands, splitLines(await ctx.stdin.readText()), quiet));
    return 0;
  }
  let status = 0;
  for (const f of files) {
    try {
      const result = runSed(commands, splitLines(await readTextFile(ctx, f)), quiet);
      if (inPlace) await ctx.container.fs.writeFile(f, ctx.cwd, result);
      else await ctx.stdout.write(result);
    } catch (err) {
      await fail(ctx, `${f}: ${fsErrorMessage(err)}`);
      status = 1;
    }
  }
  return status;
};
