import type { Program, ProcessContext } from '../process.js';
import { basicToJs } from './text.js';
import { fail } from './util.js';

/** A malformed `test` or `expr` expression; status 2. */
class ExprError extends Error {}

const UNARY = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-z', '-n', '-p', '-S', '-b', '-c', '-t']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function toInt(s: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(s)) throw new ExprError(`${s}: bad number`);
  return parseInt(s, 10);
}

async function unary(ctx: ProcessContext, op: string, arg: string): Promise<boolean> {
  if (op === '-z') return arg === '';
  if (op === '-n') return arg !== '';
  if (op === '-t') return false;
  const fs = ctx.container.fs;
  const st = await (op === '-L' || op === '-h' ? fs.lstat(arg, ctx.cwd) : fs.stat(arg, ctx.cwd)).catch(() => undefined);
  if (!st) return op === '-e' && (await fs.exists(arg, ctx.cwd));
  switch (op) {
    case '-f': return st.isFile();
    case '-d': return st.isDirectory();
    case '-s': return st.size > 0;
    case '-L':
    case '-h': return st.isSymbolicLink();
    case '-p': return st.isFIFO();
    case '-S': return st.isSocket();
    case '-b': return st.isBlockDevice();
    case '-c': return st.isCharacterDevice();
    case '-x': return st.isDirectory() || (st.mode & 0o111) !== 0;
    default: return true;
  }
}

async function binary(ctx: ProcessContext, a: string, op: string, b: string): Promise<boolean> {
  switch (op) {
    case '=':
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '-eq': return toInt(a) === toInt(b);
    case '-ne': return toInt(a) !== toInt(b);
    case '-lt': return toInt(a) < toInt(b);
    case '-le': return toInt(a) <= toInt(b);
    case '-gt': return toInt(a) > toInt(b);
    case '-ge': return toInt(a) >= toInt(b);
    default: {
      const [x, y] = await Promise.all([a, b].map((p) => ctx.container.fs.stat(p, ctx.cwd).catch(() => undefined)));
      if (op === '-nt') return !!x && (!y || x.mtimeMs > y.mtimeMs);
      if (op === '-ot') return !!y && (!x || x.mtimeMs < y.mtimeMs);
      return !!x && !!y && x.ino === y.ino && x.dev === y.dev;
    }
  }
}

/** Evaluates test(1) arguments with POSIX's rules by argument count, then `-a`/`-o` precedence beyond four. */
export async function evaluateTest(ctx: ProcessContext, args: string[]): Promise<boolean> {
  switch (args.length) {
    case 0: return false;
    case 1: return args[0] !== '';
    case 2:
      if (args[0] === '!') return !(await evaluateTest(ctx, args.slice(1)));
      if (UNARY.has(args[0])) return unary(ctx, args[0], args[1]);
      throw new ExprError(`${args[0]}: unknown operand`);
    case 3:
      if (BINARY.has(args[1])) return binary(ctx, args[0], args[1], args[2]);
      if (args[1] === '-a' || args[1] === '-o') break;
      if (args[0] === '!') return !(await evaluateTest(ctx, args.slice(1)));
      if (args[0] === '(' && args[2] === ')') return evaluateTest(ctx, [args[1]]);
      throw new ExprError(`${args[1]}: unknown operand`);
    case 4:
      if (args[0] === '!') return !(await evaluateTest(ctx, args.slice(1)));
      if (args[0] === '(' && args[3] === ')') return evaluateTest(ctx, args.slice(1, 3));
      break;
  }
  return new TestParser(ctx, args).parse();
}

class TestParser {
  private i = 0;
  constructor(
    private readonly ctx: ProcessContext,
    private readonly t: string[],
  ) {}

  async parse(): Promise<boolean> {
    const v = await this.or();
    if (this.i < this.t.length) throw new ExprError(`${this.t[this.i]}: unexpected operator`);
    return v;
  }

  private async or(): Promise<boolean> {
    let v = await this.and();
    while (this.t[this.i] === '-o') {
      this.i++;
      v = (await this.and()) || v;
    }
    return v;
  }

  private async and(): Promise<boolean> {
    let v = await this.not();
    while (this.t[this.i] === '-a') {
      this.i++;
      v = (await this.not()) && v;
    }
    return v;
  }

  private async not(): Promise<boolean> {
    if (this.t[this.i] === '!') {
      this.i++;
      return !(await this.not());
    }
    return this.primary();
  }

