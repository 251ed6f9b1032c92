/**
 * DefaultPreemption's PostFilter, as far as its message goes. kubesim does not evict pods to
 * make room; it reports what kube-scheduler reports when preemption finds nothing to evict:
 * nodes rejected for a reason removing pods could fix count as "No preemption victims found
 * for incoming pod", the others as "Preemption is not helpful for scheduling".
 */
import { fitErrorMessage } from '../fit-error.js';
import type { Diagnosis, FilterStatus, PostFilterPlugin } from '../framework.js';
import type { PodInfo } from '../pod-info.js';

export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';

/** The `preemption: ...` message for a pod no node fits. */
export function preemptionMessage(pod: PodInfo, diagnosis: Diagnosis): string {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const statuses = new Map<string, FilterStatus>();
  for (const [node, status] of diagnosis.nodeStatuses) {
    const reason = status.code === 'Unschedulable' ? NO_VICTIMS : NOT_HELPFUL;
    statuses.set(node, { code: status.code, reasons: [reason] });
  }
  return `preemption: ${fitErrorMessage({ numAllNodes: diagnosis.numAllNodes, nodeStatuses: statuses })}`;
}

export const DefaultPreemption: PostFilterPlugin = {
  name: 'DefaultPreemption',
  postFilter: preemptionMessage,
};
