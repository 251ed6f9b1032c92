import { SeededRandom } from './rng.js';
import { TARGET_KINDS, type Target, type TargetKind } from './target.js';

/** What a fault does to its target's processes. */
export const FAULT_ACTIONS = ['kill', 'pause', 'restart', 'cut'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/**
 * One fault of a plan. For a random target `target` is `{kind: 'random'}` and `kind` says which
 * kind was drawn; `pick` (in [0, 1)) chooses among that kind's candidates, sorted by name, when
 * the fault fires, so the same seed on the same cluster hits the same things.
 */
export interface PlannedFault {
  index: number;
  /** Milliseconds after the start of the run. */
  atMs: number;
  action: FaultAction;
  target: Target;
  kind: TargetKind;
  pick: number;
}

/** What to plan: the target and action as given, and when. */
export interface ScheduleSpec {
  target: Target;
  /** An action, or `random` for one drawn per fault among those the target kind allows. */
  action: FaultAction | 'random';
  /** One fault at 0 when null; otherwise one at 0, everyMs, 2·everyMs, … while before forMs. */
  everyMs: number | null;
  forMs: number | null;
  seed: number;
  /** Whether node cut-offs can be done (the cluster runs a NATS relay per node). */
  cutAvailable: boolean;
}

/** The actions a target kind allows: cutting off from NATS is only for nodes (and only with relays). */
export function actionsFor(kind: TargetKind, cutAvailable: boolean): FaultAction[] {
  return kind === 'node' && cutAvailable ? [...FAULT_ACTIONS] : ['kill', 'pause', 'restart'];
}

/**
 * The faults of a run, a pure function of `spec`: the same seed gives the same sequence. Every
 * fault draws the same three numbers (kind, action, pick) whatever was asked, so changing one
 * option does not reshuffle the rest.
 */
export function planFaults(spec: ScheduleSpec): PlannedFault[] {
  const rng = new SeededRandom(spec.seed);
  const times = spec.everyMs === null ? [0] : faultTimes(spec.everyMs, spec.forMs ?? spec.everyMs);
  return times.map((atMs, index) => {
    const drawnKind = rng.pick(TARGET_KINDS);
    // Only nodes can be cut off, so a random target of a cut is a random node.
    const kind = spec.target.kind !== 'random' ? spec.target.kind : spec.action === 'cut' ? 'node' : drawnKind;
    const drawnAction = rng.pick(actionsFor(kind, spec.cutAvailable));
    const action = spec.action === 'random' ? drawnAction : spec.action;
    return { index: index + 1, atMs, action, target: spec.target, kind, pick: rng.next() };
  });
}

function faultTimes(everyMs: number, forMs: number): number[] {
  const times: number[] = [];
  for (let t = 0; t < forMs; t += everyMs) times.push(t);
  return times;
}
