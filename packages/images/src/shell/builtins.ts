import { fsErrorMessage } from '../fs/errors.js';
import { normalizeContainerPath } from '../fs/paths.js';
import { abortWaiter } from '../timing.js';
import { ExitSignal, LoopSignal, ReturnSignal, type Builtin, type Interpreter } from './interpreter.js';
import { parseScript } from './parser.js';
import type { ShellOptions } from './state.js';

const SIGNALS: Record<string, string> = {
  '0': 'EXIT', '1': 'HUP', '2': 'INT', '3': 'QUIT', '9': 'KILL', '10': 'USR1', '12': 'USR2', '14': 'ALRM', '15': 'TERM', '17': 'CHLD',
};
const SIGNAL_NAMES = new Set(Object.values(SIGNALS));

/** A signal name as `trap` stores it: "TERM" for "SIGTERM", "15", "term"; undefined if unknown. */
export function normalizeSignal(spec: string): string | undefined {
  const upper = spec.toUpperCase().replace(/^SIG/, '');
  const name = SIGNALS[upper] ?? upper;
  return SIGNAL_NAMES.has(name) ? name : undefined;
}

const OPTION_LETTERS: Record<string, keyof ShellOptions> = { e: 'errexit', x: 'xtrace', u: 'nounset', f: 'noglob' };

function toStatus(arg: string | undefined, fallback: number): number {
  if (arg === undefined) return fallback;
  const n = Number(arg);
  return Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2;
}

const exit: Builtin = async (sh, argv) => {
  throw new ExitSignal(toStatus(argv[1], sh.state.status));
};

const returnBuiltin: Builtin = async (sh, argv) => {
  throw new ReturnSignal(toStatus(argv[1], sh.state.status));
};

const loopControl = (kind: 'break' | 'continue'): Builtin => async (_sh, argv) => {
  throw new LoopSignal(kind, Math.max(1, Number(argv[1] ?? 1) || 1));
};

const cd: Builtin = async (sh, argv, fds) => {
  const arg = argv[1] === '-' ? (sh.state.get('OLDPWD') ?? sh.cwd) : (argv[1] ?? sh.state.get('HOME') ?? '/');
  try {
    const st = await sh.fs.stat(arg, sh.cwd);
    if (!st.isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
  } catch (err) {
    await sh.error(fds, `cd: can't cd to ${arg}: ${fsErrorMessage(err)}`);
    return 2;
  }
  sh.state.set('OLDPWD', sh.cwd);
  sh.state.cwd = normalizeContainerPath(arg, sh.cwd);
  sh.state.set('PWD', sh.state.cwd);
  if (argv[1] === '-') await fds.stdout.write(`${sh.state.cwd}\n`);
  return 0;
};

/** `export`, `readonly` and `local`: NAME[=value]... */
const declare = (kind: 'export' | 'readonly' | 'local'): Builtin => async (sh, argv, fds) => {
  const args = argv.slice(1).filter((a) => a !== '-p');
  if (args.length === 0) {
    for (const [k, v] of sh.state.entries()) if (kind !== 'export' || v.exported) await fds.stdout.write(`${kind} ${k}='${v.value.replace(/'/g, `'\\''`)}'\n`);
    return 0;
  }
  for (const a of args) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      await sh.error(fds, `${kind}: ${a}: bad variable name`);
      return 1;
    }
    if (kind === 'local' && !sh.declareLocal(name)) {
      await sh.error(fds, 'local: not in a function');
      return 1;
    }
    if (eq >= 0) sh.state.set(name, a.slice(eq + 1));
    if (kind === 'export') sh.state.export(name);
    if (kind === 'readonly') sh.state.markReadonly(name);
  }
  return 0;
};

const unset: Builtin = async (sh, argv) => {
  const fn = argv[1] === '-f';
  for (const name of argv.slice(1).filter((a) => a !== '-f' && a !== '-v')) {
    if (fn) sh.state.functions.delete(name);
    else sh.state.unset(name);
  }
  return 0;
};

const set: Builtin = async (sh, argv, fds) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    for (const [k, v] of sh.state.entries()) await fds.stdout.write(`${k}='${v.value.replace(/'/g, `'\\''`)}'\n`);
    return 0;
  }
  while (args.length > 0 && /^[-+]/.test(args[0])) {
    const a = args.shift()!;
    if (a === '--' || a === '-') {
      sh.state.params = args.splice(0);
      return 0;
    }
    const on = a.startsWith('-');
    if (a.slice(1) === 'o') {
      const opt = args.shift();
      if (opt === 'pipefail' || opt === 'errexit' || opt === 'xtrace' || opt === 'nounset' || opt === 'noglob') sh.state.options[opt] = on;
      continue;
    }
    for (const letter of a.slice(1)) {
      const opt = OPTION_LETTERS[letter];
      if (opt) sh.state.options[opt] = on;
    }
  }
  if (args.length > 0) sh.state.params = args;
  return 0;
};

const shift: Builtin = async (sh, argv, fds) => {
  const n = Number(argv[1] ?? 1);
  if (!Number.isInteger(n) || n < 0 || n > sh.state.params.length) {
    await sh.error(fds, `shift: can't shift that many`);
    return 1;
  }
  sh.state.params = sh.state.params.slice(n);
  return 0;
};

