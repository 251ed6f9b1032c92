import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseFlags } from '../args.js';
import { UsageError } from '../errors.js';
import { clusterPaths, DEFAULT_DATA_DIR, logFile } from '../settings.js';
import { tailLines } from '../tail.js';
import type { Command, Io } from './command.js';

export const logs: Command = {
  name: 'logs',
  summary: "print a component's log (apiserver, nats-server, supervisor, ...)",
  usage: `Usage: kubesim logs COMPONENT [--data-dir DIR] [-f] [--tail N]

Prints <data-dir>/logs/COMPONENT.log: the component's stdout and stderr, across restarts.

Flags:
  --data-dir DIR   the cluster's data dir (default .kubesim)
  -f, --follow     keep printing what is appended (Ctrl-C to stop)
  --tail N         only the last N lines
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
        follow: { type: 'boolean', short: 'f' },
        tail: { type: 'string' },
      },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('expected one COMPONENT');
    const name = positionals[0];
    const tail = values.tail === undefined ? null : Number(values.tail);
    if (tail !== null && !(Number.isInteger(tail) && tail >= 0)) throw new UsageError(`--tail must be a number, not "${values.tail}"`);
    const paths = clusterPaths(path.resolve(io.cwd, values['data-dir']));
    const file = logFile(paths, name);
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name) || !fs.existsSync(file)) {
      io.stderr.write(`no log for "${name}" in ${paths.logs}; there are: ${available(paths.logs).join(', ') || 'none'}\n`);
      return 1;
    }
    let offset: number;
    if (tail === null) {
      offset = await copyFrom(file, 0, io);
    } else {
      const lines = tailLines(file, tail);
      if (lines.length) io.stdout.write(`${lines.join('\n')}\n`);
      offset = fs.statSync(file).size;
    }
    if (values.follow) await follow(file, offset, io);
    return 0;
  },
};

function available(logDir: string): string[] {
  try {
    return fs.readdirSync(logDir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4)).sort();
  } catch {
    return [];
  }
}

/** Writes the file from `offset` to its current end; returns the new offset. */
async function copyFrom(file: string, offset: number, io: Io): Promise<number> {
  const end = fs.statSync(file).size;
  if (end <= offset) return end;
  const stream = fs.createReadStream(file, { start: offset, end: end - 1 });
  for await (const chunk of stream) {
    if (!io.stdout.write(chunk as Buffer)) await new Promise((r) => io.stdout.once('drain', r));
  }
  return end;
}

/** Prints what is appended until SIGINT/SIGTERM; starts over if the file is truncated. */
async function follow(file: string, offset: number, io: Io): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!controller.signal.aborted) {
      await sleep(250, undefined, { signal: controller.signal }).catch(() => undefined);
      const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      if (size < offset) offset = 0;
      if (size > offset) offset = await copyFrom(file, offset, io);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
