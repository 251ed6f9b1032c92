import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentSpec } from './components.js';
import { checkHealth } from './health.js';
import { readState, type ComponentState } from './state.js';
import { tailLines } from './tail.js';

/** How `up` watches a starting cluster. */
export interface ReadyWatch {
  stateFile: string;
  logDir: string;
  /** The supervisor that must have written state.json (an older file is ignored). */
  supervisorPid: number;
  timeoutMs: number;
  /** Why the supervisor is gone (e.g. "exited with code 1"), or null while it runs. */
  supervisorGone(): string | null;
  /** Prints one progress line. */
  print(line: string): void;
}

/**
 * Waits until every component runs and passes its health check, printing `✓ name (pid N) :port`
 * for each as it gets there. On timeout prints what is not ready (with the end of its log) and
 * resolves false if any of those is required; resolves false at once if the supervisor dies.
 */
export async function waitReady(components: readonly ComponentSpec[], watch: ReadyWatch): Promise<boolean> {
  const pending = new Map(components.map((c) => [c.name, c]));
  const deadline = Date.now() + watch.timeoutMs;
  for (;;) {
    const gone = watch.supervisorGone();
    if (gone) {
      watch.print(`✗ the supervisor ${gone}; see ${watch.logDir}/supervisor.log`);
      return false;
    }
    const state = readState(watch.stateFile);
    const records = state?.supervisorPid === watch.supervisorPid ? state.components : [];
    for (const rec of records) {
      if (pending.has(rec.name) && (await isReady(rec))) {
        pending.delete(rec.name);
        watch.print(`✓ ${rec.name} (pid ${rec.pid})${rec.port ? ` :${rec.port}` : ''}`);
      }
    }
    if (pending.size === 0) return true;
    if (Date.now() >= deadline) return reportNotReady([...pending.values()], records, watch);
    await sleep(200);
  }
}

async function isReady(rec: ComponentState): Promise<boolean> {
  return rec.phase === 'running' && rec.pid !== null && (await checkHealth(rec.health));
}

function reportNotReady(pending: ComponentSpec[], records: ComponentState[], watch: ReadyWatch): boolean {
  for (const spec of pending) {
    const rec = records.find((r) => r.name === spec.name);
    const exit = rec?.lastExit;
    const why = exit ? ` (restarts: ${rec.restarts}, last exit: ${exit.signal ?? `code ${exit.code}`})` : '';
    watch.print(`✗ ${spec.name} is not ready after ${Math.round(watch.timeoutMs / 1000)} s${why}`);
    const logPath = `${watch.logDir}/${spec.name}.log`;
    for (const line of tailLines(logPath, 10)) watch.print(`    ${line}`);
  }
  return pending.every((s) => !s.required);
}
