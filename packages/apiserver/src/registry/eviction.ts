/**
 * The eviction subresource (`POST pods/NAME/eviction`, a policy/v1 Eviction): deletes the pod
 * unless that would break a PodDisruptionBudget, in which case it answers 429 as Kubernetes
 * does and kubectl drain retries. The budget's status (written by the disruption controller) is
 * consumed here: `disruptionsAllowed` goes down by one and the pod is noted in `disruptedPods`.
 */
import {
  BadRequestError,
  InternalError,
  TooManyRequestsError,
  findResource,
  labelSelectorFromObject,
  type KubeObject,
} from '@kubesim/api';
import { isPlainObject, timestamp } from './objects.js';
import type { Registry } from './registry.js';

const PODS = findResource('', 'v1', 'pods')!;
const PDBS = findResource('policy', 'v1', 'poddisruptionbudgets')!;

/** Evicts a pod; resolves with the Success Status kubectl expects (201). */
export async function evictPod(registry: Registry, namespace: string, name: string, body: unknown, dryRun: boolean): Promise<unknown> {
  if (body !== undefined && !isPlainObject(body)) throw new BadRequestError('the request body must be an Eviction object');
  const eviction = (body ?? {}) as { deleteOptions?: { gracePeriodSeconds?: number; preconditions?: { uid?: string } } };
  const pod = (await registry.get(PODS, namespace, name)).object as any;
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  if (!terminal && !pod.metadata.deletionTimestamp) await consumeBudget(registry, namespace, pod, dryRun);
  await registry.delete(PODS, namespace, name, {
    gracePeriodSeconds: eviction.deleteOptions?.gracePeriodSeconds,
    preconditions: eviction.deleteOptions?.preconditions,
    dryRun,
  });
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

async function consumeBudget(registry: Registry, namespace: string, pod: KubeObject, dryRun: boolean): Promise<void> {
  const budgets = registry
    .cached(PDBS, namespace)
    .filter((b: any) => b.spec?.selector && labelSelectorFromObject(b.spec.selector).matches(pod.metadata.labels));
  if (budgets.length === 0) return;
  if (budgets.length > 1) throw new InternalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const budgetName = budgets[0].metadata.name!;
  await registry.writeLoop(PDBS, namespace, budgetName, undefined, (b: any) => {
    const st = b.status ?? {};
    if ((st.observedGeneration ?? 0) < (b.metadata.generation ?? 1)) {
      throw blocked(`The disruption budget ${budgetName} is still being processed by the server.`);
    }
    if ((st.disruptionsAllowed ?? 0) <= 0) {
      throw blocked(`The disruption budget ${budgetName} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
    }
    b.status = {
      ...st,
      disruptionsAllowed: st.disruptionsAllowed - 1,
      disruptedPods: { ...(st.disruptedPods ?? {}), [pod.metadata.name!]: timestamp(registry.config.now()) },
    };
    return b;
  }, { subresource: 'status', dryRun });
}

function blocked(cause: string): TooManyRequestsError {
  return new TooManyRequestsError('Cannot evict pod as it would violate the pod\'s disruption budget.', {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}
