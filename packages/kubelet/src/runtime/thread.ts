/**
 * The `thread` runtime: one worker thread per container, lighter than a process. Its containers
 * die with the kubelet, so nothing can be adopted after a restart: they are started again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ContainerRecord } from '../layout.js';
import { imagesEntry } from './entry.js';
import type { ContainerHandle, ContainerRuntime, ContainerSpec } from './types.js';

type WorkerMessage = { stream?: 'stdout' | 'stderr'; data?: unknown; exit?: number };

export class ThreadRuntime implements ContainerRuntime {
  readonly name = 'thread' as const;

  constructor(private readonly entry?: string) {}

  async start(spec: ContainerSpec, record: ContainerRecord): Promise<ContainerHandle> {
    fs.mkdirSync(path.dirname(record.logPath), { recursive: true });
    fs.mkdirSync(spec.rootfs, { recursive: true });
    const log = fs.createWriteStream(record.logPath, { flags: 'a' });
    const worker = new Worker(this.entry ?? imagesEntry('worker.js'), { workerData: spec, stdout: true, stderr: true });
    worker.stdout.on('data', (b: Buffer) => log.write(b));
    worker.stderr.on('data', (b: Buffer) => log.write(b));
    let code: number | undefined;
    let terminated = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.stream && m.data !== undefined) log.write(typeof m.data === 'string' ? m.data : Buffer.from(m.data as Uint8Array));
      if (typeof m.exit === 'number') code = m.exit;
    });
    worker.on('error', (err) => {
      log.write(`${err.stack ?? err.message}\n`);
      code ??= 1;
    });
    const exited = new Promise<number>((resolve) => {
      worker.once('exit', (workerCode) => {
        log.end();
        resolve(code ?? (terminated ? 137 : workerCode));
      });
    });
    return new ThreadHandle(worker, exited, () => (terminated = true));
  }

  adopt(_record: ContainerRecord): ContainerHandle | undefined {
    return undefined;
  }
}

class ThreadHandle implements ContainerHandle {
  constructor(
    private readonly worker: Worker,
    private readonly exited: Promise<number>,
    private readonly markTerminated: () => void,
  ) {}

  wait(): Promise<number> {
    return this.exited;
  }

  async stop(graceMs: number): Promise<number> {
    this.worker.postMessage({ signal: 'SIGTERM' });
    const timer = setTimeout(() => void this.kill(), Math.max(0, graceMs));
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): Promise<number> {
    this.markTerminated();
    void this.worker.terminate();
    return this.exited;
  }
}
