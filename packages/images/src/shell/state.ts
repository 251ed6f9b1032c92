import type { Command } from './ast.js';

interface Variable {
  value: string;
  exported: boolean;
  readonly: boolean;
}

/** Options set with `set -e`, `set -x`, ... */
export interface ShellOptions {
  errexit: boolean;
  xtrace: boolean;
  nounset: boolean;
  pipefail: boolean;
  noglob: boolean;
}

/** A variable the shell refuses to change (`readonly`). */
export class ReadonlyError extends Error {
  constructor(readonly variable: string) {
    super(`${variable}: is read only`);
    this.name = 'ReadonlyError';
  }
}

/** Everything a subshell copies from its parent: variables, functions, positional parameters, options, directory. */
export class ShellState {
  private vars = new Map<string, Variable>();
  params: string[] = [];
  arg0 = 'sh';
  functions = new Map<string, Command>();
  /** Trap actions by signal name ("TERM", "EXIT"); "" means ignored. */
  traps = new Map<string, string>();
  options: ShellOptions = { errexit: false, xtrace: false, nounset: false, pipefail: false, noglob: false };
  status = 0;
  lastBackground = '';
  cwd = '/';

  /** A shell whose variables all start as exported environment variables. */
  static fromEnvironment(env: Record<string, string>, cwd: string): ShellState {
    const s = new ShellState();
    for (const [k, v] of Object.entries(env)) s.vars.set(k, { value: v, exported: true, readonly: false });
    s.cwd = cwd;
    s.set('PWD', cwd);
    s.export('PWD');
    return s;
  }

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  set(name: string, value: string): void {
    const v = this.vars.get(name);
    if (v?.readonly) throw new ReadonlyError(name);
    if (v) v.value = value;
    else this.vars.set(name, { value, exported: false, readonly: false });
  }

  /** Marks a variable for the environment of started programs (creating it empty if unset). */
  export(name: string): void {
    const v = this.vars.get(name);
    if (v) v.exported = true;
    else this.vars.set(name, { value: '', exported: true, readonly: false });
  }

  markReadonly(name: string): void {
    const v = this.vars.get(name);
    if (v) v.readonly = true;
    else this.vars.set(name, { value: '', exported: false, readonly: true });
  }

  unset(name: string): void {
    if (this.vars.get(name)?.readonly) throw new ReadonlyError(name);
    this.vars.delete(name);
  }

  /** The environment a started program gets: the exported variables. */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) env[k] = v.value;
    return env;
  }

  /** All variables, sorted by name (for `set` and `export -p`). */
  entries(): [string, { value: string; exported: boolean }][] {
    return [...this.vars.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A subshell's copy; traps go back to default except ignored ones, as POSIX says. */
  clone(): ShellState {
    const s = new ShellState();
    for (const [k, v] of this.vars) s.vars.set(k, { ...v });
    s.params = [...this.params];
    s.arg0 = this.arg0;
    s.functions = new Map(this.functions);
    for (const [sig, action] of this.traps) if (action === '') s.traps.set(sig, '');
    s.options = { ...this.options };
    s.status = this.status;
    s.lastBackground = this.lastBackground;
    s.cwd = this.cwd;
    return s;
  }
}