const trap: Builtin = async (sh, argv, fds) => {
  const args = argv.slice(1).filter((a) => a !== '--');
  if (args.length === 0 || args[0] === '-p') {
    for (const [sig, action] of sh.state.traps) await fds.stdout.write(`trap -- '${action.replace(/'/g, `'\\''`)}' ${sig}\n`);
    return 0;
  }
  const [action, ...specs] = /^\d+$/.test(args[0]) && args.length === 1 ? ['-', ...args] : args;
  for (const spec of specs) {
    const sig = normalizeSignal(spec);
    if (!sig || sig === 'KILL') {
      await sh.error(fds, `trap: ${spec}: bad trap`);
      return 1;
    }
    if (action === '-') sh.state.traps.delete(sig);
    else sh.state.traps.set(sig, action);
  }
  return 0;
};

const wait: Builtin = async (sh, argv) => {
  const pids = argv.length > 1 ? argv.slice(1) : [...sh.jobs.keys()];
  const jobs = pids.map((p) => sh.jobs.get(p)).filter((j): j is Promise<number> => j !== undefined);
  if (jobs.length === 0) return argv.length > 1 ? 127 : 0;
  const waiter = abortWaiter(sh.rt.hub.signal);
  const result = await Promise.race([Promise.all(jobs), waiter.promise.then(() => 'interrupted' as const)]);
  waiter.dispose();
  if (result === 'interrupted') return 128 + 15;
  for (const p of pids) sh.jobs.delete(p);
  return result[result.length - 1];
};

const read: Builtin = async (sh, argv, fds) => {
  const args = argv.slice(1);
  let raw = false;
  while (args[0]?.startsWith('-')) {
    const opt = args.shift()!;
    if (opt === '-r') raw = true;
    else if (opt === '-p' || opt === '-t' || opt === '-u' || opt === '-n' || opt === '-d') args.shift();
  }
  const names = args.length > 0 ? args : ['REPLY'];
  let line = await fds.stdin.readLine();
  const eof = line === null;
  line ??= '';
  if (!raw) line = line.replace(/\\(.)/g, '$1');
  assignFields(sh, names, line);
  return eof ? 1 : 0;
};

function assignFields(sh: Interpreter, names: string[], line: string): void {
  const ifs = sh.lookup('IFS') ?? ' \t\n';
  const ws = [...ifs].filter((c) => /\s/.test(c)).join('');
  let rest = trimChars(line, ws);
  names.forEach((name, i) => {
    if (i === names.length - 1) {
      sh.state.set(name, rest);
      return;
    }
    let at = 0;
    while (at < rest.length && !ifs.includes(rest[at])) at++;
    sh.state.set(name, rest.slice(0, at));
    rest = trimChars(rest.slice(at + 1), ws, true);
  });
}

function trimChars(s: string, chars: string, startOnly = false): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a])) a++;
  while (!startOnly && b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

const evalBuiltin: Builtin = async (sh, argv, fds) => sh.runList(parseScript(argv.slice(1).join(' ')), fds);

const source: Builtin = async (sh, argv, fds) => {
  const file = argv[1];
  if (!file) return 0;
  let text: string;
  try {
    text = (await sh.fs.readFile(file, sh.cwd)).toString('utf8');
  } catch (err) {
    await sh.error(fds, `${file}: ${fsErrorMessage(err)}`);
    throw new ExitSignal(2);
  }
  const saved = sh.state.params;
  if (argv.length > 2) sh.state.params = argv.slice(2);
  try {
    return await sh.runList(parseScript(text), fds);
  } finally {
    if (argv.length > 2) sh.state.params = saved;
  }
};

const exec: Builtin = async (sh, argv, fds) => {
  if (argv.length < 2) return 0;
  throw new ExitSignal(await sh.runProgram(argv.slice(1), {}, fds, true));
};

function describe(sh: Interpreter, name: string): string | undefined {
  if (Object.hasOwn(sh.rt.builtins, name)) return 'builtin';
  if (sh.state.functions.has(name)) return 'function';
  if (sh.rt.container.lookup(name)) return name.includes('/') ? name : `/bin/${name}`;
  return undefined;
}

const command: Builtin = async (sh, argv, fds) => {
  const args = argv.slice(1);
  if (args[0] === '-v' || args[0] === '-V') {
    const name = args[1] ?? '';
    const what = describe(sh, name);
    if (!what) return 1;
    await fds.stdout.write(`${what === 'builtin' || what === 'function' ? name : what}\n`);
    return 0;
  }
  if (args.length === 0) return 0;
  const builtin = Object.hasOwn(sh.rt.builtins, args[0]) ? sh.rt.builtins[args[0]] : undefined;
  return builtin ? builtin(sh, args, fds) : sh.runProgram(args, {}, fds, false);
};

const type: Builtin = async (sh, argv, fds) => {
  let status = 0;
  for (const name of argv.slice(1)) {
    const what = describe(sh, name);
    if (!what) {
      await fds.stdout.write(`${name}: not found\n`);
      status = 1;
    } else if (what === 'builtin') await fds.stdout.write(`${name} is a shell builtin\n`);
    else if (what === 'function') await fds.stdout.write(`${name} is a function\n`);
    else await fds.stdout.write(`${name} is ${what}\n`);
  }
  return status;
};

const noop: Builtin = async () => 0;

/** The builtins of the shell: commands that must run inside it because they read or change its state. */
export const BUILTINS: Record<string, Builtin> = {
  ':': noop,
  exit,
  return: returnBuiltin,
  break: loopControl('break'),
  continue: loopControl('continue'),
  cd,
  export: declare('export'),
  readonly: declare('readonly'),
  local: declare('local'),
  unset,
  set,
  shift,
  trap,
  wait,
  read,
  eval: evalBuiltin,
  '.': source,
  source,
  exec,
  command,
  type,
  ulimit: noop,
  umask: noop,
  hash: noop,
  alias: noop,
};

