import type { ContainerFs } from '../fs/container-fs.js';
import { BrokenPipeError, BufferWriter, createPipe, InputStream, type Writer } from '../io/streams.js';
import type { ProcessContext, Program, RunningContainer, ShellFlavor } from '../process.js';
import type { AndOr, CaseCommand, Command, ForCommand, IfCommand, List, LoopCommand, Pipeline, SimpleCommand } from './ast.js';
import { ExpansionError, expandSegments, expandString, expandWords, type ExpansionHost } from './expand.js';
import { parseScript, ShellSyntaxError } from './parser.js';
import { matchPattern } from './pattern.js';
import { openRedirects } from './redirects.js';
import { ReadonlyError, ShellState } from './state.js';

/** A command's standard streams. */
export interface Fds {
  stdin: InputStream;
  stdout: Writer;
  stderr: Writer;
}

/** `exit N` (or a fatal error) unwinding to the shell's top. */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** `break N` / `continue N` unwinding to the enclosing loop. */
export class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    readonly levels: number,
  ) {}
}

/** `return N` unwinding to the function call. */
export class ReturnSignal {
  constructor(readonly status: number) {}
}

/** A builtin: runs inside the shell and may change its state. */
export type Builtin = (sh: Interpreter, argv: string[], fds: Fds) => Promise<number>;

/** Fires the shell's interrupt: a trapped signal arrived, so sleeps and waits end early. */
export class InterruptHub {
  private controller = new AbortController();
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  fire(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }
}

/** What the shell process and all its subshells share. */
export interface ShellRuntime {
  container: RunningContainer;
  flavor: ShellFlavor;
  /** The shell process's own SIGTERM and PID-1-ness, handed on to a command it execs. */
  sigterm: AbortSignal;
  pid1: boolean;
  hub: InterruptHub;
  /** Trapped signals waiting to run at the next command boundary. */
  pendingTraps: string[];
  builtins: Record<string, Builtin>;
  nextPid: { value: number };
}

const NEVER = new AbortController().signal;

/** Runs parsed commands: one instance per shell or subshell. */
export class Interpreter implements ExpansionHost {
  private condDepth = 0;
  private exempt = false;
  private fds: Fds | undefined;
  private line = 1;
  private lastSubstitution = 0;
  private locals: Map<string, string | undefined>[] = [];
  readonly jobs = new Map<string, Promise<number>>();

  constructor(
    readonly state: ShellState,
    readonly rt: ShellRuntime,
    private readonly ownsTraps: boolean,
  ) {}

  get fs(): ContainerFs {
    return this.rt.container.fs;
  }
  get cwd(): string {
    return this.state.cwd;
  }
  get nounset(): boolean {
    return this.state.options.nounset;
  }
  get noglob(): boolean {
    return this.state.options.noglob;
  }

  lookup(name: string): string | undefined {
    const s = this.state;
    if (/^\d+$/.test(name)) return name === '0' ? s.arg0 : s.params[Number(name) - 1];
    switch (name) {
      case '?': return String(s.status);
      case '$': return '1';
      case '!': return s.lastBackground;
      case '#': return String(s.params.length);
      case '-': return `${s.options.errexit ? 'e' : ''}${s.options.xtrace ? 'x' : ''}${s.options.nounset ? 'u' : ''}`;
      case 'RANDOM': return s.has('RANDOM') ? s.get('RANDOM') : String(Math.floor(Math.random() * 32768));
      case 'LINENO': return String(this.line);
      case 'PPID': return '0';
      default: return s.get(name);
    }
  }

  assign(name: string, value: string): void {
    this.state.set(name, value);
  }

  positional(): string[] {
    return this.state.params;
  }

  async substitute(body: List): Promise<string> {
    const out = new BufferWriter();
    const fds = this.fds ?? { stdin: InputStream.empty(), stdout: out, stderr: out };
    this.lastSubstitution = await this.subshell().runIsolated(body, { stdin: fds.stdin, stdout: out, stderr: fds.stderr });
    this.state.status = this.lastSubstitution;
    return out.text();
  }

  /** A copy of this shell for `( )`, pipelines, `$( )` and `&`. */
  subshell(): Interpreter {
    return new Interpreter(this.state.clone(), this.rt, false);
  }

