import type { ContainerFs } from '../fs/container-fs.js';
import type { List, Word, WordPart } from './ast.js';
import { evaluateArithmetic } from './arith.js';
import { parseExpandable } from './parser.js';
import { hasGlob, patternSource, removeAffix, segmentText, type Segment } from './pattern.js';

/** An expansion that stops the shell: `${x:?message}`, an unset variable under `set -u`, bad arithmetic. */
export class ExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpansionError';
  }
}

/** What expansion needs from the shell. */
export interface ExpansionHost {
  /** A variable or special parameter (`?`, `#`, `1`...); undefined if unset. */
  lookup(name: string): string | undefined;
  assign(name: string, value: string): void;
  /** The positional parameters `$1`... */
  positional(): string[];
  /** Runs a command substitution and returns its output. */
  substitute(body: List): Promise<string>;
  readonly fs: ContainerFs;
  readonly cwd: string;
  readonly nounset: boolean;
  readonly noglob: boolean;
}

/** Expands words into command arguments: parameters, substitutions, arithmetic, field splitting, pathname expansion. */
export async function expandWords(words: Word[], host: ExpansionHost): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) {
    for (const field of await expandFields(word, host, true)) {
      if (!host.noglob && hasGlob(field)) out.push(...(await glob(field, host)));
      else out.push(segmentText(field));
    }
  }
  return out;
}

/** Expands a word into one string, without field splitting or globbing (assignments, redirection targets, `case`). */
export async function expandString(word: Word, host: ExpansionHost): Promise<string> {
  return segmentText(await expandSegments(word, host));
}

/** Expands a word into pattern segments that keep track of quoting (for `case` patterns and `${x#pattern}`). */
export async function expandSegments(word: Word, host: ExpansionHost): Promise<Segment[]> {
  return (await expandFields(word, host, false)).flat();
}

/** Builds fields from parts: quoted text sticks together, unquoted expansion results split on IFS. */
class FieldBuilder {
  fields: Segment[][] = [];
  private current: Segment[] = [];
  private hasContent = false;
  private pendingBreak = false;

  constructor(private readonly ifs: string) {}

  text(text: string, quoted: boolean): void {
    if (this.pendingBreak && (quoted || text !== '')) this.end(false);
    this.pendingBreak = false;
    if (text !== '' || quoted) this.hasContent = true;
    if (text !== '') this.current.push({ text, quoted });
  }

  /** Unquoted expansion result: split on IFS. */
  split(value: string): void {
    if (this.ifs === '') return this.text(value, false);
    let piece = '';
    for (const ch of value) {
      if (!this.ifs.includes(ch)) {
        piece += ch;
        continue;
      }
      if (piece !== '') this.text(piece, false);
      piece = '';
      if (/\s/.test(ch)) this.pendingBreak = true;
      else {
        this.hasContent = true;
        this.end(false);
      }
    }
    if (piece !== '') this.text(piece, false);
  }

  end(force: boolean): void {
    if (this.hasContent || force) this.fields.push(this.current);
    this.current = [];
    this.hasContent = false;
    this.pendingBreak = false;
  }
}

async function expandFields(word: Word, host: ExpansionHost, split: boolean): Promise<Segment[][]> {
  const b = new FieldBuilder(split ? (host.lookup('IFS') ?? ' \t\n') : '');
  for (const part of word.parts) await expandPart(part, host, b, split);
  b.end(false);
  return b.fields;
}

