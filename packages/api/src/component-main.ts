/**
 * The entry point every kubesim process shares: parse flags (exit 2 with the message on bad
 * ones, print usage for --help), turn SIGTERM/SIGINT into aborting one AbortSignal, run the
 * component, and exit 1 with the error if it fails. Only for a process's main module.
 */
export interface ComponentMain<C> {
  /** Shown in the failure message: `<name> failed: …`. */
  name: string;
  usage: string;
  /** Parses argv (and the environment); throws an Error carrying usage on bad input. */
  parse(argv: string[]): C | 'help';
  /** Runs until `signal` aborts (or the component ends by itself). */
  run(config: C, signal: AbortSignal): Promise<void>;
  /** How long after SIGTERM the process may take to stop before it exits regardless (ms). */
  graceMs: number | ((config: C) => number);
  /** Exit as soon as `run` resolves (components whose start returns while they keep serving do not). */
  exitWhenDone?: boolean;
}

/** Runs a component as the process's main module. */
export function runComponent<C>(main: ComponentMain<C>): void {
  let config: C | 'help';
  try {
    config = main.parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(main.usage);
    return;
  }
  const ready = config;
  const abort = new AbortController();
  const grace = typeof main.graceMs === 'function' ? main.graceMs(ready) : main.graceMs;
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      abort.abort();
      setTimeout(() => process.exit(0), grace).unref();
    });
  }
  main.run(ready, abort.signal).then(
    () => {
      if (main.exitWhenDone) process.exit(0);
    },
    (err) => {
      console.error(`${main.name} failed:`, err);
      process.exit(1);
    },
  );
}
