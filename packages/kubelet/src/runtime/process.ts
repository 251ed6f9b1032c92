/**
 * The `process` runtime: one OS process per container, spawned detached in its own process
 * group with its stdout and stderr going straight to the log file, so it outlives a kubelet that
 * is killed and keeps logging meanwhile. A restarted kubelet adopts it by pid and start time and
 * watches it by polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { realClock, type Clock } from '@kubesim/api';
import type { ContainerRecord } from '../layout.js';
import { imagesEntry } from './entry.js';
import { isSameProcess, procStat, readExitFile, signalExitCode, signalGroup } from './proc.js';
import type { ContainerHandle, ContainerRuntime, ContainerSpec } from './types.js';

export interface ProcessRuntimeOptions {
  /** The program each container runs; default the images package's `main.js`. */
  entry?: string;
  /** How often an adopted process is checked for liveness (default 500 ms). */
  pollMs?: number;
  clock?: Clock;
}

export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process' as const;
  private readonly pollMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: ProcessRuntimeOptions = {}) {
    this.pollMs = options.pollMs ?? 500;
    this.clock = options.clock ?? realClock;
  }

  async start(spec: ContainerSpec, record: ContainerRecord): Promise<ContainerHandle> {
    fs.mkdirSync(path.dirname(record.logPath), { recursive: true });
    fs.mkdirSync(spec.rootfs, { recursive: true });
    fs.rmSync(record.exitFile, { force: true });
    const fd = fs.openSync(record.logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [this.options.entry ?? imagesEntry('main.js')], {
        detached: true,
        stdio: ['ignore', fd, fd],
        cwd: spec.rootfs,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBESIM_CONTAINER_SPEC: JSON.stringify(spec), KUBESIM_EXIT_FILE: record.exitFile },
      });
    } finally {
      fs.closeSync(fd);
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    const pid = child.pid!;
    const exited = new Promise<number>((resolve) => {
      child.once('exit', (code, signal) => resolve(readExitFile(record.exitFile) ?? (signal ? signalExitCode(signal) : (code ?? 137))));
    });
    return new ProcessHandle(pid, procStat(pid)?.startTime, exited);
  }

  adopt(record: ContainerRecord): ContainerHandle | undefined {
    if (record.runtime !== 'process' || !record.pid || record.finished) return undefined;
    if (!isSameProcess(record.pid, record.pidStartTime)) return undefined;
    const { pid, pidStartTime } = record;
    const exited = new Promise<number>((resolve) => {
      const check = () => {
        if (isSameProcess(pid, pidStartTime)) this.clock.setTimeout(check, this.pollMs);
        else resolve(readExitFile(record.exitFile) ?? 137);
      };
      check();
    });
    return new ProcessHandle(pid, pidStartTime, exited);
  }
}

/** A container process, started here or adopted. */
class ProcessHandle implements ContainerHandle {
  private done = false;

  constructor(
    readonly pid: number,
    readonly pidStartTime: string | undefined,
    private readonly exited: Promise<number>,
  ) {
    void exited.then(() => (this.done = true));
  }

  wait(): Promise<number> {
    return this.exited;
  }

  async stop(graceMs: number): Promise<number> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), Math.max(0, graceMs));
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): Promise<number> {
    this.signal('SIGKILL');
    return this.exited;
  }

  private signal(sig: NodeJS.Signals): void {
    // The pid may have been reused once the process is gone: check before signalling.
    if (!this.done && isSameProcess(this.pid, this.pidStartTime)) signalGroup(this.pid, sig);
  }
}
