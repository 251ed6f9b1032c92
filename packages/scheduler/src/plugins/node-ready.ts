/**
 * NodeReady: a node whose Ready condition is not True takes no new pods. Kubernetes gets this
 * from the node lifecycle controller's `node.kubernetes.io/not-ready` / `unreachable`
 * NoSchedule taints; this filter applies the same implicit taint straight from the condition
 * (False → not-ready, Unknown → unreachable, none yet → not-ready), so a pod tolerating those
 * taints may still land there, and the reason reads as kubectl users know it. A node that
 * already carries the taint is caught earlier by TaintToleration.
 */
import { tolerationsTolerateTaint, type DeepReadonly, type Node, type Taint } from '@kubesim/api';
import { unresolvable, type FilterPlugin } from '../framework.js';
import { untoleratedTaintReason } from './taint-toleration.js';

export const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';

/** The taint a node's Ready condition implies, or undefined for a Ready node. */
export function readinessTaint(node: DeepReadonly<Node> | undefined): Taint | undefined {
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  return { key: ready?.status === 'Unknown' ? UNREACHABLE_TAINT_KEY : NOT_READY_TAINT_KEY, effect: 'NoSchedule' };
}

export const NodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter(pod, node) {
    const taint = readinessTaint(node.node);
    if (!taint || tolerationsTolerateTaint(pod.tolerations, taint)) return undefined;
    return unresolvable(untoleratedTaintReason(taint));
  },
};