  /** Runs a command as a subshell does: `exit` and broken pipes end only it. */
  async runIsolated(cmd: Command, fds: Fds): Promise<number> {
    try {
      return await this.run(cmd, fds);
    } catch (err) {
      return this.statusOf(err, fds);
    }
  }

  /** The status an unwinding error leaves; anything unexpected is reported like a crashed command. */
  async statusOf(err: unknown, fds: Fds): Promise<number> {
    if (err instanceof ExitSignal || err instanceof ReturnSignal) return err.status;
    if (err instanceof LoopSignal) return 0;
    if (err instanceof BrokenPipeError) return 141;
    if (err instanceof ExpansionError || err instanceof ShellSyntaxError || err instanceof ReadonlyError) {
      await this.error(fds, err.message);
      return 2;
    }
    throw err;
  }

  /** Runs a list of and-or commands; with `execLast`, the last simple command replaces the shell (gets its signals). */
  async runList(list: List, fds: Fds, execLast = false): Promise<number> {
    let status = 0;
    for (let i = 0; i < list.items.length; i++) {
      const { command, background } = list.items[i];
      if (background) {
        this.startBackground(command, fds);
        status = 0;
        continue;
      }
      const exec = execLast && i === list.items.length - 1 && command.type === 'simple' && !this.hasSignalTraps();
      this.exempt = false;
      status = exec ? await this.runSimple(command as SimpleCommand, fds, true) : await this.run(command, fds);
      this.state.status = status;
      if (status !== 0 && this.state.options.errexit && this.condDepth === 0 && !this.exempt) throw new ExitSignal(status);
      await this.checkpoint(fds);
    }
    return status;
  }

  async run(cmd: Command, fds: Fds): Promise<number> {
    switch (cmd.type) {
      case 'simple': return this.runSimple(cmd, fds, false);
      case 'pipeline': return this.runPipeline(cmd, fds);
      case 'andor': return this.runAndOr(cmd, fds);
      case 'list': return this.runList(cmd, fds);
      case 'function':
        this.state.functions.set(cmd.name, cmd.body);
        return 0;
      default: return this.withRedirects(cmd, fds);
    }
  }

  private async withRedirects(cmd: Exclude<Command, SimpleCommand | Pipeline | AndOr | List | { type: 'function' }>, outer: Fds): Promise<number> {
    const opened = await openRedirects(this, cmd.redirects, outer);
    if ('error' in opened) {
      await this.error(outer, opened.error);
      return 1;
    }
    const fds = opened.fds;
    try {
      switch (cmd.type) {
        case 'if': return await this.runIf(cmd, fds);
        case 'while':
        case 'until': return await this.runLoop(cmd, fds);
        case 'for': return await this.runFor(cmd, fds);
        case 'case': return await this.runCase(cmd, fds);
        case 'group': return await this.runList(cmd.body, fds);
        case 'subshell': return await this.subshell().runIsolated(cmd.body, fds);
      }
    } finally {
      await opened.close();
    }
  }

  private async runSimple(cmd: SimpleCommand, outer: Fds, exec: boolean): Promise<number> {
    this.line = cmd.line;
    this.fds = outer;
    let argv: string[];
    const assigns: [string, string][] = [];
    this.lastSubstitution = 0;
    try {
      argv = await expandWords(cmd.words, this);
      for (const a of cmd.assigns) assigns.push([a.name, await expandString(a.value, this)]);
    } catch (err) {
      if (!(err instanceof ExpansionError)) throw err;
      await this.error(outer, err.message);
      throw new ExitSignal(err.message.includes('arithmetic') ? 2 : 1);
    }
    const substitutionStatus = this.lastSubstitution;
    const opened = await openRedirects(this, cmd.redirects, outer);
    if ('error' in opened) {
      await this.error(outer, opened.error);
      return 1;
    }
    try {
      if (argv.length === 0) {
        for (const [k, v] of assigns) this.setVar(k, v);
        return substitutionStatus;
      }
      if (this.state.options.xtrace) await outer.stderr.write(`+ ${argv.map(traceQuote).join(' ')}\n`);
      return await this.dispatch(argv, assigns, opened.fds, exec);
    } finally {
      await opened.close();
    }
  }