async function expandPart(part: WordPart, host: ExpansionHost, b: FieldBuilder, split: boolean): Promise<void> {
  switch (part.type) {
    case 'text':
      return b.text(part.value, part.quoted);
    case 'tilde':
      return b.text(host.lookup('HOME') ?? '/', true);
    case 'param':
      if (part.name === '@' && part.quoted && !part.op) {
        host.positional().forEach((p, i) => {
          if (i > 0) b.end(true);
          b.text(p, true);
        });
        return;
      }
      return emit(await expandParam(part, host), part.quoted, b, split);
    case 'command':
      return emit((await host.substitute(part.body)).replace(/\n+$/, ''), part.quoted, b, split);
    case 'arith': {
      const source = await expandString(parseExpandable(part.source), host);
      let value: number;
      try {
        value = evaluateArithmetic(source, { get: (n) => host.lookup(n), set: (n, v) => host.assign(n, v) });
      } catch (err) {
        throw new ExpansionError(`arithmetic syntax error`);
      }
      return emit(String(value), part.quoted, b, split);
    }
  }
}

function emit(value: string, quoted: boolean, b: FieldBuilder, split: boolean): void {
  if (quoted || !split) b.text(value, quoted);
  else b.split(value);
}

async function expandParam(part: Extract<WordPart, { type: 'param' }>, host: ExpansionHost): Promise<string> {
  const { name, op } = part;
  const value = name === '*' || name === '@' ? joinPositional(host, part.quoted) : host.lookup(name);
  if (op === 'length') return String((value ?? '').length);
  const unset = value === undefined;
  const empty = unset || value === '';
  const arg = async () => (part.arg ? expandString(part.arg, host) : '');
  switch (op) {
    case '-':
      return unset ? arg() : value;
    case ':-':
      return empty ? arg() : value;
    case '=':
    case ':=':
      if (op === '=' ? unset : empty) {
        const v = await arg();
        host.assign(name, v);
        return v;
      }
      return value ?? '';
    case '+':
      return unset ? '' : arg();
    case ':+':
      return empty ? '' : arg();
    case '?':
    case ':?':
      if (op === '?' ? unset : empty) throw new ExpansionError(`${name}: ${(await arg()) || 'parameter not set'}`);
      return value ?? '';
    case '#':
    case '##':
    case '%':
    case '%%':
      return removeAffix(value ?? '', part.arg ? await expandSegments(part.arg, host) : [], op);
    default:
      if (unset && host.nounset && !/^[@*#?$!-]$/.test(name)) throw new ExpansionError(`${name}: parameter not set`);
      return value ?? '';
  }
}

function joinPositional(host: ExpansionHost, quoted: boolean): string {
  const ifs = host.lookup('IFS') ?? ' \t\n';
  return host.positional().join(quoted ? ifs.slice(0, 1) : ' ');
}

/** Pathname expansion: matching names, sorted; the pattern itself when nothing matches. */
async function glob(field: Segment[], host: ExpansionHost): Promise<string[]> {
  const components = splitSlash(field);
  const absolute = segmentText(field).startsWith('/');
  let candidates = [absolute ? '/' : ''];
  for (const comp of components) {
    if (comp.length === 0) continue;
    const next: string[] = [];
    for (const base of candidates) {
      if (!hasGlob(comp)) {
        next.push(joinPath(base, segmentText(comp)));
        continue;
      }
      const re = new RegExp(`^${patternSource(comp, true)}$`);
      const explicitDot = segmentText(comp).startsWith('.');
      const names = await host.fs.readdir(base === '' ? '.' : base, host.cwd).catch(() => [] as string[]);
      for (const n of names) if (re.test(n) && (explicitDot || !n.startsWith('.'))) next.push(joinPath(base, n));
    }
    candidates = next;
  }
  const found: string[] = [];
  for (const c of candidates) if (await host.fs.lstat(c, host.cwd).then(() => true, () => false)) found.push(c);
  return found.length > 0 ? found.sort() : [segmentText(field)];
}

function splitSlash(field: Segment[]): Segment[][] {
  const out: Segment[][] = [[]];
  for (const seg of field) {
    const pieces = seg.text.split('/');
    pieces.forEach((piece, i) => {
      if (i > 0) out.push([]);
      if (piece !== '') out[out.length - 1].push({ text: piece, quoted: seg.quoted });
    });
  }
  return out;
}

function joinPath(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`;
}
