/**
 * SelectorSpread: spreads the pods of one controller (a ReplicaSet, Job, ...) across nodes, as
 * PodTopologySpread's default constraints do for kube-scheduler (weight 2): a node with fewer
 * pods of the same controlling owner scores higher. Pods without a controller are not scored.
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';

/**
 * Turns per-node counts of sibling pods into scores in place: the emptiest nodes get 100, the
 * fullest 0, linearly between (all 100 when no node has a sibling).
 */
export function spreadScores(counts: number[]): void {
  let max = 0;
  for (const c of counts) if (c > max) max = c;
  for (let i = 0; i < counts.length; i++) {
    counts[i] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max - counts[i])) / max);
  }
}

export const SelectorSpread: ScorePlugin = {
  name: 'SelectorSpread',
  weight: 2,
  score(pod, node) {
    return pod.ownerUid ? node.ownerCount(pod.ownerUid) : 0;
  },
  normalize(scores) {
    spreadScores(scores);
  },
};
