import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_BACKOFF, restartDelay, type BackoffPolicy } from './backoff.js';
import type { ComponentSpec } from './components.js';
import { checkHealth } from './health.js';
import { processRef } from './processes.js';
import type { ClusterSettings } from './settings.js';
import { writeState, type ClusterState, type ComponentState } from './state.js';

/** What a Supervisor runs and where it keeps its records. */
export interface SupervisorConfig {
  /** state.json, rewritten atomically on every change. */
  stateFile: string;
  /** Folder of `<component>.log`, appended to with each process's stdout and stderr. */
  logDir: string;
  /** In start order; stopped in reverse. */
  components: readonly ComponentSpec[];
  /** Recorded in state.json for `status` and `down`. */
  settings?: ClusterSettings | null;
  backoff?: Partial<BackoffPolicy>;
  /** How long start waits for a component to be healthy before starting the next one anyway. */
  startTimeoutMs?: number;
  /** How long a component has to exit after SIGTERM before it gets SIGKILL. */
  stopTimeoutMs?: number;
  /** Where the supervisor reports what it does (one line per call). */
  log?: (line: string) => void;
}

/** A component's live bookkeeping. */
interface Slot {
  spec: ComponentSpec;
  record: ComponentState;
  child: ChildProcess | null;
  /** Resolves when the current child has exited. */
  exited: Promise<void>;
  startedAtMs: number;
  delayMs: number | null;
  timer: NodeJS.Timeout | null;
}

const NAME = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * Runs components as child processes: starts them in order (each once the previous one is
 * healthy), restarts any that exits with exponential backoff, and on abort stops them in reverse
 * order (SIGTERM, then SIGKILL after the stop timeout). Only its own children are ever signalled.
 */
export class Supervisor {
  private readonly backoff: BackoffPolicy;
  private readonly startTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly slots: Slot[];
  private readonly state: ClusterState;
  private stopping = false;
  private started = false;

