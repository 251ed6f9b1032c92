/**
 * The scheduler's writes to the apiserver: the binding (`POST pods/<name>/binding`), the
 * `Scheduled` and `FailedScheduling` events, and the pod's PodScheduled condition when no node
 * fits. Expected outcomes of a bind (bound, already bound, pod gone) are data.
 */
import { findResource, type ApiClient, type DeepReadonly, type EventRecorder, type LogFn, type Pod, type PodCondition } from '@kubesim/api';
import type { PodInfo } from './pod-info.js';

const PODS = findResource('', 'v1', 'pods')!;

/** How a bind ended: `conflict` is 409 (already bound or being deleted), `gone` is 404. */
export type BindOutcome =
  | { readonly kind: 'bound' }
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'gone' }
  | { readonly kind: 'error'; readonly message: string };

/** The Binding object that assigns a pod to a node. */
export function bindingFor(namespace: string, name: string, nodeName: string) {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, namespace },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
}

/**
 * The PodScheduled condition to write for an unschedulable pod, or undefined when the pod
 * already carries exactly that one (so retries do not rewrite the pod). The transition time is
 * kept while the status stays False.
 */
export function unschedulableCondition(pod: DeepReadonly<Pod>, message: string, now: Date): PodCondition | undefined {
  const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return undefined;
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const transition = current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : stamp;
  return { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: transition, reason: 'Unschedulable', message };
}

export class Binder {
  constructor(
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    private readonly log: LogFn,
  ) {}

  /** Binds the pod to the node; records the `Scheduled` event once bound. Never throws. */
  async bind(pod: PodInfo, nodeName: string): Promise<BindOutcome> {
    const outcome = await this.postBinding(pod, nodeName);
    if (outcome.kind === 'bound') {
      await this.recorder.record(pod.pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.namespace}/${pod.name} to ${nodeName}`);
    }
    return outcome;
  }

  /** Reports a pod no node fits: a `FailedScheduling` Warning and PodScheduled=False. Never throws. */
  async reportUnschedulable(pod: DeepReadonly<Pod>, message: string): Promise<void> {
    await this.recorder.record(pod, 'Warning', 'FailedScheduling', message);
    const condition = unschedulableCondition(pod, message, new Date());
    if (!condition) return;
    try {
      await this.client
        .resource<Pod>(PODS)
        .patch(pod.metadata.namespace, pod.metadata.name ?? '', 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
    } catch (err) {
      // A pod deleted or bound meanwhile needs no condition; anything else is retried on the next failure.
      this.log('warn', 'could not set PodScheduled condition', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, error: (err as Error).message });
    }
  }

  /** Records the `FailedScheduling` event for a failure other than "no node fits". */
  async reportError(pod: DeepReadonly<Pod>, message: string): Promise<void> {
    await this.recorder.record(pod, 'Warning', 'FailedScheduling', message);
  }

  private async postBinding(pod: PodInfo, nodeName: string): Promise<BindOutcome> {
    try {
      const res = await this.client.raw({
        verb: 'create',
        group: '',
        version: 'v1',
        resource: 'pods',
        namespace: pod.namespace,
        name: pod.name,
        subresource: 'binding',
        body: bindingFor(pod.namespace, pod.name, nodeName),
      });
      if (res.code < 300) return { kind: 'bound' };
      const message = (res.body as { message?: string } | undefined)?.message ?? `HTTP ${res.code}`;
      if (res.code === 409) return { kind: 'conflict', message };
      if (res.code === 404) return { kind: 'gone' };
      return { kind: 'error', message };
    } catch (err) {
      return { kind: 'error', message: (err as Error).message };
    }
  }
}
