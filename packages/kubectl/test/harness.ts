/**
 * What the end-to-end suites share: running our kubectl in-process against a real apiserver
 * through a kubeconfig file, reading its output while it runs, and polling for a condition.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runKubectl } from '../src/index.js';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running command whose output can be read before it ends. */
export interface Running {
  done: Promise<Result>;
  stdout: () => string;
  stderr: () => string;
}

/** A kubeconfig for one apiserver, in a temporary HOME. */
export class KubectlHarness {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-e2e-'));
  readonly kubeconfig = path.join(this.dir, 'config');

  constructor(server: string) {
    fs.writeFileSync(
      this.kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: sim\nclusters:\n- name: sim\n  cluster:\n    server: ${server}\ncontexts:\n- name: sim\n  context:\n    cluster: sim\n    user: me\nusers:\n- name: me\n  user: {}\n`,
    );
  }

  /** Starts a command line. */
  start(args: string[], stdin = ''): Running {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (c: Buffer) => (stdout += c.toString()));
    err.on('data', (c: Buffer) => (stderr += c.toString()));
    const io = { stdout: out, stderr: err, stdin: Readable.from([stdin]), env: { KUBECONFIG: this.kubeconfig, HOME: this.dir } };
    const done = runKubectl(args, io).then((code) => ({ code, stdout, stderr }));
    return { done, stdout: () => stdout, stderr: () => stderr };
  }

  /** Runs a command line to its end. */
  run(args: string[], stdin = ''): Promise<Result> {
    return this.start(args, stdin).done;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
