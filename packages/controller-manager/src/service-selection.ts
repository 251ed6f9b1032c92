/**
 * Which Services select a pod: what the Endpoints and EndpointSlice controllers enqueue when a
 * pod comes, changes or goes.
 */
import { labelSelectorFromObject, type DeepReadonly, type Informer, type Pod, type Service } from '@kubesim/api';

/**
 * The Services in the pods' namespace whose selector matches at least one of `pods` (all in one
 * namespace: a pod's old and new versions). Services without a selector select nothing.
 */
export function servicesSelectingAny(services: Informer<Service>, pods: readonly DeepReadonly<Pod>[]): DeepReadonly<Service>[] {
  if (pods.length === 0) return [];
  return services.byNamespace(pods[0].metadata.namespace!).filter((svc) => {
    const sel = svc.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) return false;
    const m = labelSelectorFromObject({ matchLabels: sel as Record<string, string> });
    return pods.some((p) => m.matches(p.metadata.labels));
  });
}