  /** Validates the config and fills defaults; does no I/O. Throws TypeError on a bad config. */
  constructor(private readonly config: SupervisorConfig) {
    validate(config);
    this.backoff = { ...DEFAULT_BACKOFF, ...config.backoff };
    if (!(this.backoff.initialMs > 0 && this.backoff.maxMs >= this.backoff.initialMs)) {
      throw new TypeError('backoff needs 0 < initialMs <= maxMs');
    }
    this.startTimeoutMs = config.startTimeoutMs ?? 30_000;
    this.stopTimeoutMs = config.stopTimeoutMs ?? 10_000;
    this.log = config.log ?? ((line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
    this.slots = config.components.map((spec) => ({
      spec,
      record: initialRecord(spec),
      child: null,
      exited: Promise.resolve(),
      startedAtMs: 0,
      delayMs: null,
      timer: null,
    }));
    this.state = {
      version: 1,
      supervisorPid: null,
      supervisorStartTicks: null,
      startedAt: new Date().toISOString(),
      settings: config.settings ?? null,
      components: this.slots.map((s) => s.record),
    };
  }

  /**
   * Starts every component, keeps them running until `signal` aborts, then stops them all.
   * Resolves once every child has exited and state.json says so.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('Supervisor.start may be called once');
    this.started = true;
    fs.mkdirSync(this.config.logDir, { recursive: true });
    const me = processRef(process.pid);
    this.state.supervisorPid = me.pid;
    this.state.supervisorStartTicks = me.startTicks;
    this.state.startedAt = new Date().toISOString();
    this.save();
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    for (const slot of this.slots) {
      if (signal.aborted) break;
      this.launch(slot);
      await this.waitHealthy(slot, signal);
    }
    await aborted;
    await this.stopAll();
  }

  private launch(slot: Slot): void {
    const { spec, record } = slot;
    const logPath = path.join(this.config.logDir, `${spec.name}.log`);
    const fd = openLog(logPath, this.log);
    let child: ChildProcess;
    try {
      // Own process group: a Ctrl-C at the terminal reaches the supervisor alone, which then
      // stops the components in order.
      child = spawn(spec.command, spec.args, {
        stdio: ['ignore', fd, fd],
        detached: true,
        env: { ...process.env, ...spec.env },
      });
    } finally {
      if (fd !== 'ignore') fs.closeSync(fd);
    }
    let gone = false;
    slot.exited = new Promise((resolve) => {
      const onGone = (code: number | null, sig: NodeJS.Signals | null, err?: Error) => {
        if (gone) return;
        gone = true;
        resolve();
        this.onExit(slot, child, code, sig, err);
      };
      child.once('exit', onGone);
      child.once('error', (err) => {
        if (child.pid === undefined) onGone(null, null, err);
      });
    });
    slot.child = child;
    slot.startedAtMs = Date.now();
    const ref = child.pid !== undefined ? processRef(child.pid) : null;
    Object.assign(record, {
      pid: ref?.pid ?? null,
      startTicks: ref?.startTicks ?? null,
      phase: 'running',
      startedAt: new Date(slot.startedAtMs).toISOString(),
      nextRestartAt: null,
    } satisfies Partial<ComponentState>);
    const commandLine = [spec.command, ...spec.args].join(' ');
    if (ref && fd !== 'ignore') appendLine(logPath, `--- kubesim: started ${spec.name} (pid ${ref.pid}): ${commandLine}`);
    this.log(`started ${spec.name} (pid ${ref?.pid ?? '-'})`);
    this.save();
  }

  private onExit(slot: Slot, child: ChildProcess, code: number | null, sig: string | null, err?: Error): void {
    if (slot.child !== child) return;
    const { spec, record } = slot;
    slot.child = null;
    const at = new Date();
    Object.assign(record, { pid: null, startTicks: null, lastExit: { code, signal: sig, at: at.toISOString() } });
    const how = err ? `failed to start: ${err.message}` : sig ? `was killed by ${sig}` : `exited with code ${code}`;
    if (this.stopping) {
      record.phase = 'stopped';
      this.log(`${spec.name} ${how}`);
      this.save();
      return;
    }
    slot.delayMs = restartDelay(slot.delayMs, at.getTime() - slot.startedAtMs, this.backoff);
    record.phase = 'restarting';
    record.nextRestartAt = new Date(at.getTime() + slot.delayMs).toISOString();
    this.log(`${spec.name} ${how}; restarting in ${slot.delayMs} ms`);
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (this.stopping) return;
      record.restarts += 1;
      this.launch(slot);
    }, slot.delayMs);
    this.save();
  }

  private async waitHealthy(slot: Slot, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    while (!signal.aborted && Date.now() < deadline) {
      if (slot.child && (await checkHealth(slot.spec.health))) {
        this.log(`${slot.spec.name} is healthy`);
        return;
      }
      await sleep(100, undefined, { signal }).catch(() => undefined);
    }
    if (!signal.aborted) {
      this.log(`${slot.spec.name} is not healthy after ${this.startTimeoutMs} ms; going on`);
    }
  }

  private async stopAll(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
    }
    for (const slot of [...this.slots].reverse()) await this.stopSlot(slot);
    this.state.supervisorPid = null;
    this.state.supervisorStartTicks = null;
    this.save();
    this.log('all components stopped');
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const { child, record, spec } = slot;
    if (!child) {
      Object.assign(record, { phase: 'stopped', nextRestartAt: null });
      return;
    }
    this.log(`stopping ${spec.name} (pid ${child.pid})`);
    child.kill('SIGTERM');
    // The timer is cancelled once the child exits, so that it does not hold the process open.
    const cancel = new AbortController();
    const timedOut = await Promise.race([
      slot.exited.then(() => false),
      sleep(this.stopTimeoutMs, true, { signal: cancel.signal }).catch(() => false),
    ]);
    cancel.abort();
    if (timedOut) {
      this.log(`${spec.name} did not exit ${this.stopTimeoutMs} ms after SIGTERM; sending SIGKILL`);
      child.kill('SIGKILL');
      await slot.exited;
    }
  }

  private save(): void {
    try {
      writeState(this.config.stateFile, this.state);
    } catch (err) {
      // The data dir may have been removed under us; the processes matter more than the record.
      this.log(`cannot write ${this.config.stateFile}: ${(err as Error).message}`);
    }
  }
}

/** Opens a component's log for appending; if that fails (data dir gone) its output is dropped. */
function openLog(file: string, log: (line: string) => void): number | 'ignore' {
  try {
    return fs.openSync(file, 'a');
  } catch (err) {
    log(`cannot open ${file}: ${(err as Error).message}; discarding its output`);
    return 'ignore';
  }
}

function appendLine(file: string, line: string): void {
  try {
    fs.appendFileSync(file, `${line}\n`);
  } catch {
    // Only a marker line; the component's own output matters more.
  }
}

function initialRecord(spec: ComponentSpec): ComponentState {
  return {
    name: spec.name,
    pid: null,
    startTicks: null,
    phase: 'stopped',
    required: spec.required,
    startedAt: null,
    restarts: 0,
    port: spec.port,
    command: [spec.command, ...spec.args],
    health: spec.health,
    lastExit: null,
    nextRestartAt: null,
  };
}

function validate(config: SupervisorConfig): void {
  if (!config.stateFile || !config.logDir) throw new TypeError('stateFile and logDir are required');
  if (config.components.length === 0) throw new TypeError('at least one component is required');
  const names = new Set<string>();
  for (const c of config.components) {
    if (!NAME.test(c.name)) throw new TypeError(`component name "${c.name}" must match ${NAME}`);
    if (names.has(c.name)) throw new TypeError(`component "${c.name}" is listed twice`);
    if (!c.command) throw new TypeError(`component "${c.name}" has no command`);
    names.add(c.name);
  }
  for (const key of ['startTimeoutMs', 'stopTimeoutMs'] as const) {
    const v = config[key];
    if (v !== undefined && !(v > 0)) throw new TypeError(`${key} must be positive`);
  }
}

/** Aborts `controller` on SIGTERM, SIGINT or SIGHUP; returns a function that removes the handlers. */
export function abortOnSignals(controller: AbortController): () => void {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  const handler = () => controller.abort();
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
