/**
 * NodeResourcesBalancedAllocation: prefers nodes where cpu and memory would be used in equal
 * shares once the pod is placed, so neither runs out while the other sits idle.
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';

/**
 * kube-scheduler's balancedResourceScorer: with each resource's used fraction (capped at 1),
 * the score is (1 - standard deviation) × 100; for two resources the deviation is half their
 * difference. Resources the node has none of are left out.
 */
export function balancedAllocationScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] <= 0) continue;
    fractions.push(Math.min(1, requested[i] / allocatable[i]));
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const NodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod, node) {
    const cpu = pod.requests.cpu ?? 0;
    const memory = pod.requests.memory ?? 0;
    // Best-effort pods are not scored: they would all pile onto the same "balanced" node.
    if (cpu === 0 && memory === 0) return 0;
    return balancedAllocationScore(
      [(node.requested.cpu ?? 0) + cpu, (node.requested.memory ?? 0) + memory],
      [node.allocatable.cpu ?? 0, node.allocatable.memory ?? 0],
    );
  },
};
