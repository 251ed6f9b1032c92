import type { CaseCommand, Command, ForCommand, GroupCommand, IfCommand, List, LoopCommand, ParamOp, Redirect, SimpleCommand, Word, WordPart } from './ast.js';

/** A script the shell cannot parse; `message` is worded like busybox ash's. */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

const META = ' \t\n;&|<>()';
const OPERATORS = ['&&', '||', ';;', '<<-', '<<', '>>', '>&', '<&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>'];
const RESERVED = /^(if|then|else|elif|fi|do|done|case|esac|while|until|for|in|\{|\}|!)(?=[ \t\n;&|<>()]|$)/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const SPECIAL_PARAMS = '@*#?$!-0123456789';
const PARAM_OPS: ParamOp[] = [':-', ':=', ':+', ':?', '%%', '##', '-', '=', '+', '?', '%', '#'];

type WordMode = 'normal' | 'brace' | 'heredoc';

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
}

/** Parses a whole script. Throws ShellSyntaxError. */
export function parseScript(source: string): List {
  const p = new Parser(source);
  const list = p.parseList(new Set());
  p.expectEnd();
  return list;
}

/** Parses text as the inside of double quotes (for `$((...))` and here-documents): only `$`, backquote and `\` are special. */
export function parseExpandable(source: string): Word {
  return new Parser(source).readHeredocWord();
}

/** A recursive-descent parser working on characters, since shell tokens depend on context. */
class Parser {
  private pos = 0;
  private line = 1;
  private heredocs: PendingHeredoc[] = [];

  constructor(private readonly src: string) {}

  expectEnd(): void {
    this.skipBlanks();
    if (this.pos < this.src.length) this.unexpected();
  }

  /** Parses and-or lists separated by `;`, `&` or newlines, up to a reserved word in `stops`, `)` or end. */
  parseList(stops: Set<string>): List {
    const list: List = { type: 'list', items: [] };
    for (;;) {
      this.skipSeparators();
      if (this.atListEnd(stops)) return list;
      const command = this.parseAndOr();
      this.skipBlanks();
      const op = this.peekOperator();
      if (op === '&' || op === ';') {
        this.pos += 1;
        list.items.push({ command, background: op === '&' });
      } else {
        list.items.push({ command, background: false });
        if (this.peekChar() !== '\n') {
          if (this.atListEnd(stops)) return list;
          this.unexpected();
        }
      }
    }
  }

  private atListEnd(stops: Set<string>): boolean {
    this.skipBlanks();
    if (this.pos >= this.src.length) return true;
    const op = this.peekOperator();
    if (op === ')' || op === ';;') return true;
    const word = this.peekReserved();
    return word !== undefined && stops.has(word);
  }

  private parseAndOr(): Command {
    const first = this.parsePipeline();
    const rest: { op: '&&' | '||'; command: Command }[] = [];
    for (;;) {
      this.skipBlanks();
      const op = this.peekOperator();
      if (op !== '&&' && op !== '||') break;
      this.pos += 2;
      this.skipNewlines();
      rest.push({ op, command: this.parsePipeline() });
    }
    return rest.length === 0 ? first : { type: 'andor', first, rest };
  }

