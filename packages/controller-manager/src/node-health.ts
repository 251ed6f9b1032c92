/**
 * The node lifecycle controller's decisions, as pure functions: when a silent node counts as
 * unknown, which conditions and taints a node should carry for its Ready state, and when a pod on
 * a node with NoExecute taints is due for eviction (pkg/controller/nodelifecycle and its taint
 * eviction part, without the zones' rate limiting).
 */
import { tolerationsTolerateTaint, type DeepReadonly, type Lease, type Node, type NodeCondition, type Pod, type Taint } from '@kubesim/api';

export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';

/** The conditions a kubelet posts; the controller sets them all to Unknown when it goes silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** What the controller remembers of a node between looks (upstream's nodeHealthData). */
export interface NodeHealthRecord {
  /** The last heartbeat seen: the Lease's renewTime and the Ready condition's lastHeartbeatTime. */
  heartbeat: string;
  /** When (on this controller's clock) the heartbeat last changed. */
  probeTimestamp: number;
}

/** The node's heartbeat as one comparable value. */
export function heartbeatOf(node: DeepReadonly<Node>, lease: DeepReadonly<Lease> | undefined): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
}

/**
 * The record after looking at the node at `now`: the probe timestamp moves only when the
 * heartbeat changed. Measuring from our own clock, not the kubelet's timestamps, keeps clock
 * skew and a stale cache from marking a live node dead (as upstream does).
 */
export function observe(prev: NodeHealthRecord | undefined, heartbeat: string, now: number): NodeHealthRecord {
  if (prev && prev.heartbeat === heartbeat) return prev;
  return { heartbeat, probeTimestamp: now };
}

/** True once a node has been silent past its grace period. */
export function isSilent(record: NodeHealthRecord, node: DeepReadonly<Node>, now: number, graceMs: number, startupGraceMs: number): boolean {
  const posted = node.status?.conditions?.some((c) => c.type === 'Ready');
  return now - record.probeTimestamp > (posted ? graceMs : startupGraceMs);
}

/** The Ready condition's status: True, False, or Unknown (also when there is none). */
export function readyStatus(node: DeepReadonly<Node>): 'True' | 'False' | 'Unknown' {
  const s = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return s === 'True' || s === 'False' ? s : 'Unknown';
}

/**
 * The conditions of a silent node: every kubelet condition Unknown with upstream's reason and
 * message, transition time `nowIso` where the status changes. Undefined when already so.
 */
export function unknownConditions(node: DeepReadonly<Node>, nowIso: string): NodeCondition[] | undefined {
  const old = node.status?.conditions ?? [];
  let changed = false;
  const next: NodeCondition[] = old.map((c) => ({ ...c }));
  for (const type of KUBELET_CONDITIONS) {
    const cur = next.find((c) => c.type === type);
    if (cur?.status === 'Unknown') continue;
    changed = true;
    const unknown = { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowIso };
    if (cur) Object.assign(cur, unknown);
    else next.push({ type, lastHeartbeatTime: nowIso, ...unknown });
  }
  return changed ? next : undefined;
}

/**
 * The taints a node should carry for its Ready condition (TaintNodesByCondition and taint-based
 * eviction): Unknown → unreachable, False → not-ready, each as NoSchedule and NoExecute; True →
 * neither. Other taints are kept; a NoExecute taint already there keeps its timeAdded.
 * `noExecute` false leaves the NoExecute ones off (every node down: nothing is evicted).
 * Undefined when nothing changes.
 */
export function desiredTaints(node: DeepReadonly<Node>, nowIso: string, noExecute = true): Taint[] | undefined {
  const current = (node.spec?.taints ?? []) as readonly Taint[];
  const status = readyStatus(node);
  const key = status === 'Unknown' ? UNREACHABLE_TAINT_KEY : status === 'False' ? NOT_READY_TAINT_KEY : undefined;
  const want: Taint[] = current.filter((t) => t.key !== UNREACHABLE_TAINT_KEY && t.key !== NOT_READY_TAINT_KEY).map((t) => ({ ...t }));
  if (key) {
    want.push({ key, effect: 'NoSchedule' });
    if (noExecute) {
      const had = current.find((t) => t.key === key && t.effect === 'NoExecute');
      want.push({ key, effect: 'NoExecute', timeAdded: had?.timeAdded ?? nowIso });
    }
  }
  const same = want.length === current.length && want.every((t) => current.some((c) => c.key === t.key && c.effect === t.effect && c.timeAdded === t.timeAdded));
  return same ? undefined : want;
}

/**
 * When a pod on a node with these taints must be evicted (upstream's taint eviction): `now` if it
 * does not tolerate one of the NoExecute taints; otherwise the NoExecute taints' earliest
 * timeAdded plus the smallest tolerationSeconds among the tolerations used; undefined when
 * those tolerate forever (no tolerationSeconds) or there is no NoExecute taint.
 */
export function evictionTime(pod: DeepReadonly<Pod>, taints: readonly DeepReadonly<Taint>[], now: number): number | undefined {
  const tolerations = pod.spec?.tolerations ?? [];
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  const seconds: number[] = [];
  let since = Infinity;
  for (const taint of noExecute) {
    const used = tolerations.filter((t) => tolerationsTolerateTaint([t], taint));
    if (used.length === 0) return now;
    for (const t of used) if (typeof t.tolerationSeconds === 'number') seconds.push(Math.max(0, t.tolerationSeconds));
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    since = Math.min(since, Number.isNaN(added) ? now : added);
  }
  if (seconds.length === 0) return undefined;
  return since + Math.min(...seconds) * 1000;
}

/** True for the pod's Ready condition being True. */
export function podIsReady(pod: DeepReadonly<Pod>): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
