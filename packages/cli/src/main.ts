#!/usr/bin/env node
import { chaos } from './commands/chaos.js';
import type { Command, Io } from './commands/command.js';
import { down } from './commands/down.js';
import { kubectl } from './commands/kubectl.js';
import { logs } from './commands/logs.js';
import { status } from './commands/status.js';
import { supervise } from './commands/supervise.js';
import { up } from './commands/up.js';
import { UsageError } from './errors.js';

const COMMANDS: readonly Command[] = [up, down, status, logs, kubectl, chaos, supervise];

function usage(): string {
  const listed = COMMANDS.filter((c) => c.summary !== null);
  const width = Math.max(...listed.map((c) => c.name.length));
  return [
    'kubesim: a Kubernetes cluster where every component is a real process.',
    '',
    'Usage: kubesim COMMAND [flags]',
    '',
    'Commands:',
    ...listed.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`),
    '',
    'Run kubesim COMMAND --help for its flags.',
    '',
  ].join('\n');
}

/** Runs `kubesim` with `argv` (without node and the script); resolves to the exit code. */
async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    io.stdout.write(cmd ? cmd.usage : usage());
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`kubesim: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // kubectl has flags of its own, --help included.
  if (cmd !== kubectl && rest.some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`kubesim ${name}: ${err.message}\n\n${cmd.usage}`);
    return 2;
  }
}

const io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`kubesim: ${err.stack ?? err.message}\n`);
    process.exitCode = 1;
  },
);