  private parsePipeline(): Command {
    this.skipBlanks();
    let negate = false;
    if (this.peekReserved() === '!') {
      this.pos += 1;
      negate = true;
    }
    const commands = [this.parseCommand()];
    for (;;) {
      this.skipBlanks();
      if (this.peekOperator() !== '|') break;
      this.pos += 1;
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return commands.length === 1 && !negate ? commands[0] : { type: 'pipeline', negate, commands };
  }

  private parseCommand(): Command {
    this.skipBlanks();
    const word = this.peekReserved();
    switch (word) {
      case 'if':
        return this.withRedirects(this.parseIf());
      case 'while':
      case 'until':
        return this.withRedirects(this.parseLoop(word));
      case 'for':
        return this.withRedirects(this.parseFor());
      case 'case':
        return this.withRedirects(this.parseCase());
      case '{': {
        this.pos += 1;
        const body = this.parseList(new Set(['}']));
        this.expectReserved('}');
        return this.withRedirects<GroupCommand>({ type: 'group', body, redirects: [] });
      }
      case undefined:
        break;
      default:
        this.unexpected();
    }
    if (this.peekOperator() === '(') {
      this.pos += 1;
      const body = this.parseList(new Set());
      this.expectOperator(')');
      return this.withRedirects<GroupCommand>({ type: 'subshell', body, redirects: [] });
    }
    return this.parseSimple();
  }

  private withRedirects<T extends { redirects: Redirect[] }>(command: T): T {
    for (;;) {
      const r = this.tryRedirect();
      if (!r) return command;
      command.redirects.push(r);
    }
  }

  private parseIf(): IfCommand {
    this.pos += 2;
    const branches: { cond: List; body: List }[] = [];
    let elseBody: List | undefined;
    for (;;) {
      const cond = this.parseList(new Set(['then']));
      this.expectReserved('then');
      const body = this.parseList(new Set(['elif', 'else', 'fi']));
      branches.push({ cond, body });
      const next = this.peekReserved();
      if (next === 'elif') {
        this.pos += 4;
        continue;
      }
      if (next === 'else') {
        this.pos += 4;
        elseBody = this.parseList(new Set(['fi']));
      }
      this.expectReserved('fi');
      return { type: 'if', branches, elseBody, redirects: [] };
    }
  }

  private parseLoop(kind: 'while' | 'until'): LoopCommand {
    this.pos += kind.length;
    const cond = this.parseList(new Set(['do']));
    const body = this.parseDoGroup();
    return { type: kind, cond, body, redirects: [] };
  }

  private parseDoGroup(): List {
    this.expectReserved('do');
    const body = this.parseList(new Set(['done']));
    this.expectReserved('done');
    return body;
  }

  private parseFor(): ForCommand {
    this.pos += 3;
    this.skipBlanks();
    const name = NAME.exec(this.src.slice(this.pos))?.[0];
    if (!name) this.unexpected();
    this.pos += name.length;
    this.skipBlanks();
    let items: Word[] | undefined;
    const save = this.pos;
    this.skipNewlines();
    if (this.peekReserved() === 'in') {
      this.pos += 2;
      items = [];
      for (;;) {
        this.skipBlanks();
        const c = this.peekChar();
        if (c === undefined || c === '\n' || c === ';') break;
        items.push(this.readWord('normal'));
      }
      this.skipSeparators();
    } else {
      this.pos = save;
      this.skipSeparators();
    }
    return { type: 'for', name, items, body: this.parseDoGroup(), redirects: [] };
  }

  private parseCase(): CaseCommand {
    this.pos += 4;
    this.skipBlanks();
    const word = this.readWord('normal');
    this.skipNewlines();
    this.expectReserved('in');
    const arms: { patterns: Word[]; body: List }[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.peekReserved() === 'esac') break;
      if (this.peekOperator() === '(') this.pos += 1;
      const patterns: Word[] = [];
      for (;;) {
        this.skipBlanks();
        patterns.push(this.readWord('normal'));
        this.skipBlanks();
        if (this.peekOperator() !== '|') break;
        this.pos += 1;
      }
      this.expectOperator(')');
      const body = this.parseList(new Set(['esac']));
      arms.push({ patterns, body });
      this.skipBlanks();
      if (this.peekOperator() === ';;') this.pos += 2;
      else break;
    }
    this.skipSeparators();
    this.expectReserved('esac');
    return { type: 'case', word, arms, redirects: [] };
  }

