/**
 * The node lifecycle controller (pkg/controller/nodelifecycle): every monitor period it looks at
 * each node's heartbeats (its Lease in kube-node-lease and its Ready condition). A node silent
 * past the grace period gets every kubelet condition set to Unknown and its pods marked not
 * ready (so Services stop sending them traffic at once); nodes whose Ready is not True carry the
 * `unreachable` / `not-ready` NoSchedule and NoExecute taints, and the taint eviction part
 * deletes the pods on them once their tolerations run out (300 s by default, added to every pod
 * by the apiserver), so their ReplicaSets replace them elsewhere. A node that comes back posts
 * Ready=True itself and loses the taints; its kubelet then stops the pods deleted meanwhile.
 * When every node is down at once nothing is evicted (upstream's full-disruption mode): a
 * control-plane outage must not empty the cluster.
 */
import { findResource, isReason, type DeepReadonly, type Informer, type Lease, type Node, type Pod } from '@kubesim/api';
import {
  desiredTaints,
  evictionTime,
  heartbeatOf,
  isSilent,
  observe,
  podIsReady,
  readyStatus,
  unknownConditions,
  type NodeHealthRecord,
} from '../node-health.js';
import { errorMessage, recorderFor, type ControllerContext, type ManagedController } from './context.js';

const NODES = findResource('', 'v1', 'nodes')!;
const PODS = findResource('', 'v1', 'pods')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
const LEASE_NAMESPACE = 'kube-node-lease';

export class NodeLifecycleController implements ManagedController {
  readonly name = 'nodelifecycle';
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly records = new Map<string, NodeHealthRecord>();
  private readonly recorder;
  private readonly log;
  private lastLook?: number;

  constructor(private readonly ctx: ControllerContext) {
    this.nodes = ctx.informers.informer<Node>(NODES);
    this.leases = ctx.informers.informer<Lease>(LEASES);
    this.pods = ctx.informers.informer<Pod>(PODS);
    this.recorder = recorderFor(ctx, 'node-controller');
    this.log = ctx.log('node-lifecycle-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.monitor();
      } catch (err) {
        this.log('warn', 'monitoring nodes failed', { error: errorMessage(err) });
      }
      await this.ctx.clock.sleep(this.ctx.settings.nodeMonitorPeriodMs, signal);
    }
  }

  /** One look at every node: conditions, taints, then evictions. Exposed for tests. */
  async monitor(): Promise<void> {
    const now = this.ctx.clock.now();
    const { nodeMonitorGracePeriodMs: grace, nodeStartupGracePeriodMs: startupGrace } = this.ctx.settings;
    // After a gap (this process paused or starved) every node would look silent: start over.
    if (this.lastLook !== undefined && now - this.lastLook > grace / 2) this.records.clear();
    this.lastLook = now;
    const nodes = this.nodes.list();
    for (const name of this.records.keys()) if (!nodes.some((n) => n.metadata.name === name)) this.records.delete(name);
    const current: DeepReadonly<Node>[] = [];
    for (const node of nodes) {
      const name = node.metadata.name!;
      const record = observe(this.records.get(name), heartbeatOf(node, this.leases.get(`${LEASE_NAMESPACE}/${name}`)), now);
      this.records.set(name, record);
      current.push(isSilent(record, node, now, grace, startupGrace) ? await this.markUnknown(node) : node);
    }
    const allDown = current.length > 0 && current.every((n) => readyStatus(n) !== 'True');
    for (const node of current) await this.taint(node, allDown);
    if (!allDown) for (const node of current) await this.evictPods(node, now);
  }

  /** Sets the node's conditions to Unknown and its pods not ready; returns the node as written. */
  private async markUnknown(node: DeepReadonly<Node>): Promise<DeepReadonly<Node>> {
    const nowIso = isoSeconds(this.ctx.clock.now());
    const conditions = unknownConditions(node, nowIso);
    let result = node;
    if (conditions) {
      const next = structuredClone(node) as Node;
      next.status = { ...next.status, conditions };
      try {
        result = await this.ctx.client.resource<Node>(NODES).updateStatus(next);
        this.log('info', 'node stopped posting status', { node: node.metadata.name });
        this.recorder.record(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
      } catch (err) {
        if (isReason(err, 'Conflict') || isReason(err, 'NotFound')) return node; // seen again next look
        throw err;
      }
    }
    await this.markPodsNotReady(node.metadata.name!, nowIso);
    return result;
  }

  private async markPodsNotReady(nodeName: string, nowIso: string): Promise<void> {
    const client = this.ctx.client.resource<Pod>(PODS);
    for (const pod of this.pods.byNodeName(nodeName)) {
      if (!podIsReady(pod)) continue;
      const next = structuredClone(pod) as Pod;
      next.status!.conditions = next.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: nowIso } : c));
      try {
        await client.updateStatus(next);
        this.recorder.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!isReason(err, 'Conflict') && !isReason(err, 'NotFound')) throw err;
      }
    }
  }

  private async taint(node: DeepReadonly<Node>, allDown: boolean): Promise<void> {
    const taints = desiredTaints(node, isoSeconds(this.ctx.clock.now()), !allDown);
    if (!taints) return;
    const next = structuredClone(node) as Node;
    next.spec = { ...next.spec, taints };
    if (taints.length === 0) delete next.spec.taints;
    try {
      await this.ctx.client.resource<Node>(NODES).update(next);
    } catch (err) {
      if (!isReason(err, 'Conflict') && !isReason(err, 'NotFound')) throw err;
    }
  }

  /** Deletes the node's pods whose tolerations of its NoExecute taints ran out. */
  private async evictPods(node: DeepReadonly<Node>, now: number): Promise<void> {
    const taints = node.spec?.taints ?? [];
    if (!taints.some((t) => t.effect === 'NoExecute')) return;
    for (const pod of this.pods.byNodeName(node.metadata.name!)) {
      if (pod.metadata.deletionTimestamp) continue;
      const due = evictionTime(pod, taints, now);
      if (due === undefined || due > now) continue;
      try {
        await this.ctx.client.resource<Pod>(PODS).delete(pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
        this.recorder.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
      } catch (err) {
        if (!isReason(err, 'Conflict') && !isReason(err, 'NotFound')) throw err;
      }
    }
  }
}

/** metav1.Time: RFC 3339 to the second. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
