/**
 * TaintToleration: a node's NoSchedule and NoExecute taints keep out pods that do not tolerate
 * them (Filter); PreferNoSchedule taints the pod does not tolerate lower the node's score.
 */
import { tolerationsTolerateTaint, type DeepReadonly, type Taint, type Toleration } from '@kubesim/api';
import { defaultNormalizeScore, unresolvable, type FilterPlugin, type ScorePlugin } from '../framework.js';

type ReadonlyTaint = DeepReadonly<Taint>;
type ReadonlyToleration = DeepReadonly<Toleration>;

const DO_NOT_SCHEDULE = new Set(['NoSchedule', 'NoExecute']);

/** The first NoSchedule or NoExecute taint the tolerations do not tolerate, if any. */
export function findUntoleratedTaint(
  taints: readonly ReadonlyTaint[],
  tolerations: readonly ReadonlyToleration[],
): ReadonlyTaint | undefined {
  return taints.find((taint) => DO_NOT_SCHEDULE.has(taint.effect) && !tolerationsTolerateTaint(tolerations, taint));
}

/** kube-scheduler's reason for an untolerated taint: `node(s) had untolerated taint {key: value}`. */
export function untoleratedTaintReason(taint: ReadonlyTaint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** PreferNoSchedule taints not tolerated by the tolerations whose effect is empty or PreferNoSchedule. */
export function countIntolerablePreferNoSchedule(taints: readonly ReadonlyTaint[], tolerations: readonly ReadonlyToleration[]): number {
  const preferring = tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return taints.filter((taint) => taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(preferring, taint)).length;
}

export const TaintToleration: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(pod, node) {
    const taint = findUntoleratedTaint(node.node?.spec?.taints ?? [], pod.tolerations);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : undefined;
  },
  score(pod, node) {
    return countIntolerablePreferNoSchedule(node.node?.spec?.taints ?? [], pod.tolerations);
  },
  normalize(scores) {
    defaultNormalizeScore(scores, true);
  },
};
