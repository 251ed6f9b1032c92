import { isAlive, signal, terminate, waitForExit, type ProcessRef } from './processes.js';
import { readState, writeState, type ClusterState, type ComponentState } from './state.js';

/** A process that was running and has been stopped. */
export interface StoppedProcess {
  name: string;
  pid: number;
}

/** The supervisor's process, if state.json names one that is still running. */
export function liveSupervisor(state: ClusterState): ProcessRef | null {
  if (state.supervisorPid === null) return null;
  const ref = { pid: state.supervisorPid, startTicks: state.supervisorStartTicks };
  return isAlive(ref) ? ref : null;
}

/** The component's process, if it is still the one recorded and running. */
export function liveComponent(c: ComponentState): ProcessRef | null {
  if (c.pid === null) return null;
  const ref = { pid: c.pid, startTicks: c.startTicks };
  return isAlive(ref) ? ref : null;
}

/**
 * Stops the cluster recorded in `stateFile`: SIGTERM to the supervisor (which stops its
 * components in reverse order), then, for any recorded component still running (its supervisor
 * was killed), SIGTERM and SIGKILL after `graceMs`, in reverse start order. Signals only the
 * recorded pids. Leaves state.json saying everything is stopped. Returns what was running.
 */
export async function stopCluster(stateFile: string, graceMs = 10_000): Promise<StoppedProcess[]> {
  const state = readState(stateFile);
  if (!state) return [];
  const running = [...state.components].reverse().filter((c) => liveComponent(c));
  const stopped: StoppedProcess[] = running.map((c) => ({ name: c.name, pid: c.pid! }));
  const supervisor = liveSupervisor(state);
  if (supervisor) {
    signal(supervisor, 'SIGTERM');
    // The supervisor gives each component graceMs; allow for all of them and a margin.
    if (!(await waitForExit(supervisor, graceMs * (state.components.length + 1) + 5000))) {
      signal(supervisor, 'SIGKILL');
      await waitForExit(supervisor, 5000);
    }
    stopped.push({ name: 'supervisor', pid: supervisor.pid });
  }
  for (const c of running) {
    const ref = liveComponent(c);
    if (ref) await terminate(ref, graceMs);
  }
  markStopped(stateFile, state);
  return stopped;
}

function markStopped(stateFile: string, before: ClusterState): void {
  // The supervisor wrote its last state on the way out; start from that one.
  const state = readState(stateFile) ?? before;
  state.supervisorPid = null;
  state.supervisorStartTicks = null;
  for (const c of state.components) {
    if (liveComponent(c)) continue;
    Object.assign(c, { pid: null, startTicks: null, phase: 'stopped', nextRestartAt: null });
  }
  writeState(stateFile, state);
}