  private async dispatch(argv: string[], assigns: [string, string][], fds: Fds, exec: boolean): Promise<number> {
    const name = argv[0];
    const builtin = Object.hasOwn(this.rt.builtins, name) ? this.rt.builtins[name] : undefined;
    if (builtin) {
      for (const [k, v] of assigns) this.setVar(k, v);
      return builtin(this, argv, fds);
    }
    const fn = this.state.functions.get(name);
    if (fn) {
      for (const [k, v] of assigns) this.setVar(k, v);
      return this.callFunction(fn, argv, fds);
    }
    return this.runProgram(argv, Object.fromEntries(assigns), fds, exec);
  }

  /** Starts a program of the image (or a script file) as a child process of this shell. */
  async runProgram(argv: string[], extraEnv: Record<string, string>, fds: Fds, exec: boolean): Promise<number> {
    const name = argv[0];
    let program: Program | undefined = this.rt.container.lookup(name);
    let args = argv;
    if (!program && name.includes('/')) {
      const st = await this.fs.stat(name, this.cwd).catch(() => undefined);
      if (st?.isDirectory()) {
        await this.error(fds, `${name}: Permission denied`);
        return 126;
      }
      if (st) {
        program = this.rt.container.lookup('sh');
        args = ['sh', ...argv];
      }
    }
    if (!program) {
      await this.notFound(fds, name);
      return 127;
    }
    const ctx: ProcessContext = {
      argv: args,
      env: { ...this.state.environment(), ...extraEnv },
      cwd: this.state.cwd,
      stdin: fds.stdin,
      stdout: fds.stdout,
      stderr: fds.stderr,
      container: this.rt.container,
      sigterm: exec ? this.rt.sigterm : NEVER,
      pid1: exec ? this.rt.pid1 : false,
      interrupt: this.rt.hub.signal,
    };
    return program(ctx);
  }

  async callFunction(body: Command, argv: string[], fds: Fds): Promise<number> {
    const savedParams = this.state.params;
    this.state.params = argv.slice(1);
    this.locals.push(new Map());
    try {
      return await this.run(body, fds);
    } catch (err) {
      if (err instanceof ReturnSignal) return err.status;
      throw err;
    } finally {
      this.state.params = savedParams;
      for (const [k, v] of this.locals.pop() ?? []) {
        if (v === undefined) this.state.unset(k);
        else this.state.set(k, v);
      }
    }
  }

  /** `local NAME`: remembers the outer value, restored when the function returns. */
  declareLocal(name: string): boolean {
    const frame = this.locals[this.locals.length - 1];
    if (!frame) return false;
    if (!frame.has(name)) frame.set(name, this.state.get(name));
    return true;
  }

  private async runPipeline(cmd: Pipeline, fds: Fds): Promise<number> {
    const n = cmd.commands.length;
    const pipes = Array.from({ length: n - 1 }, () => createPipe());
    const stages = cmd.commands.map(async (c, i) => {
      const stdin = i === 0 ? fds.stdin : pipes[i - 1].reader;
      const stdout = i === n - 1 ? fds.stdout : pipes[i].writer;
      const sub = n === 1 ? this : this.subshell();
      try {
        return n === 1 ? await sub.run(c, { stdin, stdout, stderr: fds.stderr }) : await sub.runIsolated(c, { stdin, stdout, stderr: fds.stderr });
      } finally {
        if (i < n - 1) pipes[i].writer.close();
        if (i > 0) pipes[i - 1].reader.close();
      }
    });
    const statuses = await Promise.all(stages);
    let status = statuses[n - 1];
    if (this.state.options.pipefail) status = [...statuses].reverse().find((s) => s !== 0) ?? 0;
    if (cmd.negate) {
      this.exempt = true;
      return status === 0 ? 1 : 0;
    }
    return status;
  }

  private async runAndOr(cmd: AndOr, fds: Fds): Promise<number> {
    let status = await this.asCondition(() => this.run(cmd.first, fds));
    let ranLast = false;
    for (let j = 0; j < cmd.rest.length; j++) {
      const { op, command } = cmd.rest[j];
      if ((op === '&&') !== (status === 0)) continue;
      const last = j === cmd.rest.length - 1;
      status = last ? await this.run(command, fds) : await this.asCondition(() => this.run(command, fds));
      ranLast = last;
    }
    this.exempt = !ranLast;
    return status;
  }