  private async primary(): Promise<boolean> {
    const tok = this.t[this.i];
    if (tok === undefined) throw new ExprError('argument expected');
    if (tok === '(') {
      this.i++;
      const v = await this.or();
      if (this.t[this.i++] !== ')') throw new ExprError(`')' expected`);
      return v;
    }
    if (UNARY.has(tok) && this.t[this.i + 1] !== undefined) {
      this.i += 2;
      return unary(this.ctx, tok, this.t[this.i - 1]);
    }
    if (BINARY.has(this.t[this.i + 1] ?? '') && this.t[this.i + 2] !== undefined) {
      this.i += 3;
      return binary(this.ctx, tok, this.t[this.i - 2], this.t[this.i - 1]);
    }
    this.i++;
    return tok !== '';
  }
}

/** `test EXPR` and `[ EXPR ]`: 0 true, 1 false, 2 malformed. */
export const test: Program = async (ctx) => {
  let args = ctx.argv.slice(1);
  if (ctx.argv[0].endsWith('[')) {
    if (args[args.length - 1] !== ']') {
      await fail(ctx, 'missing ]');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return (await evaluateTest(ctx, args)) ? 0 : 1;
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    await fail(ctx, err.message);
    return 2;
  }
};

/** expr(1): integer arithmetic, comparisons, `:` matching, length/substr/index/match. */
export function evaluateExpr(tokens: string[]): string {
  let i = 0;
  const peek = () => tokens[i];
  const isInt = (s: string) => /^[-+]?\d+$/.test(s);
  const num = (s: string) => {
    if (!isInt(s)) throw new ExprError('non-numeric argument');
    return parseInt(s, 10);
  };
  const primary = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new ExprError('syntax error');
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new ExprError('syntax error');
      return v;
    }
    if (t === 'length') return String(primary().length);
    if (t === 'substr') {
      const s = primary();
      const pos = num(primary());
      const len = num(primary());
      return pos < 1 || len < 1 ? '' : s.substr(pos - 1, len);
    }
    if (t === 'index') {
      const s = primary();
      const chars = primary();
      const at = [...s].findIndex((c) => chars.includes(c));
      return String(at + 1);
    }
    if (t === 'match') return match(primary(), primary());
    return t;
  };
  const match = (s: string, re: string): string => {
    const m = new RegExp(`^(?:${basicToJs(re)})`).exec(s);
    if (!m) return /\\\(/.test(re) ? '' : '0';
    return m[1] !== undefined ? m[1] : String(m[0].length);
  };
  const colon = (): string => {
    let v = primary();
    while (peek() === ':') {
      i++;
      v = match(v, primary());
    }
    return v;
  };
  const mul = (): string => {
    let v = colon();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = tokens[i++];
      const a = num(v);
      const b = num(colon());
      if (op !== '*' && b === 0) throw new ExprError('division by zero');
      v = String(op === '*' ? a * b : op === '/' ? Math.trunc(a / b) : a % b);
    }
    return v;
  };
  const add = (): string => {
    let v = mul();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[i++];
      v = String(op === '+' ? num(v) + num(mul()) : num(v) - num(mul()));
    }
    return v;
  };
  const cmp = (): string => {
    let v = add();
    while (['=', '==', '!=', '<', '<=', '>', '>='].includes(peek() ?? '')) {
      const op = tokens[i++];
      const b = add();
      const c = isInt(v) && isInt(b) ? num(v) - num(b) : v < b ? -1 : v > b ? 1 : 0;
      const r = op === '=' || op === '==' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      v = r ? '1' : '0';
    }
    return v;
  };
  const truthy = (v: string) => v !== '' && v !== '0';
  const and = (): string => {
    let v = cmp();
    while (peek() === '&') {
      i++;
      const b = cmp();
      v = truthy(v) && truthy(b) ? v : '0';
    }
    return v;
  };
  const or = (): string => {
    let v = and();
    while (peek() === '|') {
      i++;
      const b = and();
      v = truthy(v) ? v : truthy(b) ? b : '0';
    }
    return v;
  };
  const result = or();
  if (i < tokens.length) throw new ExprError('syntax error');
  return result;
}

/** `expr EXPRESSION`: prints the value; status 1 if it is 0 or empty, 2 if malformed. */
export const expr: Program = async (ctx) => {
  try {
    const v = evaluateExpr(ctx.argv.slice(1));
    await ctx.stdout.write(`${v}\n`);
    return v === '' || v === '0' ? 1 : 0;
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    await fail(ctx, err.message);
    return 2;
  }
};
