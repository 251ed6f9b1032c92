/**
 * Taints and tolerations as Kubernetes matches them (k8s.io/api/core/v1's helpers), shared by
 * the scheduler (which keeps pods off tainted nodes) and the node lifecycle controller (which
 * evicts pods from nodes with NoExecute taints they do not tolerate).
 */
import type { DeepReadonly } from './meta.js';
import type { Taint, Toleration } from './types/core.js';

type ReadonlyTaint = DeepReadonly<Taint>;
type ReadonlyToleration = DeepReadonly<Toleration>;

/**
 * Kubernetes' Toleration.ToleratesTaint: effects must match unless the toleration's is empty,
 * keys must match unless the toleration's is empty (only valid with Exists, which then tolerates
 * everything), `Exists` ignores the value and `Equal` (or no operator) compares it.
 */
export function toleratesTaint(toleration: ReadonlyToleration, taint: ReadonlyTaint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** True when any of the tolerations tolerates the taint. */
export function tolerationsTolerateTaint(tolerations: readonly ReadonlyToleration[], taint: ReadonlyTaint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}
