/**
 * NodeInfo (kube-scheduler's framework.NodeInfo): one node plus the running totals of the pods
 * placed on it, so every filter and score reads O(1) sums instead of walking pods.
 */
import type { DeepReadonly, Node } from '@kubesim/api';
import type { PodInfo } from './pod-info.js';
import { addInto, nodeAllocatable, subtractInto, type ResourceAmounts } from './resources.js';

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export class NodeInfo {
  /** The Node object; undefined while pods name a node the informer has not delivered (or deleted). */
  node: DeepReadonly<Node> | undefined;
  allocatable: ResourceAmounts = {};
  /** Sum of the effective requests of the pods on the node. */
  readonly requested: ResourceAmounts = {};
  /** Sum of the pods' cpu and memory requests with scoring defaults for unset ones. */
  readonly nonZeroRequested = { cpu: 0, memory: 0 };
  /** Pods on the node (bound, or assumed by this scheduler), by `namespace/name`. */
  readonly pods = new Map<string, PodInfo>();
  private readonly owners = new Map<string, number>();

  constructor(readonly name: string) {}

  get labels(): Readonly<Record<string, string>> {
    return this.node?.metadata.labels ?? NO_LABELS;
  }

  setNode(node: DeepReadonly<Node> | undefined): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
  }

  addPod(pod: PodInfo): void {
    if (this.pods.has(pod.key)) this.removePod(pod.key);
    this.pods.set(pod.key, pod);
    addInto(this.requested, pod.requests);
    this.nonZeroRequested.cpu += pod.nonZero.cpu;
    this.nonZeroRequested.memory += pod.nonZero.memory;
    if (pod.ownerUid) this.owners.set(pod.ownerUid, (this.owners.get(pod.ownerUid) ?? 0) + 1);
  }

  /** Removes a pod; returns it, or undefined if it was not here. */
  removePod(key: string): PodInfo | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    subtractInto(this.requested, pod.requests);
    this.nonZeroRequested.cpu -= pod.nonZero.cpu;
    this.nonZeroRequested.memory -= pod.nonZero.memory;
    if (pod.ownerUid) {
      const n = (this.owners.get(pod.ownerUid) ?? 1) - 1;
      if (n > 0) this.owners.set(pod.ownerUid, n);
      else this.owners.delete(pod.ownerUid);
    }
    return pod;
  }

  /** How many pods on the node have the controlling owner `uid`. */
  ownerCount(uid: string): number {
    return this.owners.get(uid) ?? 0;
  }
}
