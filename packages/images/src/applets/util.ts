import { fsErrorMessage } from '../fs/errors.js';
import type { ProcessContext } from '../process.js';

/** Parsed command-line options: single-letter flags, some taking a value. */
export interface ParsedArgs {
  flags: Record<string, string | true>;
  args: string[];
}

/**
 * getopt-style parsing: `spec` lists the letters, a letter followed by `:` takes a value
 * (`-n5`, `-n 5`). Combined flags (`-rf`) work; `--` ends options; so does the first operand.
 * Returns an error string for an unknown option.
 */
export function parseArgs(argv: string[], spec: string, longAliases: Record<string, string> = {}): ParsedArgs | string {
  const flags: Record<string, string | true> = {};
  const args: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--') && longAliases[a.split('=')[0]]) {
      const letter = longAliases[a.split('=')[0]];
      flags[letter] = a.includes('=') ? a.slice(a.indexOf('=') + 1) : spec.includes(`${letter}:`) ? (argv[++i] ?? '') : true;
      continue;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const letter = a[j];
      const at = spec.indexOf(letter);
      if (at < 0) return `invalid option -- '${letter}'`;
      if (spec[at + 1] === ':') {
        const rest = a.slice(j + 1);
        flags[letter] = rest !== '' ? rest : (argv[++i] ?? '');
        break;
      }
      flags[letter] = true;
    }
  }
  args.push(...argv.slice(i));
  return { flags, args };
}

/** Writes `name: message` to stderr, as busybox applets report errors. */
export async function fail(ctx: ProcessContext, message: string): Promise<void> {
  await ctx.stderr.write(`${appletName(ctx)}: ${message}\n`);
}

/** The applet's name as invoked (`/bin/cat` is `cat`). */
export function appletName(ctx: ProcessContext): string {
  const a = ctx.argv[0] ?? '';
  return a.slice(a.lastIndexOf('/') + 1);
}

/** Reports a bad option the busybox way and returns status 1. */
export async function usageError(ctx: ProcessContext, message: string): Promise<number> {
  await fail(ctx, message);
  return 1;
}

/**
 * Reads each named file (or stdin for none or `-`), calling `each` with its text;
 * unreadable files are reported as `name: can't open 'f': reason`. Returns 1 if any failed.
 */
export async function forEachInput(ctx: ProcessContext, files: string[], each: (text: string, name: string) => Promise<void>): Promise<number> {
  let status = 0;
  for (const f of files.length === 0 ? ['-'] : files) {
    let text: string;
    try {
      text = f === '-' ? await ctx.stdin.readText() : await readTextFile(ctx, f);
    } catch (err) {
      await fail(ctx, `can't open '${f}': ${fsErrorMessage(err)}`);
      status = 1;
      continue;
    }
    await each(text, f);
  }
  return status;
}

/** Reads a container file as text; a directory fails with EISDIR. */
export async function readTextFile(ctx: ProcessContext, path: string): Promise<string> {
  const st = await ctx.container.fs.stat(path, ctx.cwd).catch(() => undefined);
  if (st?.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
  return (await ctx.container.fs.readFile(path, ctx.cwd)).toString('utf8');
}

/** Splits text into lines, without a final empty line for a trailing newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Interprets backslash escapes as `echo -e` and `printf %b` do; `stop` is set by `\c`. */
export function interpretEscapes(s: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '\\': '\\' };
    if (n in simple) out += simple[n];
    else if (n === 'c') return { text: out, stop: true };
    else if (n === '0' || /[1-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(n === '0' ? i + 1 : i))?.[0] ?? '';
      out += String.fromCharCode(parseInt(m || '0', 8));
      i += n === '0' ? m.length : m.length - 1;
    } else if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))?.[0] ?? '';
      out += m ? String.fromCharCode(parseInt(m, 16)) : '\\x';
      i += m.length;
    } else out += `\\${n}`;
  }
  return { text: out, stop: false };
}
