/**
 * NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes no new pods, unless the pod
 * tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
import { tolerationsTolerateTaint, type DeepReadonly, type Node, type Toleration } from '@kubesim/api';
import { unresolvable, type FilterPlugin } from '../framework.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

/** True when the node accepts the pod as far as cordoning goes. */
export function passesNodeUnschedulable(node: DeepReadonly<Node> | undefined, tolerations: readonly DeepReadonly<Toleration>[]): boolean {
  return !node?.spec?.unschedulable || tolerationsTolerateTaint(tolerations, UNSCHEDULABLE_TAINT);
}

export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    return passesNodeUnschedulable(node.node, pod.tolerations) ? undefined : unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
};
