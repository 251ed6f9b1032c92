/**
 * NodeResourcesFit: the pod's requests must fit in the node's allocatable minus what the pods
 * already there (bound or assumed) request, and the pod count must stay within `pods` (Filter).
 * Scoring is the LeastAllocated strategy: the more cpu and memory left free, the higher.
 */
import { MAX_NODE_SCORE, unschedulable, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { ResourceAmounts } from '../resources.js';

/** What the fit check reads of a node. */
export interface NodeUsage {
  readonly allocatable: Readonly<ResourceAmounts>;
  readonly requested: Readonly<ResourceAmounts>;
  readonly podCount: number;
}

/**
 * kube-scheduler's fitsRequest: the reasons the pod does not fit, in its order (`Too many
 * pods`, then `Insufficient cpu`, `Insufficient memory`, then other resources); empty when it
 * fits. A pod that requests nothing only needs a free pod slot.
 */
export function insufficientResources(requests: Readonly<ResourceAmounts>, node: NodeUsage): string[] {
  const reasons: string[] = [];
  if (node.podCount + 1 > (node.allocatable.pods ?? 0)) reasons.push('Too many pods');
  const names = orderedResources(requests);
  for (const name of names) {
    const want = requests[name] ?? 0;
    if (want > 0 && want > (node.allocatable[name] ?? 0) - (node.requested[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

function orderedResources(requests: Readonly<ResourceAmounts>): string[] {
  const rest = Object.keys(requests).filter((n) => n !== 'cpu' && n !== 'memory' && n !== 'ephemeral-storage');
  return ['cpu', 'memory', 'ephemeral-storage', ...rest];
}

/** One resource's LeastAllocated score: the free share of `capacity` after `requested`, 0..100. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * LeastAllocated over cpu and memory (weight 1 each): the weighted mean of each resource's score;
 * resources the node has none of are left out. `requested` includes the incoming pod.
 */
export function leastAllocatedScore(requested: { cpu: number; memory: number }, allocatable: { cpu: number; memory: number }): number {
  let sum = 0;
  let weights = 0;
  for (const r of ['cpu', 'memory'] as const) {
    if (allocatable[r] <= 0) continue;
    sum += leastRequestedScore(requested[r], allocatable[r]);
    weights += 1;
  }
  return weights === 0 ? 0 : Math.floor(sum / weights);
}

export const NodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(pod, node) {
    const reasons = insufficientResources(pod.requests, { allocatable: node.allocatable, requested: node.requested, podCount: node.pods.size });
    return reasons.length > 0 ? unschedulable(...reasons) : undefined;
  },
  score(pod, node) {
    const requested = { cpu: node.nonZeroRequested.cpu + pod.nonZero.cpu, memory: node.nonZeroRequested.memory + pod.nonZero.memory };
    return leastAllocatedScore(requested, { cpu: node.allocatable.cpu ?? 0, memory: node.allocatable.memory ?? 0 });
  },
};
