/**
 * Creating and deleting the pods of a workload, with the Events `kubectl describe` shows
 * (pkg/controller RealPodControl): SuccessfulCreate "Created pod: web-abc12", FailedCreate,
 * SuccessfulDelete "Deleted pod: web-abc12", FailedDelete.
 */
import {
  clone,
  isReason,
  TerminalError,
  type DeepReadonly,
  type EventRecorder,
  type KubeObject,
  type Pod,
  type PodTemplateSpec,
  type ResourceClient,
} from '@kubesim/api';
import { newControllerRef } from '../controller-ref.js';
import { errorMessage } from './context.js';

/** How a creation ended when it did not throw. */
export type CreateOutcome = 'created' | 'namespaceTerminating';

/** Pod writes of one kind of owner (ReplicaSet, Job), each with its Event. */
export class PodControl {
  constructor(
    private readonly pods: ResourceClient<Pod>,
    private readonly recorder: EventRecorder,
    /** apiVersion and kind of the owners, for their controller references. */
    private readonly ownerApiVersion: string,
    private readonly ownerKind: string,
  ) {}

  /**
   * Creates one pod from `template`, named `<owner>-<random>` and controlled by `owner`.
   * A namespace being deleted refuses new content: that is reported, not thrown.
   */
  async create(owner: DeepReadonly<KubeObject>, template: DeepReadonly<PodTemplateSpec> | undefined): Promise<CreateOutcome> {
    const pod = podFromTemplate(owner, template, this.ownerApiVersion, this.ownerKind);
    let created: Pod;
    try {
      created = await this.pods.create(pod);
    } catch (err) {
      if (isReason(err, 'Forbidden') && /being terminated/.test(errorMessage(err))) return 'namespaceTerminating';
      void this.recorder.record(owner as KubeObject, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
      throw err;
    }
    void this.recorder.record(owner as KubeObject, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    return 'created';
  }

  /** Deletes a pod of `owner`. A pod already gone throws NotFoundError, without an Event. */
  async delete(owner: DeepReadonly<KubeObject>, pod: DeepReadonly<Pod>): Promise<void> {
    try {
      await this.pods.delete(pod.metadata.namespace, pod.metadata.name!);
    } catch (err) {
      if (!isReason(err, 'NotFound')) {
        void this.recorder.record(owner as KubeObject, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
      }
      throw err;
    }
    void this.recorder.record(owner as KubeObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }
}

/**
 * The pod a controller creates from its template (GetPodFromTemplate): the template's labels,
 * annotations, finalizers and spec, `generateName: <owner>-`, and a controller reference.
 */
export function podFromTemplate(
  owner: DeepReadonly<KubeObject>,
  template: DeepReadonly<PodTemplateSpec> | undefined,
  ownerApiVersion: string,
  ownerKind: string,
): Pod {
  const meta = template?.metadata;
  if (!meta?.labels || Object.keys(meta.labels).length === 0) throw new TerminalError('unable to create pods, no labels');
  if (!template?.spec) throw new TerminalError('unable to create pods, no pod spec in the template');
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...meta.labels },
      ownerReferences: [newControllerRef(owner, ownerApiVersion, ownerKind)],
    },
    spec: clone(template.spec) as Pod['spec'],
  };
  if (meta.annotations && Object.keys(meta.annotations).length > 0) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers && meta.finalizers.length > 0) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}
