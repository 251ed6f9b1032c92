/**
 * Fault actions on resolved targets. kill = SIGKILL, restart = SIGTERM (the supervisor, or the
 * kubelet for containers, starts them again), pause = SIGSTOP then SIGCONT after the duration,
 * cut = the node's NATS relay refuses connections for the duration.
 */
import path from 'node:path';
import { isAlive, signal } from '../processes.js';
import type { ClusterState } from '../state.js';
import { liveComponent } from '../stop.js';
import { writeCutFile } from './relay.js';
import { relayComponent, type ResolvedTarget, type TargetProcess } from './resolve.js';
import type { FaultAction } from './schedule.js';

/** Where the relay of `node` reads its cut deadline. */
export function cutFile(dataDir: string, node: string): string {
  return path.join(dataDir, 'chaos', `nats-cut-${node}.json`);
}

/** Whether every node of the cluster runs behind a NATS relay, so `cut` can be used. */
export function cutAvailable(state: ClusterState): boolean {
  const nodes = state.components.filter((c) => c.name.startsWith('kubelet-')).map((c) => c.name.slice('kubelet-'.length));
  return nodes.length > 0 && nodes.every((n) => state.components.some((c) => c.name === relayComponent(n)));
}

/** Signals one process (its group for a container), only if it is still the recorded one. */
function send(p: TargetProcess, sig: NodeJS.Signals): boolean {
  if (!isAlive(p)) return false;
  if (p.group) {
    try {
      process.kill(-p.pid, sig);
      return true;
    } catch {
      // not a group leader: signal the process alone
    }
  }
  return signal(p, sig);
}

/**
 * An injected fault still acting (a pause or a cut): `end()` lifts it now. Keeping these lets a
 * run that is interrupted SIGCONT everything it stopped.
 */
export interface ActiveFault {
  end(): void;
}

/** What an injection did: the pids signalled, and how to end it early (null for kill/restart). */
export interface Injection {
  pids: number[];
  active: ActiveFault | null;
  error?: string;
}

/**
 * Applies `action` to `target` now. A pause or cut lasts `durationMs` (ended by a timer, or by
 * `active.end()`). Outcomes are data: a cut without a relay comes back with `error`.
 */
export function inject(action: FaultAction, target: ResolvedTarget, durationMs: number, dataDir: string, state: ClusterState): Injection {
  switch (action) {
    case 'kill':
    case 'restart': {
      const sig = action === 'kill' ? 'SIGKILL' : 'SIGTERM';
      return { pids: target.processes.filter((p) => send(p, sig)).map((p) => p.pid), active: null };
    }
    case 'pause': {
      const stopped = target.processes.filter((p) => send(p, 'SIGSTOP'));
      return { pids: stopped.map((p) => p.pid), active: lasting(durationMs, () => stopped.forEach((p) => send(p, 'SIGCONT'))) };
    }
    case 'cut':
      return cut(target, durationMs, dataDir, state);
  }
}

function cut(target: ResolvedTarget, durationMs: number, dataDir: string, state: ClusterState): Injection {
  const relay = target.node && state.components.find((c) => c.name === relayComponent(target.node!));
  const ref = relay ? liveComponent(relay) : null;
  if (!target.node || !ref) return { pids: [], active: null, error: `no running ${target.node ? relayComponent(target.node) : 'NATS relay'} to cut` };
  const file = cutFile(dataDir, target.node);
  writeCutFile(file, Date.now() + durationMs);
  signal(ref, 'SIGUSR1');
  return {
    pids: [ref.pid],
    active: lasting(durationMs, () => {
      writeCutFile(file, 0);
      signal(ref, 'SIGUSR1');
    }),
  };
}

/** Runs `undo` after `ms`, or at once on end(); never twice. */
function lasting(ms: number, undo: () => void): ActiveFault {
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    undo();
  };
  const timer = setTimeout(end, ms);
  return { end };
}