  private parseSimple(): Command {
    const command: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [], line: this.line };
    for (;;) {
      this.skipBlanks();
      const r = this.tryRedirect();
      if (r) {
        command.redirects.push(r);
        continue;
      }
      if (command.words.length === 1 && command.assigns.length === 0 && this.tryFunction(command)) {
        return this.parseFunctionBody(command);
      }
      const c = this.peekChar();
      if (c === undefined || META.includes(c)) break;
      const start = this.pos;
      const word = this.readWord('normal');
      const assign = command.words.length === 0 ? asAssignment(word) : undefined;
      if (assign) command.assigns.push(assign);
      else if (this.pos > start) command.words.push(word);
    }
    if (command.words.length === 0 && command.assigns.length === 0 && command.redirects.length === 0) this.unexpected();
    return command;
  }

  /** `name()` after a single word starts a function definition. */
  private tryFunction(command: SimpleCommand): boolean {
    return /^\(\s*\)/.test(this.src.slice(this.pos)) && literalOf(command.words[0]) !== undefined;
  }

  private parseFunctionBody(command: SimpleCommand): Command {
    const name = literalOf(command.words[0]) ?? '';
    this.pos = this.src.indexOf(')', this.pos) + 1;
    this.skipNewlines();
    return { type: 'function', name, body: this.parseCommand() };
  }

  private tryRedirect(): Redirect | undefined {
    this.skipBlanks();
    const m = /^(\d*)(<<-|<<|>>|>&|<&|<>|>\||<|>)/.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    const op = m[2] as Redirect['op'];
    const fd = m[1] === '' ? (op.startsWith('<') ? 0 : 1) : Number(m[1]);
    this.pos += m[0].length;
    this.skipBlanks();
    const c = this.peekChar();
    if (c === undefined || META.includes(c)) this.unexpected();
    const target = this.readWord('normal');
    const redirect: Redirect = { fd, op, target };
    if (op === '<<' || op === '<<-') {
      const delimiter = target.parts.map((p) => (p.type === 'text' ? p.value : '')).join('');
      const quoted = target.parts.some((p) => p.type === 'text' && p.quoted);
      this.heredocs.push({ redirect, delimiter, stripTabs: op === '<<-', quoted });
    }
    return redirect;
  }

  /** Reads a word up to an unquoted metacharacter (or `}` in `${x:-word}`). */
  private readWord(mode: WordMode): Word {
    const parts: WordPart[] = [];
    const push = (value: string, quoted: boolean) => pushText(parts, value, quoted);
    if (mode === 'normal' && this.peekChar() === '~') {
      const user = /^~(?=\/|$|[ \t\n;&|<>()])/.exec(this.src.slice(this.pos));
      if (user) {
        parts.push({ type: 'tilde' });
        this.pos += 1;
      }
    }
    for (;;) {
      const c = this.peekChar();
      if (c === undefined) break;
      if (mode === 'normal' && META.includes(c)) break;
      if (mode === 'brace' && c === '}') break;
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        this.pos += 2;
        if (next === '\n') this.line += 1;
        else if (next !== undefined) push(next, true);
        continue;
      }
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string', this.line);
        const text = this.src.slice(this.pos + 1, end);
        this.countLines(text);
        push(text, true);
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        this.pos += 1;
        this.readDoubleQuoted(parts);
        continue;
      }
      if (c === '$') {
        this.readDollar(parts, false);
        continue;
      }
      if (c === '`') {
        parts.push(this.readBackquote(false));
        continue;
      }
      if (c === '\n') this.line += 1;
      push(c, false);
      this.pos += 1;
    }
    return { parts };
  }

  private readDoubleQuoted(parts: WordPart[]): void {
    for (;;) {
      const c = this.peekChar();
      if (c === undefined) throw new ShellSyntaxError('syntax error: unterminated quoted string', this.line);
      if (c === '"') {
        this.pos += 1;
        pushText(parts, '', true);
        return;
      }
      this.readQuotedChar(parts, '$`"\\\n');
    }
  }

  /** One character (or expansion) inside double quotes or a here-document; `escapable` lists what `\` escapes. */
  private readQuotedChar(parts: WordPart[], escapable: string): void {
    const c = this.src[this.pos];
    if (c === '\\') {
      const next = this.src[this.pos + 1];
      if (next !== undefined && escapable.includes(next)) {
        this.pos += 2;
        if (next === '\n') this.line += 1;
        else pushText(parts, next, true);
        return;
      }
      pushText(parts, '\\', true);
      this.pos += 1;
      return;
    }
    if (c === '$') return this.readDollar(parts, true);
    if (c === '`') {
      parts.push(this.readBackquote(true));
      return;
    }
    if (c === '\n') this.line += 1;
    pushText(parts, c, true);
    this.pos += 1;
  }

  /** Here-document text: like double quotes, but `"` is an ordinary character. */
  readHeredocWord(): Word {
    const parts: WordPart[] = [];
    while (this.pos < this.src.length) this.readQuotedChar(parts, '$`\\\n');
    return { parts };
  }

  private readDollar(parts: WordPart[], quoted: boolean): void {
    const rest = this.src.slice(this.pos + 1);
    if (rest.startsWith('((')) {
      parts.push({ type: 'arith', source: this.readArithmetic(), quoted });
      return;
    }
    if (rest.startsWith('(')) {
      this.pos += 2;
      const body = this.parseList(new Set());
      this.expectOperator(')');
      parts.push({ type: 'command', body, quoted });
      return;
    }
    if (rest.startsWith('{')) {
      this.pos += 2;
      parts.push(this.readBraced(quoted));
      return;
    }
    const name = NAME.exec(rest)?.[0] ?? (rest[0] !== undefined && SPECIAL_PARAMS.includes(rest[0]) ? rest[0] : undefined);
    if (name === undefined) {
      pushText(parts, '$', quoted);
      this.pos += 1;
      return;
    }
    this.pos += 1 + name.length;
    parts.push({ type: 'param', name, quoted });
  }

  private readArithmetic(): string {
    const start = this.pos + 3;
    let depth = 0;
    for (let i = start; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === '(') depth += 1;
      else if (c === ')') {
        if (depth === 0 && this.src[i + 1] === ')') {
          this.pos = i + 2;
          return this.src.slice(start, i);
        }
        depth -= 1;
      }
    }
    throw new ShellSyntaxError('syntax error: unterminated arithmetic expression', this.line);
  }

  private readBraced(quoted: boolean): WordPart {
    let length = false;
    if (this.peekChar() === '#' && /^#[A-Za-z_0-9@*#?$!-]/.test(this.src.slice(this.pos)) && this.src[this.pos + 2] !== '-') {
      length = true;
      this.pos += 1;
    }
    const rest = this.src.slice(this.pos);
    const name = NAME.exec(rest)?.[0] ?? /^\d+/.exec(rest)?.[0] ?? (rest[0] && SPECIAL_PARAMS.includes(rest[0]) ? rest[0] : undefined);
    if (name === undefined) throw new ShellSyntaxError(`syntax error: bad substitution`, this.line);
    this.pos += name.length;
    if (length) {
      this.expectChar('}');
      return { type: 'param', name, op: 'length', quoted };
    }
    const op = PARAM_OPS.find((o) => this.src.startsWith(o, this.pos));
    if (!op) {
      this.expectChar('}');
      return { type: 'param', name, quoted };
    }
    this.pos += op.length;
    const arg = this.readWord('brace');
    this.expectChar('}');
    return { type: 'param', name, op, arg, quoted };
  }

  private readBackquote(quoted: boolean): WordPart {
    let inner = '';
    let i = this.pos + 1;
    for (; i < this.src.length && this.src[i] !== '`'; i++) {
      if (this.src[i] === '\\' && '\\`$'.includes(this.src[i + 1] ?? '')) i += 1;
      inner += this.src[i];
    }
    if (i >= this.src.length) throw new ShellSyntaxError('syntax error: unterminated quoted string', this.line);
    this.pos = i + 1;
    this.countLines(inner);
    return { type: 'command', body: parseScript(inner), quoted };
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t') this.pos += 1;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') {
        this.pos += 2;
        this.line += 1;
      } else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos += 1;
      } else return;
    }
  }

  private skipNewlines(): void {
    for (;;) {
      this.skipBlanks();
      if (this.src[this.pos] !== '\n') return;
      this.consumeNewline();
    }
  }

  private skipSeparators(): void {
    for (;;) {
      this.skipNewlines();
      if (this.src[this.pos] !== ';' || this.src[this.pos + 1] === ';') return;
      this.pos += 1;
    }
  }

  /** A newline ends the lines of a command: pending here-document bodies follow it. */
  private consumeNewline(): void {
    this.pos += 1;
    this.line += 1;
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) this.readHeredocBody(h);
  }

  private readHeredocBody(h: PendingHeredoc): void {
    const lines: string[] = [];
    for (;;) {
      if (this.pos >= this.src.length) break;
      let end = this.src.indexOf('\n', this.pos);
      if (end < 0) end = this.src.length;
      let text = this.src.slice(this.pos, end);
      this.pos = Math.min(end + 1, this.src.length);
      this.line += 1;
      if (h.stripTabs) text = text.replace(/^\t+/, '');
      if (text === h.delimiter) break;
      lines.push(`${text}\n`);
    }
    const body = lines.join('');
    h.redirect.heredoc = h.quoted ? { parts: [{ type: 'text', value: body, quoted: true }] } : parseExpandable(body);
  }

  private peekChar(): string | undefined {
    return this.src[this.pos];
  }

  private peekOperator(): string | undefined {
    return OPERATORS.find((op) => this.src.startsWith(op, this.pos));
  }

  private peekReserved(): string | undefined {
    return RESERVED.exec(this.src.slice(this.pos, this.pos + 8))?.[1];
  }

  private expectReserved(word: string): void {
    this.skipSeparators();
    if (this.peekReserved() !== word) this.unexpected();
    this.pos += word.length;
  }

  private expectOperator(op: string): void {
    this.skipNewlines();
    if (this.peekOperator() !== op) this.unexpected();
    this.pos += op.length;
  }

  private expectChar(c: string): void {
    if (this.src[this.pos] !== c) throw new ShellSyntaxError('syntax error: bad substitution', this.line);
    this.pos += 1;
  }

  private countLines(text: string): void {
    for (const c of text) if (c === '\n') this.line += 1;
  }

  private unexpected(): never {
    this.skipBlanks();
    if (this.pos >= this.src.length) throw new ShellSyntaxError('syntax error: unexpected end of file', this.line);
    const token =
      this.src[this.pos] === '\n'
        ? 'newline'
        : (this.peekReserved() ?? this.peekOperator() ?? /^[^ \t\n;&|<>()]+/.exec(this.src.slice(this.pos))?.[0] ?? this.src[this.pos]);
    throw new ShellSyntaxError(`syntax error: unexpected "${token}"`, this.line);
  }
}

function pushText(parts: WordPart[], value: string, quoted: boolean): void {
  const last = parts[parts.length - 1];
  if (last?.type === 'text' && last.quoted === quoted) last.value += value;
  else parts.push({ type: 'text', value, quoted });
}

/** The text of a word made only of unquoted characters, else undefined. */
function literalOf(word: Word): string | undefined {
  if (word.parts.length !== 1) return undefined;
  const p = word.parts[0];
  return p.type === 'text' && !p.quoted ? p.value : undefined;
}

function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word.parts[0];
  if (first?.type !== 'text' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.value);
  if (!m) return undefined;
  const rest = first.value.slice(m[0].length);
  const parts: WordPart[] = rest === '' ? [] : [{ type: 'text', value: rest, quoted: false }];
  return { name: m[1], value: { parts: [...parts, ...word.parts.slice(1)] } };
}
