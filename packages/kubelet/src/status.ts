/**
 * Pod status from what the kubelet knows of its containers (kubelet's generateAPIPodStatus).
 * Pure: the pod worker keeps one {@link ContainerView} per container and calls
 * {@link computePodStatus} whenever anything changes; the status writer sends the result only
 * when it differs from what the API holds.
 */
import type { ContainerStatus, DeepReadonly, Pod, PodCondition, PodStatus } from '@kubesim/api';
import type { TerminatedRecord } from './layout.js';

/** What a container is doing now, in the API's words. */
export type ContainerNow =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: TerminatedRecord };

/** The kubelet's picture of one container. */
export interface ContainerView {
  name: string;
  image: string;
  /** `kubesim://<canonical>` once the image is known; '' before. */
  imageID: string;
  restartCount: number;
  now: ContainerNow;
  /** The attempt before the current one. */
  last?: TerminatedRecord;
  containerId?: string;
  ready: boolean;
  started: boolean;
}

/** The kubelet's picture of one pod. */
export interface PodView {
  pod: DeepReadonly<Pod>;
  hostIP: string;
  /** Unset until the sandbox exists. */
  podIP?: string;
  /** When the kubelet took the pod on. */
  startTime?: string;
  init: ContainerView[];
  app: ContainerView[];
  /** Set when the pod will never run again, with the reason shown (`DeadlineExceeded`...). */
  terminal?: { phase: 'Succeeded' | 'Failed'; reason?: string; message?: string };
  now: Date;
}

/** metav1.Time: RFC 3339 to the second. */
export function apiTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The whole status the kubelet would write for the pod. */
export function computePodStatus(view: PodView): PodStatus {
  const old = view.pod.status ?? {};
  const phase = view.terminal?.phase ?? podPhase(view);
  const status: PodStatus = {
    phase,
    conditions: podConditions(view, phase),
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
  };
  if (view.podIP) {
    status.podIP = view.podIP;
    status.podIPs = [{ ip: view.podIP }];
  }
  if (view.startTime) status.startTime = view.startTime;
  if (view.init.length > 0) status.initContainerStatuses = view.init.map(containerStatus);
  status.containerStatuses = view.app.map(containerStatus);
  if (view.terminal?.reason) status.reason = view.terminal.reason;
  if (view.terminal?.message) status.message = view.terminal.message;
  if (old.qosClass) status.qosClass = old.qosClass;
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}

/** One container's status. */
export function containerStatus(v: ContainerView): ContainerStatus {
  const s: ContainerStatus = {
    name: v.name,
    state: stateOf(v.now),
    lastState: v.last ? { terminated: terminatedState(v.last) } : {},
    ready: v.ready,
    restartCount: v.restartCount,
    image: v.image,
    imageID: v.imageID,
    started: v.started,
  };
  if (v.containerId) s.containerID = v.containerId;
  return s;
}

function stateOf(now: ContainerNow): ContainerStatus['state'] {
  if ('running' in now) return { running: { startedAt: now.running.startedAt } };
  if ('terminated' in now) return { terminated: terminatedState(now.terminated) };
  return { waiting: now.waiting.message ? { reason: now.waiting.reason, message: now.waiting.message } : { reason: now.waiting.reason } };
}

function terminatedState(t: TerminatedRecord) {
  return { exitCode: t.exitCode, reason: t.reason, startedAt: t.startedAt, finishedAt: t.finishedAt, containerID: t.containerId };
}

/** True when every init container has exited 0. */
export function initialized(view: Pick<PodView, 'init'>): boolean {
  return view.init.every((c) => 'terminated' in c.now && c.now.terminated.exitCode === 0);
}

/** The phase from container states (kubelet's getPhase). */
export function podPhase(view: Pick<PodView, 'pod' | 'init' | 'app'>): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const policy = view.pod.spec?.restartPolicy ?? 'Always';
  const initFailed = view.init.some((c) => 'terminated' in c.now && c.now.terminated.exitCode !== 0);
  if (initFailed && policy === 'Never') return 'Failed';
  if (!initialized(view)) return 'Pending';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.app) {
    if ('running' in c.now) running++;
    else if ('terminated' in c.now) {
      stopped++;
      if (c.now.terminated.exitCode === 0) succeeded++;
    } else if (c.last) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}

function podConditions(view: PodView, phase: string): PodCondition[] {
  const old = view.pod.status?.conditions ?? [];
  const done = phase === 'Succeeded' || phase === 'Failed';
  const incomplete = view.init.filter((c) => !('terminated' in c.now && c.now.terminated.exitCode === 0)).map((c) => c.name);
  const unready = view.app.filter((c) => !c.ready).map((c) => c.name);
  const gates = (view.pod.spec?.readinessGates ?? []).filter((g) => old.find((c) => c.type === g.conditionType)?.status !== 'True');
  const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const prev = old.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    const c: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : apiTime(view.now) };
    if (!ok && reason) c.reason = reason;
    if (!ok && message) c.message = message;
    return c;
  };
  const list = (names: string[]) => `[${names.join(' ')}]`;
  const containersReady = done
    ? cond('ContainersReady', false, 'PodCompleted')
    : cond('ContainersReady', unready.length === 0, 'ContainersNotReady', `containers with unready status: ${list(unready)}`);
  let ready: PodCondition;
  if (done) ready = cond('Ready', false, 'PodCompleted');
  else if (unready.length > 0) ready = cond('Ready', false, 'ContainersNotReady', `containers with unready status: ${list(unready)}`);
  else if (gates.length > 0) ready = cond('Ready', false, 'ReadinessGatesNotReady', `corresponding condition of pod readiness gate "${gates[0].conditionType}" does not exist.`);
  else ready = cond('Ready', true);
  const scheduled = old.find((c) => c.type === 'PodScheduled') ?? cond('PodScheduled', true);
  const others = old.filter((c) => !KUBELET_CONDITIONS.has(c.type));
  return [
    cond('PodReadyToStartContainers', view.podIP !== undefined && !done),
    cond('Initialized', incomplete.length === 0, 'ContainersNotInitialized', `containers with incomplete status: ${list(incomplete)}`),
    ready,
    containersReady,
    { ...scheduled },
    ...others.map((c) => ({ ...c })),
  ];
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
