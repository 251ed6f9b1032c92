import { fsErrorMessage } from '../fs/errors.js';
import type { Program, ProcessContext, ShellFlavor } from '../process.js';
import { BUILTINS } from './builtins.js';
import { ExitSignal, InterruptHub, Interpreter, type Fds, type ShellRuntime } from './interpreter.js';
import { parseScript, ShellSyntaxError } from './parser.js';
import { ShellState } from './state.js';

interface Invocation {
  /** The script text, or undefined to read it from stdin. */
  script?: string;
  /** Where the script came from: `-c` strings may exec their last command. */
  fromString: boolean;
  arg0: string;
  params: string[];
  options: string[];
  file?: string;
}

/** Parses `sh [-eux] [-c script [name [args...]] | file [args...]]`. */
function parseInvocation(argv: string[]): Invocation {
  const options: string[] = [];
  let i = 1;
  let command = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' || a === '-') {
      i++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    if (a === '-o' || a === '+o') {
      options.push(`${a[0]}o:${argv[++i] ?? ''}`);
      continue;
    }
    for (const letter of a.slice(1)) {
      if (letter === 'c') command = true;
      else options.push(`${a[0]}${letter}`);
    }
  }
  const rest = argv.slice(i);
  if (command) {
    const [script = '', name, ...params] = rest;
    return { script, fromString: true, arg0: name ?? argv[0], params, options };
  }
  if (rest.length > 0) return { fromString: false, file: rest[0], arg0: rest[0], params: rest.slice(1), options };
  return { fromString: false, arg0: argv[0], params: [], options };
}

function applyOptions(state: ShellState, options: string[]): void {
  const letters: Record<string, 'errexit' | 'xtrace' | 'nounset' | 'noglob'> = { e: 'errexit', x: 'xtrace', u: 'nounset', f: 'noglob' };
  for (const o of options) {
    if (o.startsWith('-o:') || o.startsWith('+o:')) {
      const name = o.slice(3);
      if (name === 'pipefail' || name === 'errexit' || name === 'xtrace' || name === 'nounset') state.options[name] = o[0] === '-';
      continue;
    }
    const opt = letters[o[1]];
    if (opt) state.options[opt] = o[0] === '-';
  }
}

/** The image's /bin/sh: runs `-c` strings, script files, or a script read from stdin. */
export function shellProgram(flavor: ShellFlavor): Program {
  return async (ctx) => {
    const inv = parseInvocation(ctx.argv);
    const fds: Fds = { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr };
    const state = ShellState.fromEnvironment(ctx.env, ctx.cwd);
    state.arg0 = inv.arg0;
    state.params = inv.params;
    applyOptions(state, inv.options);
    const rt = runtimeFor(ctx, flavor);
    const sh = new Interpreter(state, rt, true);
    let script = inv.script;
    if (inv.file !== undefined) {
      try {
        script = (await ctx.container.fs.readFile(inv.file, ctx.cwd)).toString('utf8');
      } catch (err) {
        await sh.error(fds, `can't open '${inv.file}': ${fsErrorMessage(err)}`);
        return 127;
      }
    }
    script ??= await ctx.stdin.readText();
    return runScript(sh, script, fds, inv.fromString, ctx);
  };
}

function runtimeFor(ctx: ProcessContext, flavor: ShellFlavor): ShellRuntime {
  return {
    container: ctx.container,
    flavor,
    sigterm: ctx.sigterm,
    pid1: ctx.pid1,
    hub: new InterruptHub(),
    pendingTraps: [],
    builtins: BUILTINS,
    nextPid: { value: 7 },
  };
}

/**
 * Runs a script as a shell process. SIGTERM to the shell runs its TERM trap at the next command
 * boundary (cutting short a `sleep` or `wait` in progress); without a trap, PID 1 ignores it.
 */
async function runScript(sh: Interpreter, script: string, fds: Fds, fromString: boolean, ctx: ProcessContext): Promise<number> {
  const onTerm = () => {
    const action = sh.state.traps.get('TERM');
    if (action === undefined && ctx.pid1) return;
    if (action === '') return;
    sh.rt.pendingTraps.push('TERM');
    sh.rt.hub.fire();
  };
  ctx.sigterm.addEventListener('abort', onTerm, { once: true });
  let status: number;
  try {
    const list = parseScript(script);
    status = await sh.runList(list, fds, fromString);
  } catch (err) {
    status = err instanceof ShellSyntaxError ? (await sh.error(fds, err.message), 2) : await sh.statusOf(err, fds);
  } finally {
    ctx.sigterm.removeEventListener('abort', onTerm);
  }
  return runExitTrap(sh, fds, status);
}

async function runExitTrap(sh: Interpreter, fds: Fds, status: number): Promise<number> {
  const action = sh.state.traps.get('EXIT');
  if (!action) return status;
  sh.state.traps.delete('EXIT');
  sh.state.status = status;
  try {
    await sh.runTrapAction(action, fds);
    return status;
  } catch (err) {
    if (err instanceof ExitSignal) return err.status;
    return sh.statusOf(err, fds);
  }
}
