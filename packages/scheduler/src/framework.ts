/**
 * The scheduling framework's vocabulary (kubernetes/pkg/scheduler/framework): plugins for the
 * Filter, Score and PostFilter extension points, the status a filter rejects a node with, the
 * per-cycle state, and the diagnosis of a pod no node fits. "No node fits" is data, never an
 * exception.
 */
import type { Snapshot } from './cache.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

/** The highest score a Score plugin gives a node once normalized. */
export const MAX_NODE_SCORE = 100;

/**
 * Why a node was rejected. `Unschedulable`: the pod might fit if other pods went away
 * (preemption could help). `UnschedulableAndUnresolvable`: removing pods would not help.
 */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A filter's verdict against one node; `reasons` are the phrases counted into the FitError message. */
export interface FilterStatus {
  readonly code: StatusCode;
  readonly reasons: readonly string[];
  /** The plugin that rejected the node (filled in by the framework). */
  readonly plugin?: string;
}

/** A rejection that removing pods could resolve. */
export function unschedulable(...reasons: string[]): FilterStatus {
  return { code: 'Unschedulable', reasons };
}

/** A rejection no preemption can resolve. */
export function unresolvable(...reasons: string[]): FilterStatus {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

/** Scratch space for one scheduling cycle: what a plugin precomputes once and reads per node. */
export class CycleState {
  private readonly data = new Map<string, unknown>();

  constructor(readonly snapshot: Snapshot) {}

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

/** A Filter plugin: rejects nodes the pod cannot run on. */
export interface FilterPlugin {
  readonly name: string;
  /** Runs once per cycle before any node is filtered, to precompute what `filter` reads. */
  preFilter?(pod: PodInfo, state: CycleState): void;
  /** Returns undefined when the node passes, else why not. Must be cheap: it runs per node. */
  filter(pod: PodInfo, node: NodeInfo, state: CycleState): FilterStatus | undefined;
}

/** A Score plugin: ranks the nodes that passed every filter. */
export interface ScorePlugin {
  readonly name: string;
  /** Multiplies the normalized score (kube-scheduler's default weights). */
  readonly weight: number;
  preScore?(pod: PodInfo, nodes: readonly NodeInfo[], state: CycleState): void;
  /** A raw score; 0..MAX_NODE_SCORE unless `normalize` rescales it. */
  score(pod: PodInfo, node: NodeInfo, state: CycleState): number;
  /** Rescales the raw scores of all feasible nodes in place to 0..MAX_NODE_SCORE. */
  normalize?(scores: number[]): void;
}

/** A PostFilter plugin: runs when no node fits; its message is appended to the FitError. */
export interface PostFilterPlugin {
  readonly name: string;
  postFilter(pod: PodInfo, diagnosis: Diagnosis): string | undefined;
}

/** The fixed pipeline one scheduler profile runs. */
export interface Profile {
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly ScorePlugin[];
  readonly postFilters: readonly PostFilterPlugin[];
}

/** Why a pod fits no node: every node's rejection, for kube-scheduler's FitError message. */
export interface Diagnosis {
  readonly numAllNodes: number;
  readonly nodeStatuses: ReadonlyMap<string, FilterStatus>;
  readonly preFilterMsg?: string;
  readonly postFilterMsg?: string;
}

/**
 * kube-scheduler's DefaultNormalizeScore: scales scores so the highest becomes `max`; with
 * `reverse`, the highest raw score becomes 0 (all `max` when every raw score is 0).
 */
export function defaultNormalizeScore(scores: number[], reverse: boolean, max = MAX_NODE_SCORE): void {
  let top = 0;
  for (const s of scores) if (s > top) top = s;
  if (top === 0) {
    if (reverse) scores.fill(max);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const scaled = Math.floor((max * scores[i]) / top);
    scores[i] = reverse ? max - scaled : scaled;
  }
}