  private async asCondition(fn: () => Promise<number>): Promise<number> {
    this.condDepth += 1;
    try {
      return await fn();
    } finally {
      this.condDepth -= 1;
    }
  }

  private async runIf(cmd: IfCommand, fds: Fds): Promise<number> {
    for (const b of cmd.branches) {
      if ((await this.asCondition(() => this.runList(b.cond, fds))) === 0) return this.runList(b.body, fds);
    }
    return cmd.elseBody ? this.runList(cmd.elseBody, fds) : 0;
  }

  private async runLoop(cmd: LoopCommand, fds: Fds): Promise<number> {
    let status = 0;
    for (;;) {
      await this.tick(fds);
      const c = await this.asCondition(() => this.runList(cmd.cond, fds));
      if ((c === 0) !== (cmd.type === 'while')) return status;
      const r = await this.loopBody(cmd.body, fds);
      status = r.status;
      if (r.stop) return status;
    }
  }

  private async runFor(cmd: ForCommand, fds: Fds): Promise<number> {
    this.fds = fds;
    const items = cmd.items ? await expandWords(cmd.items, this) : [...this.state.params];
    let status = 0;
    for (const item of items) {
      await this.tick(fds);
      this.setVar(cmd.name, item);
      const r = await this.loopBody(cmd.body, fds);
      status = r.status;
      if (r.stop) break;
    }
    return status;
  }

  /** Runs a loop body; `stop` says the loop must end (break). */
  private async loopBody(body: List, fds: Fds): Promise<{ status: number; stop: boolean }> {
    try {
      return { status: await this.runList(body, fds), stop: false };
    } catch (err) {
      if (!(err instanceof LoopSignal)) throw err;
      if (err.levels > 1) throw new LoopSignal(err.kind, err.levels - 1);
      return { status: 0, stop: err.kind === 'break' };
    }
  }

  private async runCase(cmd: CaseCommand, fds: Fds): Promise<number> {
    this.fds = fds;
    const word = await expandString(cmd.word, this);
    for (const arm of cmd.arms) {
      for (const p of arm.patterns) {
        if (matchPattern(await expandSegments(p, this), word)) return this.runList(arm.body, fds);
      }
    }
    return 0;
  }

  private startBackground(cmd: Command, fds: Fds): void {
    const pid = String(this.rt.nextPid.value++);
    const job = this.subshell().runIsolated(cmd, { ...fds, stdin: InputStream.empty() });
    this.jobs.set(pid, job);
    this.state.lastBackground = pid;
  }

  /** Lets timers and sockets run between loop iterations, and stops when the container is torn down. */
  private async tick(fds: Fds): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    await this.checkpoint(fds);
  }

  /** Between commands: runs trapped signals' actions; ends everything once the container is gone. */
  async checkpoint(fds: Fds): Promise<void> {
    if (this.rt.container.lifetime.aborted) throw new ExitSignal(137);
    if (!this.ownsTraps) return;
    while (this.rt.pendingTraps.length > 0) {
      const sig = this.rt.pendingTraps.shift()!;
      const action = this.state.traps.get(sig);
      if (action) await this.runTrapAction(action, fds);
    }
  }

  /** Runs a trap's action in this shell; `$?` is kept across it. */
  async runTrapAction(action: string, fds: Fds): Promise<void> {
    const saved = this.state.status;
    await this.runList(parseScript(action), fds);
    this.state.status = saved;
  }

  private hasSignalTraps(): boolean {
    for (const [sig, action] of this.state.traps) if (sig !== 'EXIT' && action !== '') return true;
    return false;
  }

  setVar(name: string, value: string): void {
    this.state.set(name, value);
  }

  /** Prints an error the way this image's shell does (`sh: msg`, `sh: 1: msg`, `bash: line 1: msg`). */
  async error(fds: Fds, message: string): Promise<void> {
    const { flavor } = this.rt;
    const prefix = flavor.style === 'dash' ? `${flavor.name}: ${this.line}: ` : flavor.style === 'bash' ? `${flavor.name}: line ${this.line}: ` : `${flavor.name}: `;
    await fds.stderr.write(`${prefix}${message}\n`);
  }

  private async notFound(fds: Fds, name: string): Promise<void> {
    await this.error(fds, this.rt.flavor.style === 'bash' ? `${name}: command not found` : `${name}: not found`);
  }
}

function traceQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
