/**
 * The Pod printer: Name, Ready, Status, Restarts, Age | IP, Node, Nominated Node, Readiness Gates,
 * with the Status cell computed exactly as printers.go's printPod does (init containers, waiting
 * and terminated reasons, Completed vs Running, Terminating, NodeLost → Unknown).
 */
import type { KubeObject } from '@kubesim/api';
import { timestampSince } from '@kubesim/api';
import { AGE_COLUMN, NAME_COLUMN, age, column, spec, status, type Printer, type TableRowCondition } from './helpers.js';

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodSpec {
  containers: { name?: string }[];
  initContainers: { name?: string; restartPolicy?: string }[];
  nodeName: string;
  readinessGates: { conditionType?: string }[];
}

interface PodStatus {
  phase: string;
  reason: string;
  podIP: string;
  podIPs: { ip?: string }[];
  nominatedNodeName: string;
  conditions: { type?: string; status?: string; reason?: string }[];
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
}

const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

const columns = [
  NAME_COLUMN,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  AGE_COLUMN,
  column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { wide: true }),
  column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', { wide: true }),
  column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', { wide: true }),
  column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', { wide: true }),
];

/** What printPod derives from the container statuses. */
interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  lastRestart?: string;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedReason(t: NonNullable<ContainerState['terminated']>, prefix: string): string {
  if (t.reason) return `${prefix}${t.reason}`;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

/** The init-container phase of printPod: returns true while initialization is still running. */
function summarizeInit(s: Partial<PodStatus>, sp: Partial<PodSpec>, out: PodSummary, sidecarRestarts: { count: number; last?: string }): boolean {
  const inits = sp.initContainers ?? [];
  const isSidecar = (name: string | undefined) => inits.find((c) => c.name === name)?.restartPolicy === 'Always';
  const statuses = s.initContainerStatuses ?? [];
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i];
    out.restarts += c.restartCount ?? 0;
    out.lastRestart = later(out.lastRestart, c.lastState?.terminated?.finishedAt);
    if (isSidecar(c.name)) {
      sidecarRestarts.count += c.restartCount ?? 0;
      sidecarRestarts.last = later(sidecarRestarts.last, c.lastState?.terminated?.finishedAt);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) out.ready++;
      continue;
    }
    if (terminated) out.reason = terminatedReason(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') out.reason = `Init:${waiting.reason}`;
    else out.reason = `Init:${i}/${inits.length}`;
    return true;
  }
  return false;
}

/** The regular-container phase of printPod. */
function summarizeContainers(s: Partial<PodStatus>, out: PodSummary): void {
  let hasRunning = false;
  const statuses = s.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    out.restarts += c.restartCount ?? 0;
    out.lastRestart = later(out.lastRestart, c.lastState?.terminated?.finishedAt);
    const { waiting, terminated, running } = c.state ?? {};
    if (waiting?.reason) out.reason = waiting.reason;
    else if (terminated) out.reason = terminatedReason(terminated, '');
    else if (c.ready && running) {
      hasRunning = true;
      out.ready++;
    }
  }
  if (out.reason === 'Completed' && hasRunning) {
    const ready = s.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    out.reason = ready ? 'Running' : 'NotReady';
  }
}

/** Ready count, total, status reason and restarts of a pod, as `kubectl get pods` shows them. */
export function summarizePod(pod: KubeObject): PodSummary {
  const sp = spec<PodSpec>(pod);
  const s = status<PodStatus>(pod);
  const sidecars = (sp.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').length;
  const out: PodSummary = { ready: 0, total: (sp.containers ?? []).length + sidecars, reason: s.reason || s.phase || '', restarts: 0 };
  if (s.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) out.reason = 'SchedulingGated';
  const sidecarRestarts = { count: 0, last: undefined as string | undefined };
  const initializing = summarizeInit(s, sp, out, sidecarRestarts);
  const initialized = s.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    out.restarts = sidecarRestarts.count;
    out.lastRestart = sidecarRestarts.last;
    summarizeContainers(s, out);
  }
  const terminal = s.phase === 'Succeeded' || s.phase === 'Failed';
  if (pod.metadata?.deletionTimestamp && s.reason === NODE_UNREACHABLE_POD_REASON) out.reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !terminal) out.reason = 'Terminating';
  return out;
}

function readinessGates(sp: Partial<PodSpec>, s: Partial<PodStatus>): string {
  const gates = sp.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const ok = gates.filter((g) => s.conditions?.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ok}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns,
  cells(pod, now) {
    const sp = spec<PodSpec>(pod);
    const s = status<PodStatus>(pod);
    const sum = summarizePod(pod);
    const restarts = sum.restarts !== 0 && sum.lastRestart ? `${sum.restarts} (${timestampSince(sum.lastRestart, now)} ago)` : String(sum.restarts);
    // Objects written by older clients may carry only podIP, not podIPs.
    const ip = s.podIPs?.[0]?.ip || s.podIP || '<none>';
    return [
      pod.metadata?.name ?? '',
      `${sum.ready}/${sum.total}`,
      sum.reason,
      restarts,
      age(pod, now),
      ip,
      sp.nodeName || '<none>',
      s.nominatedNodeName || '<none>',
      readinessGates(sp, s),
    ];
  },
  conditions(pod): TableRowCondition[] | undefined {
    const phase = status<PodStatus>(pod).phase;
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};
