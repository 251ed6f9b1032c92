/** The syntax tree of a shell script (the POSIX sh subset the built-in shell runs). */

/** A piece of a word before expansion. `quoted` parts are neither field-split nor globbed. */
export type WordPart =
  | { type: 'text'; value: string; quoted: boolean }
  | { type: 'param'; name: string; op?: ParamOp; arg?: Word; quoted: boolean }
  | { type: 'command'; body: List; quoted: boolean }
  | { type: 'arith'; source: string; quoted: boolean }
  | { type: 'tilde' };

/** `${x:-y}` and friends; `length` is `${#x}`. */
export type ParamOp = ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?' | '%' | '%%' | '#' | '##' | 'length';

/** A word: parts that expand and join into zero or more fields. */
export interface Word {
  parts: WordPart[];
}

/** A redirection: `2>&1`, `>> file`, `< file`, `<<EOF`. */
export interface Redirect {
  fd: number;
  op: '<' | '>' | '>>' | '>|' | '<>' | '>&' | '<&' | '<<' | '<<-';
  target: Word;
  /** The here-document's body (filled in when its lines are read). */
  heredoc?: Word;
}

/** `NAME=value` before a command. */
export interface Assignment {
  name: string;
  value: Word;
}

/** A command with its prefix assignments and redirections. */
export interface SimpleCommand {
  type: 'simple';
  assigns: Assignment[];
  words: Word[];
  redirects: Redirect[];
  line: number;
}

/** `a | b | c`, optionally negated with `!`. */
export interface Pipeline {
  type: 'pipeline';
  negate: boolean;
  commands: Command[];
}

/** `a && b || c`. */
export interface AndOr {
  type: 'andor';
  first: Command;
  rest: { op: '&&' | '||'; command: Command }[];
}

/** Commands separated by `;`, `&` or newlines. */
export interface List {
  type: 'list';
  items: { command: Command; background: boolean }[];
}

/** `if … then … elif … else … fi`. */
export interface IfCommand {
  type: 'if';
  branches: { cond: List; body: List }[];
  elseBody?: List;
  redirects: Redirect[];
}

/** `while`/`until … do … done`. */
export interface LoopCommand {
  type: 'while' | 'until';
  cond: List;
  body: List;
  redirects: Redirect[];
}

/** `for NAME in words; do … done`. */
export interface ForCommand {
  type: 'for';
  name: string;
  /** Absent: `for x; do` iterates over "$@". */
  items?: Word[];
  body: List;
  redirects: Redirect[];
}

/** `case word in pattern) … ;; esac`. */
export interface CaseCommand {
  type: 'case';
  word: Word;
  arms: { patterns: Word[]; body: List }[];
  redirects: Redirect[];
}

/** `{ …; }` (same shell) or `( … )` (subshell). */
export interface GroupCommand {
  type: 'group' | 'subshell';
  body: List;
  redirects: Redirect[];
}

/** `name() command`. */
export interface FunctionDefinition {
  type: 'function';
  name: string;
  body: Command;
}

/** Any command the interpreter runs. */
export type Command =
  | SimpleCommand
  | Pipeline
  | AndOr
  | List
  | IfCommand
  | LoopCommand
  | ForCommand
  | CaseCommand
  | GroupCommand
  | FunctionDefinition;
