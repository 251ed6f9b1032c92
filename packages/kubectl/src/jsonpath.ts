/**
 * kubectl's JSONPath template language (client-go util/jsonpath), the common subset: literal text,
 * `{.a.b}`, `{$.a}`, `{@}`, `[n]`, `[-1]`, `[a:b:c]`, `[*]`, `.*`, `['key']`, `[a,b]`, recursive
 * `..name`, filters `[?(@.x=="y")]` (== != < > <= >= and existence), `{range …}…{end}`, string
 * literals `{"\n"}`, and `\.` to escape dots in field names. Missing keys yield nothing, as with
 * kubectl's `-o jsonpath` (allowMissingKeys).
 */
import { CommandError } from './errors.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'recursive'; name: string | '*' }
  | { kind: 'index'; indices: number[] }
  | { kind: 'keys'; keys: string[] }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; left: Operand; op?: string; right?: Operand };

type Operand = { kind: 'path'; fromRoot: boolean; steps: Step[] } | { kind: 'literal'; value: unknown };

interface PathExpr {
  fromRoot: boolean;
  steps: Step[];
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'exprs'; exprs: (PathExpr | { literal: string })[] }
  | { kind: 'range'; expr: PathExpr; body: Node[] };

/** A parsed template; run it with {@link JsonPath.execute}. */
export class JsonPath {
  private constructor(private readonly nodes: Node[]) {}

  /** Parses a template. Throws CommandError on a syntax error. */
  static parse(template: string): JsonPath {
    const [nodes, rest] = parseNodes(tokenize(template), 0);
    if (rest !== undefined) throw new CommandError(`error parsing jsonpath ${template}, not in range, nothing to end`);
    return new JsonPath(nodes);
  }

  /** Renders the template against `data`. */
  execute(data: unknown): string {
    return render(this.nodes, data, data);
  }

  /** The values each top-level expression finds (custom-columns uses this). */
  findResults(data: unknown): unknown[][] {
    const out: unknown[][] = [];
    for (const n of this.nodes) {
      if (n.kind !== 'exprs') continue;
      for (const e of n.exprs) out.push('literal' in e ? [e.literal] : evalPath(e, data, data));
    }
    return out;
  }
}

/**
 * kubectl's RelaxedJSONPathExpression: accepts `.a.b`, `a.b` or `{.a.b}` and returns the braced,
 * dot-led form (used by custom-columns and --sort-by).
 */
export function relaxedJsonPath(expr: string): string {
  let e = expr.trim();
  if (e.startsWith('{') && e.endsWith('}')) e = e.slice(1, -1);
  if (!e.startsWith('.') && !e.startsWith('$') && !e.startsWith('@')) e = `.${e}`;
  return `{${e}}`;
}

type Token = { kind: 'text'; text: string } | { kind: 'action'; body: string };

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let text = '';
  while (i < template.length) {
    const c = template[i];
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    if (text) tokens.push({ kind: 'text', text });
    text = '';
    const end = findClose(template, i);
    tokens.push({ kind: 'action', body: template.slice(i + 1, end).trim() });
    i = end + 1;
  }
  if (text) tokens.push({ kind: 'text', text });
  return tokens;
}

/** Index of the `}` closing the action opened at `open`, skipping quoted strings. */
function findClose(s: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  throw new CommandError(`error parsing jsonpath ${s}, unclosed action`);
}

function parseNodes(tokens: Token[], start: number): [Node[], number | undefined] {
  const nodes: Node[] = [];
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'text') {
      nodes.push({ kind: 'text', text: t.text });
      continue;
    }
    // An `end` outside a range is reported by the caller (the returned index is not undefined).
    if (t.body === 'end') return [nodes, i];
    if (t.body.startsWith('range ') || t.body === 'range') {
      const expr = parsePath(t.body.slice(5).trim());
      const [body, endAt] = parseNodes(tokens, i + 1);
      if (endAt === undefined) throw new CommandError(`error parsing jsonpath, unclosed range`);
      nodes.push({ kind: 'range', expr, body });
      i = endAt;
      continue;
    }
    nodes.push({ kind: 'exprs', exprs: splitTopLevel(t.body, ',').map(parseExprOrLiteral) });
  }
  return [nodes, undefined];
}

