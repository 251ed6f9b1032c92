/**
 * Running the CLIs the docker suite drives (docker, docker compose, the stock kubectl).
 */
import { execFile } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs `command args`; resolves with its stdout, rejects with an Error holding its stderr. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** True when `command args` exits 0. */
export async function succeeds(command: string, args: readonly string[]): Promise<boolean> {
  return run(command, args, { timeoutMs: 20_000 }).then(
    () => true,
    () => false,
  );
}

/**
 * The compose command line: `docker compose` (v2) when that plugin is there, else the v1
 * `docker-compose` Debian ships; undefined when neither is.
 */
export async function composeCommand(): Promise<string[] | undefined> {
  if (await succeeds('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (await succeeds('docker-compose', ['version'])) return ['docker-compose'];
  return undefined;
}
