/** Where a command reads and writes: the process's streams, environment and working directory. */
export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One `kubesim` subcommand. `run` returns the exit code; a UsageError prints `usage`. */
export interface Command {
  name: string;
  /** One line for `kubesim --help`; commands without one are internal and not listed. */
  summary: string | null;
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}
