/**
 * The entry point: finds the command in argv, parses its flags with the global ones, runs it, and
 * prints any error the way kubectl does. Never exits the process; returns the exit code.
 */
import { parseDuration } from './duration.js';
import { formatError } from './errors.js';
import { findCommandIndex, formatFlagHelp, parseFlags, type ParsedArgs } from './flags.js';
import { COMMANDS, rootHelp } from './commands/index.js';
import { commandHelp, GLOBAL_FLAGS, HELP_FLAG, type Command } from './commands/command.js';
import { Session, type GlobalOptions, type KubectlIo } from './session.js';

/**
 * Runs one kubectl command line (argv without the program name) and resolves with its exit code.
 * Output goes to `io.stdout`/`io.stderr`; the environment (KUBECONFIG, HOME) comes from `io.env`.
 */
export async function runKubectl(argv: string[], io: KubectlIo = processIo()): Promise<number> {
  const idx = findCommandIndex(argv, GLOBAL_FLAGS);
  if (idx < 0) return runRoot(argv, io);
  const name = argv[idx];
  if (name === 'options') {
    io.stdout.write(`The following options can be passed to any command:\n\n${formatFlagHelp(GLOBAL_FLAGS)}\n`);
    return 0;
  }
  const top = COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
  if (!top) {
    io.stderr.write(`error: unknown command "${name}" for "kubectl"\n`);
    return 1;
  }
  const rest = [...argv.slice(0, idx), ...argv.slice(idx + 1)];
  const { cmd, args, path } = pickSubcommand(top, rest);
  let parsed: ParsedArgs;
  try {
    parsed = parseFlags(args, [...GLOBAL_FLAGS, HELP_FLAG, ...cmd.flags]);
  } catch (err) {
    io.stderr.write(formatError(err, path) + '\n');
    return 1;
  }
  if (parsed.flags.help) {
    io.stdout.write(commandHelp(cmd));
    return 0;
  }
  return execute(cmd, path, parsed, io);
}

async function execute(cmd: Command, path: string, parsed: ParsedArgs, io: KubectlIo): Promise<number> {
  let session: Session | undefined;
  try {
    session = new Session(io, globalOptions(parsed));
    return await cmd.run(session, parsed);
  } catch (err) {
    io.stderr.write(formatError(err, path) + '\n');
    return 1;
  } finally {
    await session?.close();
  }
}

function runRoot(argv: string[], io: KubectlIo): number {
  try {
    parseFlags(argv, [...GLOBAL_FLAGS, HELP_FLAG]);
  } catch (err) {
    io.stderr.write(formatError(err, '') + '\n');
    return 1;
  }
  io.stdout.write(rootHelp());
  return 0;
}

/**
 * Chooses a sub-verb (`create deployment`, `create secret generic`) by the first positional
 * argument, as deep as the command tree goes.
 */
function pickSubcommand(top: Command, rest: string[], prefix = ''): { cmd: Command; args: string[]; path: string } {
  const path = `${prefix}${top.name}`;
  if (!top.subcommands?.length) return { cmd: top, args: rest, path };
  const i = findCommandIndex(rest, [...GLOBAL_FLAGS, ...top.flags]);
  const sub = i < 0 ? undefined : top.subcommands.find((s) => s.name === rest[i] || s.aliases?.includes(rest[i]));
  if (!sub) return { cmd: top, args: rest, path };
  return pickSubcommand(sub, [...rest.slice(0, i), ...rest.slice(i + 1)], `${path} `);
}

function globalOptions(p: ParsedArgs): GlobalOptions {
  return {
    kubeconfig: p.flags.kubeconfig as string,
    context: p.flags.context as string,
    server: p.flags.server as string,
    namespace: p.flags.namespace as string,
    requestTimeoutMs: parseDuration(p.flags['request-timeout'] as string) || undefined,
  };
}

function processIo(): KubectlIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

