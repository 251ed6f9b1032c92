/**
 * The message kube-scheduler gives a pod no node fits (framework.FitError.Error()), which
 * kubectl users read in `describe pod` Events and in the PodScheduled condition:
 *
 *   0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: },
 *   2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
 *   scheduling, 2 No preemption victims found for incoming pod.
 */
import type { Diagnosis } from './framework.js';

/** What kube-scheduler reports when the cluster has no nodes at all (ErrNoNodesAvailable). */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * Formats a diagnosis exactly as FitError.Error() does: `0/N nodes are available:`, then the
 * PreFilter message or else a histogram of the per-node reasons (`<count> <reason>`, sorted as
 * strings, joined by `, `), each closed by a period, then the PostFilter message as it is.
 */
export function fitErrorMessage(d: Diagnosis): string {
  let msg = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const histogram = reasonHistogram(d);
    if (histogram.length > 0) msg += ` ${histogram.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

function reasonHistogram(d: Diagnosis): string[] {
  const counts = new Map<string, number>();
  for (const status of d.nodeStatuses.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  // Go's sort.Strings orders by bytes, which is what the default sort does for these strings.
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}
