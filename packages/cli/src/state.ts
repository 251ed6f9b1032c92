import fs from 'node:fs';
import path from 'node:path';
import type { HealthCheck } from './health.js';
import type { ClusterSettings } from './settings.js';

/** A component's process state as the supervisor sees it. */
export type ComponentPhase = 'running' | 'restarting' | 'stopped';

/** One component's record in state.json. */
export interface ComponentState {
  name: string;
  /** The current process, null while restarting or stopped. */
  pid: number | null;
  startTicks: string | null;
  phase: ComponentPhase;
  required: boolean;
  /** ISO time the current process was started. */
  startedAt: string | null;
  restarts: number;
  port: number | null;
  command: string[];
  health: HealthCheck;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  /** ISO time of the next restart while restarting. */
  nextRestartAt: string | null;
}

/** The whole of state.json: written by the supervisor (and by `down` once it has stopped). */
export interface ClusterState {
  version: 1;
  supervisorPid: number | null;
  supervisorStartTicks: string | null;
  startedAt: string;
  settings: ClusterSettings | null;
  components: ComponentState[];
}

/** Reads state.json; null if there is none (or it cannot be parsed, e.g. from a future version). */
export function readState(file: string): ClusterState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const state = JSON.parse(text) as ClusterState;
    return state.version === 1 && Array.isArray(state.components) ? state : null;
  } catch {
    return null;
  }
}

/** Writes state.json atomically (a temp file renamed over it), so readers never see half a file. */
export function writeState(file: string, state: ClusterState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
