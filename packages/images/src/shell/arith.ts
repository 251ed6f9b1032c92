/** Shell arithmetic `$(( ))`: C integer expressions over shell variables. */

/** A malformed expression or a division by zero; the message is the shell's. */
export class ArithmeticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArithmeticError';
  }
}

/** Variable access for arithmetic: an unset or empty variable counts as 0. */
export interface ArithmeticScope {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

type Node =
  | { k: 'num'; v: number }
  | { k: 'var'; name: string }
  | { k: 'unary'; op: string; a: Node }
  | { k: 'incdec'; op: '++' | '--'; prefix: boolean; name: string }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'cond'; c: Node; a: Node; b: Node }
  | { k: 'assign'; op: string; name: string; v: Node };

const TOKEN = /^\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[*/%+\-&^|]=|[-+*/%()<>=!~&^|?:,])/;
const BINARY: [string[], boolean][] = [
  [['||'], false],
  [['&&'], false],
  [['|'], false],
  [['^'], false],
  [['&'], false],
  [['==', '!='], false],
  [['<', '<=', '>', '>='], false],
  [['<<', '>>'], false],
  [['+', '-'], false],
  [['*', '/', '%'], false],
  [['**'], true],
];
const ASSIGN = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

/** Evaluates an (already expanded) arithmetic expression; assignments write through `scope`. */
export function evaluateArithmetic(source: string, scope: ArithmeticScope): number {
  const tokens = tokenize(source);
  if (tokens.length === 0) return 0;
  const parser = new ArithParser(tokens);
  const node = parser.parseComma();
  if (!parser.done()) throw new ArithmeticError('arithmetic syntax error');
  return evaluate(node, scope);
}

function tokenize(source: string): string[] {
  const out: string[] = [];
  let rest = source;
  while (rest.trim() !== '') {
    const m = TOKEN.exec(rest);
    if (!m) throw new ArithmeticError('arithmetic syntax error');
    out.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return out;
}

class ArithParser {
  private i = 0;
  constructor(private readonly t: string[]) {}

  done(): boolean {
    return this.i >= this.t.length;
  }

  parseComma(): Node {
    let node = this.parseAssign();
    while (this.t[this.i] === ',') {
      this.i += 1;
      node = { k: 'bin', op: ',', a: node, b: this.parseAssign() };
    }
    return node;
  }

  private parseAssign(): Node {
    const name = this.t[this.i];
    const op = this.t[this.i + 1];
    if (/^[A-Za-z_]/.test(name ?? '') && ASSIGN.has(op ?? '')) {
      this.i += 2;
      return { k: 'assign', op, name, v: this.parseAssign() };
    }
    return this.parseConditional();
  }

  private parseConditional(): Node {
    const c = this.parseBinary(0);
    if (this.t[this.i] !== '?') return c;
    this.i += 1;
    const a = this.parseAssign();
    this.expect(':');
    return { k: 'cond', c, a, b: this.parseAssign() };
  }

  private parseBinary(level: number): Node {
    if (level >= BINARY.length) return this.parseUnary();
    const [ops, right] = BINARY[level];
    let node = this.parseBinary(level + 1);
    while (ops.includes(this.t[this.i] ?? '')) {
      const op = this.t[this.i++];
      const b = right ? this.parseBinary(level) : this.parseBinary(level + 1);
      node = { k: 'bin', op, a: node, b };
      if (right) break;
    }
    return node;
  }

  private parseUnary(): Node {
    const tok = this.t[this.i];
    if (tok === '++' || tok === '--') {
      this.i += 1;
      return { k: 'incdec', op: tok, prefix: true, name: this.expectName() };
    }
    if (tok === '-' || tok === '+' || tok === '!' || tok === '~') {
      this.i += 1;
      return { k: 'unary', op: tok, a: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Node {
    const tok = this.t[this.i++];
    if (tok === undefined) throw new ArithmeticError('arithmetic syntax error');
    if (tok === '(') {
      const node = this.parseComma();
      this.expect(')');
      return node;
    }
    if (/^\d/.test(tok)) return { k: 'num', v: parseNumber(tok) };
    if (/^[A-Za-z_]/.test(tok)) {
      const post = this.t[this.i];
      if (post === '++' || post === '--') {
        this.i += 1;
        return { k: 'incdec', op: post, prefix: false, name: tok };
      }
      return { k: 'var', name: tok };
    }
    throw new ArithmeticError('arithmetic syntax error');
  }

  private expect(tok: string): void {
    if (this.t[this.i] !== tok) throw new ArithmeticError('arithmetic syntax error');
    this.i += 1;
  }

  private expectName(): string {
    const tok = this.t[this.i++];
    if (!tok || !/^[A-Za-z_]/.test(tok)) throw new ArithmeticError('arithmetic syntax error');
    return tok;
  }
}

function parseNumber(tok: string): number {
  if (/^0[xX]/.test(tok)) return parseInt(tok.slice(2), 16);
  if (/^0\d/.test(tok)) {
    if (/[89]/.test(tok)) throw new ArithmeticError('arithmetic syntax error');
    return parseInt(tok, 8);
  }
  return parseInt(tok, 10);
}

function readVar(name: string, scope: ArithmeticScope, depth = 0): number {
  const raw = (scope.get(name) ?? '').trim();
  if (raw === '') return 0;
  if (/^-?(0[xX][0-9a-fA-F]+|\d+)$/.test(raw)) return raw.startsWith('-') ? -parseNumber(raw.slice(1)) : parseNumber(raw);
  if (depth < 10 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw)) return readVar(raw, scope, depth + 1);
  if (depth < 10) return evaluateArithmetic(raw, scope);
  throw new ArithmeticError('arithmetic syntax error');
}

function evaluate(n: Node, scope: ArithmeticScope): number {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'var':
      return readVar(n.name, scope);
    case 'unary': {
      const a = evaluate(n.a, scope);
      return n.op === '-' ? -a : n.op === '+' ? a : n.op === '!' ? Number(a === 0) : ~a;
    }
    case 'incdec': {
      const old = readVar(n.name, scope);
      const next = n.op === '++' ? old + 1 : old - 1;
      scope.set(n.name, String(next));
      return n.prefix ? next : old;
    }
    case 'cond':
      return evaluate(n.c, scope) !== 0 ? evaluate(n.a, scope) : evaluate(n.b, scope);
    case 'assign': {
      const v = evaluate(n.v, scope);
      const value = n.op === '=' ? v : binary(n.op.slice(0, -1), readVar(n.name, scope), v);
      scope.set(n.name, String(value));
      return value;
    }
    case 'bin':
      if (n.op === '&&') return Number(evaluate(n.a, scope) !== 0 && evaluate(n.b, scope) !== 0);
      if (n.op === '||') return Number(evaluate(n.a, scope) !== 0 || evaluate(n.b, scope) !== 0);
      return binary(n.op, evaluate(n.a, scope), evaluate(n.b, scope));
  }
}

function binary(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      if (b === 0) throw new ArithmeticError('divide by zero');
      return op === '/' ? Math.trunc(a / b) : a % b;
    case '**': return a ** b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<': return Number(a < b);
    case '<=': return Number(a <= b);
    case '>': return Number(a > b);
    case '>=': return Number(a >= b);
    case '==': return Number(a === b);
    case '!=': return Number(a !== b);
    case ',': return b;
    default: throw new ArithmeticError('arithmetic syntax error');
  }
}
