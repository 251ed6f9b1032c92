/**
 * The pure decisions of `kubectl logs`: which pod of a workload to read (podutils.ByLogging),
 * which containers of a pod (the default-container annotation, the first container, or all),
 * and the `pods/log` query parameters for the flags.
 */
import { CommandError } from '../errors.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- pods are read as loose JSON */
type Json = any;

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

function isReady(pod: Json): boolean {
  return (pod.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
}

function readyTime(pod: Json): number {
  const c = (pod.status?.conditions ?? []).find((x: Json) => x.type === 'Ready');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

function maxRestarts(pod: Json): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s: Json) => s.restartCount ?? 0));
}

/** Go's afterOrZero: a zero time sorts last; otherwise t1 after t2. */
function afterOrZero(t1: number, t2: number): boolean {
  if (!t1 || !t2) return !t1;
  return t1 > t2;
}

const PHASE_RANK: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };

/**
 * podutils.ByLogging's order: scheduled before unscheduled, Running < Unknown < Pending (other
 * phases rank with Running, as in Go), ready before not ready, ready longer first, more restarts
 * first, older first.
 */
export function compareForLogging(a: Json, b: Json): number {
  const less = (x: Json, y: Json): boolean => {
    const nx = x.spec?.nodeName ?? '';
    const ny = y.spec?.nodeName ?? '';
    if (nx !== ny && (!nx || !ny)) return nx !== '';
    const px = PHASE_RANK[x.status?.phase] ?? 0;
    const py = PHASE_RANK[y.status?.phase] ?? 0;
    if (px !== py) return px < py;
    if (isReady(x) !== isReady(y)) return isReady(x);
    if (isReady(x) && isReady(y) && readyTime(x) !== readyTime(y)) return afterOrZero(readyTime(y), readyTime(x));
    if (maxRestarts(x) !== maxRestarts(y)) return maxRestarts(x) > maxRestarts(y);
    const cx = Date.parse(x.metadata?.creationTimestamp ?? '') || 0;
    const cy = Date.parse(y.metadata?.creationTimestamp ?? '') || 0;
    if (cx !== cy) return afterOrZero(cy, cx);
    return false;
  };
  return less(a, b) ? -1 : less(b, a) ? 1 : 0;
}

/** `a, b, debug (ephem), setup (init)`: podcmd.AllContainerNames. */
export function allContainerNames(pod: Json): string {
  const names = [
    ...(pod.spec?.containers ?? []).map((c: Json) => c.name),
    ...(pod.spec?.ephemeralContainers ?? []).map((c: Json) => `${c.name} (ephem)`),
    ...(pod.spec?.initContainers ?? []).map((c: Json) => `${c.name} (init)`),
  ];
  return names.join(', ');
}

/** The containers to read and the notices kubectl prints on stderr while choosing them. */
export interface ContainerChoice {
  containers: string[];
  notices: string[];
}

/**
 * The containers of one pod to read: all of them (init, regular, ephemeral) with
 * `allContainers`, else the named one, the default-container annotation's, or the first.
 */
export function chooseContainers(pod: Json, container: string, allContainers: boolean): ContainerChoice {
  const spec = pod.spec ?? {};
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: Json) => c.name as string);
  if (allContainers) return { containers: all, notices: [] };
  const notices: string[] = [];
  let chosen = container;
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (!chosen && annotated) {
    if (all.includes(annotated)) chosen = annotated;
    else notices.push(`Default container name "${annotated}" not found in pod ${pod.metadata?.name}`);
  }
  if (!chosen) {
    chosen = spec.containers?.[0]?.name ?? '';
    if ((spec.containers ?? []).length > 1 || (spec.initContainers ?? []).length > 0 || (spec.ephemeralContainers ?? []).length > 0) {
      notices.push(`Defaulted container "${chosen}" out of: ${allContainerNames(pod)}`);
    }
  }
  if (!all.includes(chosen)) throw new CommandError(`container ${chosen} is not valid for pod ${pod.metadata?.name}`);
  return { containers: [chosen], notices };
}

/** The log flags that become query parameters. */
export interface LogFlags {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** -1 for all lines. */
  tail: number;
  tailSet: boolean;
  /** Reading by `-l`: the tail defaults to 10 lines. */
  bySelector: boolean;
  sinceMs: number;
  sinceTime: string;
  limitBytes: number;
}

/** The `pods/log` query for one container, in the order client-go encodes it. */
export function logQuery(container: string, f: LogFlags): Record<string, string> {
  const q: Record<string, string> = { container };
  if (f.follow) q.follow = 'true';
  if (f.limitBytes > 0) q.limitBytes = String(f.limitBytes);
  if (f.previous) q.previous = 'true';
  if (f.sinceMs > 0) q.sinceSeconds = String(Math.round(f.sinceMs / 1000));
  if (f.sinceTime) q.sinceTime = f.sinceTime;
  if (f.bySelector && f.tail === -1 && !f.tailSet) q.tailLines = '10';
  else if (f.tail !== -1) q.tailLines = String(f.tail);
  if (f.timestamps) q.timestamps = 'true';
  return q;
}
