/**
 * One scheduling cycle's decision (kube-scheduler's schedulePod): filter the nodes of the
 * snapshot, score the feasible ones, pick the best. Pure apart from the random tie-break and the
 * rotating start index, both owned by the instance; no I/O, no awaits.
 */
import type { Snapshot } from './cache.js';
import { fitErrorMessage, NO_NODES_AVAILABLE } from './fit-error.js';
import { CycleState, type Diagnosis, type FilterStatus, type Profile } from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { seededRandom, type Random } from './random.js';

/** The outcome of a cycle: a node, or the FitError message and its diagnosis. */
export type ScheduleResult =
  | { readonly kind: 'scheduled'; readonly nodeName: string; readonly evaluatedNodes: number; readonly feasibleNodes: number }
  | { readonly kind: 'unschedulable'; readonly message: string; readonly diagnosis?: Diagnosis };

export interface AlgorithmOptions {
  /** Tie-break randomness; default randomly seeded. */
  random?: Random;
  /**
   * Share of nodes to find feasible before scoring (kube-scheduler's percentageOfNodesToScore);
   * 0 (default) is kube-scheduler's adaptive rule: all nodes up to 100, then 50% shrinking
   * with cluster size to at least 5% (and never fewer than 100 nodes).
   */
  percentageOfNodesToScore?: number;
}

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE = 5;

/** How many feasible nodes to look for before stopping (kube-scheduler's numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - Math.floor(numAllNodes / 125));
  const n = Math.floor((numAllNodes * pct) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

/**
 * Picks the index of the highest total; among equal totals each is equally likely (reservoir
 * sampling, as kube-scheduler's selectHost). `totals` must not be empty.
 */
export function selectHost(totals: readonly number[], random: Random): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (Math.floor(random() * ties) === 0) best = i;
    }
  }
  return best;
}

/** Runs a profile's plugins over a snapshot, one pod at a time. */
export class SchedulingAlgorithm {
  private readonly random: Random;
  private readonly percentage: number;
  /** Where the next search starts, so partial searches take turns over the nodes. */
  private nextStartNodeIndex = 0;

  constructor(
    readonly profile: Profile,
    options: AlgorithmOptions = {},
  ) {
    this.random = options.random ?? seededRandom();
    this.percentage = options.percentageOfNodesToScore ?? 0;
  }

  /** Decides where `pod` goes. O(nodes) filter and score calls. */
  schedule(pod: PodInfo, snapshot: Snapshot): ScheduleResult {
    const nodes = snapshot.nodeInfos();
    if (nodes.length === 0) return { kind: 'unschedulable', message: NO_NODES_AVAILABLE };
    const state = new CycleState(snapshot);
    for (const plugin of this.profile.filters) plugin.preFilter?.(pod, state);
    const { feasible, statuses, processed } = this.findFeasible(pod, nodes, state);
    if (feasible.length === 0) return this.unschedulable(pod, nodes.length, statuses);
    const chosen = feasible.length === 1 ? 0 : selectHost(this.prioritize(pod, feasible, state), this.random);
    return { kind: 'scheduled', nodeName: feasible[chosen].name, evaluatedNodes: processed, feasibleNodes: feasible.length };
  }

  private findFeasible(pod: PodInfo, nodes: readonly NodeInfo[], state: CycleState) {
    const wanted = numFeasibleNodesToFind(nodes.length, this.percentage);
    const start = this.nextStartNodeIndex % nodes.length;
    const feasible: NodeInfo[] = [];
    const statuses = new Map<string, FilterStatus>();
    let processed = 0;
    while (processed < nodes.length && feasible.length < wanted) {
      const node = nodes[(start + processed) % nodes.length];
      processed++;
      const status = this.runFilters(pod, node, state);
      if (status) statuses.set(node.name, status);
      else feasible.push(node);
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    return { feasible, statuses, processed };
  }

  /** The first rejection among the filters, in profile order (later filters do not run). */
  private runFilters(pod: PodInfo, node: NodeInfo, state: CycleState): FilterStatus | undefined {
    for (const plugin of this.profile.filters) {
      const status = plugin.filter(pod, node, state);
      if (status) return { ...status, plugin: plugin.name };
    }
    return undefined;
  }

  /** Weighted sum of every score plugin's normalized scores, per feasible node. */
  private prioritize(pod: PodInfo, nodes: readonly NodeInfo[], state: CycleState): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    for (const plugin of this.profile.scores) {
      plugin.preScore?.(pod, nodes, state);
      const scores = nodes.map((node) => plugin.score(pod, node, state));
      plugin.normalize?.(scores);
      for (let i = 0; i < scores.length; i++) totals[i] += scores[i] * plugin.weight;
    }
    return totals;
  }

  private unschedulable(pod: PodInfo, numAllNodes: number, statuses: Map<string, FilterStatus>): ScheduleResult {
    let diagnosis: Diagnosis = { numAllNodes, nodeStatuses: statuses };
    for (const plugin of this.profile.postFilters) {
      const msg = plugin.postFilter(pod, diagnosis);
      if (msg) {
        diagnosis = { ...diagnosis, postFilterMsg: msg };
        break;
      }
    }
    return { kind: 'unschedulable', message: fitErrorMessage(diagnosis), diagnosis };
  }
}