function parseExprOrLiteral(src: string): PathExpr | { literal: string } {
  const s = src.trim();
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return { literal: unquote(s) };
  return parsePath(s);
}

/** Parses `$.a.b[0]`, `.a..b`, `@`, `a.b` into steps. */
function parsePath(src: string): PathExpr {
  let s = src.trim();
  let fromRoot = false;
  if (s.startsWith('$')) {
    fromRoot = true;
    s = s.slice(1);
  } else if (s.startsWith('@')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.' && s[i + 1] === '.') {
      const [name, next] = readField(s, i + 2);
      steps.push({ kind: 'recursive', name: name === '*' ? '*' : name });
      i = next;
    } else if (c === '.') {
      const [name, next] = readField(s, i + 1);
      if (name === '*') steps.push({ kind: 'wildcard' });
      else if (name !== '') steps.push({ kind: 'field', name });
      i = next;
    } else if (c === '[') {
      const close = findBracketClose(s, i);
      steps.push(parseBracket(s.slice(i + 1, close)));
      i = close + 1;
    } else if (c === ' ') {
      i++;
    } else {
      const [name, next] = readField(s, i);
      if (name === '') throw new CommandError(`error parsing jsonpath {${src}}, unrecognized character in action: U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
      i = next;
    }
  }
  return { fromRoot, steps };
}

function readField(s: string, start: number): [string, number] {
  let name = '';
  let i = start;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      name += s[++i];
      continue;
    }
    if (' .,[]$@{}()'.includes(c)) break;
    name += c;
  }
  return [name, i];
}

function findBracketClose(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new CommandError(`error parsing jsonpath ${s}, unterminated array`);
}

function parseBracket(body: string): Step {
  const b = body.trim();
  if (b === '*') return { kind: 'wildcard' };
  if (b.startsWith('?')) return parseFilter(b.slice(1).trim());
  const parts = splitTopLevel(b, ',').map((p) => p.trim());
  if (parts.every((p) => /^['"]/.test(p))) return { kind: 'keys', keys: parts.map(unquote) };
  if (parts.length === 1 && parts[0].includes(':')) {
    const [a, e, st] = parts[0].split(':').map((x) => (x.trim() === '' ? undefined : toInt(x)));
    return { kind: 'slice', start: a, end: e, step: st };
  }
  return { kind: 'index', indices: parts.map(toInt) };
}

function toInt(s: string): number {
  if (!/^\s*-?\d+\s*$/.test(s)) throw new CommandError(`error parsing jsonpath, invalid array index ${s}`);
  return Number.parseInt(s, 10);
}

const OPS = ['==', '!=', '<=', '>=', '<', '>'];

function parseFilter(src: string): Step {
  const inner = src.startsWith('(') && src.endsWith(')') ? src.slice(1, -1) : src;
  for (const op of OPS) {
    const at = indexOutsideQuotes(inner, op);
    if (at >= 0) {
      return { kind: 'filter', left: parseOperand(inner.slice(0, at)), op, right: parseOperand(inner.slice(at + op.length)) };
    }
  }
  return { kind: 'filter', left: parseOperand(inner) };
}

function parseOperand(src: string): Operand {
  const s = src.trim();
  if (/^['"]/.test(s)) return { kind: 'literal', value: unquote(s) };
  if (/^-?\d+(\.\d+)?$/.test(s)) return { kind: 'literal', value: Number(s) };
  if (s === 'true' || s === 'false') return { kind: 'literal', value: s === 'true' };
  if (s === 'nil' || s === 'null') return { kind: 'literal', value: null };
  const p = parsePath(s);
  return { kind: 'path', fromRoot: p.fromRoot, steps: p.steps };
}

function indexOutsideQuotes(s: string, needle: string): number {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (s.startsWith(needle, i)) return i;
  }
  return -1;
}

function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    if (c === sep && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function unquote(s: string): string {
  const body = s.slice(1, -1);
  return body.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c as 'n'] ?? c);
}

function render(nodes: Node[], current: unknown, root: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'range') {
      for (const item of evalPath(n.expr, current, root)) out += render(n.body, item, root);
    } else {
      for (const e of n.exprs) out += 'literal' in e ? e.literal : formatResults(evalPath(e, current, root));
    }
  }
  return out;
}

/** Results joined by spaces; objects and arrays as compact JSON with sorted keys (Go's json.Marshal). */
function formatResults(values: unknown[]): string {
  return values.map(formatValue).join(' ');
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(sortDeep(v));
  return String(v);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortDeep((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

function evalPath(expr: PathExpr | { fromRoot: boolean; steps: Step[] }, current: unknown, root: unknown): unknown[] {
  let values: unknown[] = [expr.fromRoot ? root : current];
  for (const step of expr.steps) values = values.flatMap((v) => applyStep(step, v, root));
  return values;
}

function applyStep(step: Step, v: unknown, root: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isObject(v) && step.name in v ? [v[step.name]] : [];
    case 'wildcard':
      return Array.isArray(v) ? v : isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
    case 'keys':
      return isObject(v) ? step.keys.filter((k) => k in v).map((k) => v[k]) : [];
    case 'index':
      return Array.isArray(v) ? step.indices.map((i) => v[i < 0 ? v.length + i : i]).filter((x) => x !== undefined) : [];
    case 'slice':
      return Array.isArray(v) ? slice(v, step) : [];
    case 'recursive':
      return recurse(v, step.name);
    case 'filter':
      return filterValues(v, step, root);
  }
}

function slice(arr: unknown[], s: { start?: number; end?: number; step?: number }): unknown[] {
  const n = arr.length;
  const norm = (x: number) => Math.min(n, Math.max(0, x < 0 ? n + x : x));
  const start = norm(s.start ?? 0);
  const end = norm(s.end ?? n);
  const step = s.step && s.step > 0 ? s.step : 1;
  const out: unknown[] = [];
  for (let i = start; i < end; i += step) out.push(arr[i]);
  return out;
}

function recurse(v: unknown, name: string): unknown[] {
  const out: unknown[] = [];
  const visit = (x: unknown) => {
    if (Array.isArray(x)) {
      if (name === '*') out.push(...x);
      x.forEach(visit);
    } else if (isObject(x)) {
      for (const k of Object.keys(x).sort()) {
        if (name === '*' || k === name) out.push(x[k]);
      }
      for (const k of Object.keys(x).sort()) visit(x[k]);
    }
  };
  visit(v);
  return out;
}

function filterValues(v: unknown, step: Extract<Step, { kind: 'filter' }>, root: unknown): unknown[] {
  const items = Array.isArray(v) ? v : isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
  return items.filter((item) => {
    const left = operandValues(step.left, item, root);
    if (!step.op) return left.length > 0 && left.some((x) => x !== null && x !== undefined && x !== false);
    const right = operandValues(step.right!, item, root);
    return left.some((l) => right.some((r) => compare(l, step.op!, r)));
  });
}

function operandValues(o: Operand, item: unknown, root: unknown): unknown[] {
  return o.kind === 'literal' ? [o.value] : evalPath(o, item, root);
}

function compare(l: unknown, op: string, r: unknown): boolean {
  if (op === '==') return looseEqual(l, r);
  if (op === '!=') return !looseEqual(l, r);
  const a = typeof l === 'number' ? l : Number(l);
  const b = typeof r === 'number' ? r : Number(r);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
}

function looseEqual(l: unknown, r: unknown): boolean {
  if (typeof l === 'number' || typeof r === 'number') return Number(l) === Number(r);
  return l === r;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
