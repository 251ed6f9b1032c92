/**
 * The scheduler's cache (kube-scheduler's internal/cache): node infos kept up to date from the
 * pod and node informers, plus the pods this scheduler has assumed onto a node but whose
 * binding the informer has not shown yet. Assuming is what keeps a burst of pods from
 * overcommitting a node: the next pod already sees the previous one's requests.
 *
 * A scheduling cycle runs synchronously, so nothing changes under it: the cache itself serves as
 * the cycle's snapshot.
 */
import type { DeepReadonly, Node, Pod } from '@kubesim/api';
import { NodeInfo } from './node-info.js';
import { newPodInfo, type PodInfo } from './pod-info.js';

/** The read-only view plugins schedule against. */
export interface Snapshot {
  /** Nodes the informer knows, in a stable order. */
  nodeInfos(): readonly NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** Pods on any node (bound or assumed) that carry required pod anti-affinity terms. */
  podsWithRequiredAntiAffinity(): Iterable<{ readonly pod: PodInfo; readonly node: NodeInfo }>;
}

interface PodState {
  readonly pod: PodInfo;
  readonly node: NodeInfo;
  /** Placed by this scheduler, binding not yet seen in the informer. */
  readonly assumed: boolean;
}

/** What a pod event did to the cache; `released` means resources on a node were freed. */
export type PodChange = 'added' | 'updated' | 'released' | 'none';

/** True for a pod that occupies a node: it has one and has not finished. */
export function occupiesNode(pod: DeepReadonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return !!pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}

export class SchedulerCache implements Snapshot {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private readonly antiAffinityPods = new Map<string, PodState>();
  private list: NodeInfo[] | undefined;

  /** Adds or replaces a node. */
  setNode(node: DeepReadonly<Node>): void {
    const name = node.metadata.name ?? '';
    const info = this.nodeInfoOrNew(name);
    if (!info.node) this.list = undefined;
    info.setNode(node);
  }

  /** Removes a node; its pods stay accounted until their own deletes arrive. */
  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    info.setNode(undefined);
    if (info.pods.size === 0) this.nodes.delete(name);
    this.list = undefined;
  }

  /**
   * Applies the informer's latest view of a pod (`undefined` once it is deleted). A pod that
   * occupies a node is (re)placed there, confirming an assumption; a pod that no longer does is
   * removed, except an assumed pod the informer still shows unbound (its binding is in flight).
   */
  updatePod(key: string, pod: DeepReadonly<Pod> | undefined): PodChange {
    const state = this.pods.get(key);
    if (!pod || !occupiesNode(pod)) {
      if (!state || (pod && state.assumed && !pod.spec?.nodeName)) return 'none';
      this.remove(key);
      return 'released';
    }
    if (state) this.remove(key);
    this.add(newPodInfo(pod), pod.spec!.nodeName!, false);
    return state ? 'updated' : 'added';
  }

  /** Places `pod` on `nodeName` ahead of its binding. */
  assume(pod: PodInfo, nodeName: string): void {
    this.remove(pod.key);
    this.add(pod, nodeName, true);
  }

  /** Drops an assumption whose binding failed; a no-op once the informer has confirmed the pod. */
  forget(key: string): void {
    if (this.pods.get(key)?.assumed) this.remove(key);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed ?? false;
  }

  /** The node a pod is bound or assumed to, if any. */
  nodeOf(key: string): string | undefined {
    return this.pods.get(key)?.node.name;
  }

  nodeInfos(): readonly NodeInfo[] {
    this.list ??= [...this.nodes.values()].filter((n) => n.node);
    return this.list;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    const info = this.nodes.get(name);
    return info?.node ? info : undefined;
  }

  podsWithRequiredAntiAffinity(): Iterable<PodState> {
    return this.antiAffinityPods.values();
  }

  /** Counts for logs: nodes, pods placed, pods assumed. */
  stats(): { nodes: number; pods: number; assumed: number } {
    let assumed = 0;
    for (const s of this.pods.values()) if (s.assumed) assumed++;
    return { nodes: this.nodeInfos().length, pods: this.pods.size, assumed };
  }

  private add(pod: PodInfo, nodeName: string, assumed: boolean): void {
    const node = this.nodeInfoOrNew(nodeName);
    node.addPod(pod);
    const state: PodState = { pod, node, assumed };
    this.pods.set(pod.key, state);
    if (pod.requiredAntiAffinity.length > 0) this.antiAffinityPods.set(pod.key, state);
  }

  private remove(key: string): void {
    const state = this.pods.get(key);
    if (!state) return;
    this.pods.delete(key);
    this.antiAffinityPods.delete(key);
    state.node.removePod(key);
    if (!state.node.node && state.node.pods.size === 0) this.nodes.delete(state.node.name);
  }

  private nodeInfoOrNew(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    return info;
  }
}
