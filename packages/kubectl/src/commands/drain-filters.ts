/**
 * Which pods `kubectl drain` removes from a node (kubectl's pkg/drain filters): DaemonSet pods
 * are never removed (and need `--ignore-daemonsets`), mirror pods are skipped, pods with
 * emptyDir need `--delete-emptydir-data`, pods without a controller need `--force`. The last
 * filter's verdict wins, as in kubectl, so earlier warnings can be overwritten.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- pods are read as loose JSON */
type Json = any;

export interface DrainFilterOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  /** Pods deleted longer ago than this many seconds are skipped (0: never). */
  skipWaitForDeleteTimeoutSeconds: number;
}

/** What a DaemonSet-managed pod's controller lookup found: it exists, or the error's text. */
export type DaemonSetLookup = { found: true } | { found: false; notFound: boolean; message: string };

export interface PodDeleteStatus {
  delete: boolean;
  reason: 'Okay' | 'Skip' | 'Warning' | 'Error';
  message?: string;
}

export interface PodVerdict {
  pod: Json;
  status: PodDeleteStatus;
}

const OKAY: PodDeleteStatus = { delete: true, reason: 'Okay' };
const SKIP: PodDeleteStatus = { delete: false, reason: 'Skip' };

/** The pod's controller ownerReference, if any. */
export function controllerOf(pod: Json): { kind: string; name: string } | undefined {
  return (pod.metadata?.ownerReferences ?? []).find((r: Json) => r.controller === true);
}

function finished(pod: Json): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** True when the pod was deleted more than `seconds` ago (and seconds > 0). */
export function shouldSkipPod(pod: Json, seconds: number, now = Date.now()): boolean {
  const ts = pod.metadata?.deletionTimestamp;
  return seconds > 0 && Boolean(ts) && Math.floor((now - Date.parse(ts)) / 1000) > seconds;
}

/** Runs the filters over one pod; `daemonSet` is the lookup of its DaemonSet controller, if it has one. */
export function podDeleteStatus(pod: Json, opts: DrainFilterOptions, daemonSet: DaemonSetLookup | undefined, now = Date.now()): PodDeleteStatus {
  const filters: (() => PodDeleteStatus)[] = [
    () => (shouldSkipPod(pod, opts.skipWaitForDeleteTimeoutSeconds, now) ? SKIP : OKAY),
    () => daemonSetFilter(pod, opts, daemonSet),
    () => (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined ? SKIP : OKAY),
    () => localStorageFilter(pod, opts),
    () => unreplicatedFilter(pod, opts),
  ];
  let status = OKAY;
  for (const filter of filters) {
    status = filter();
    if (!status.delete) break;
  }
  return status;
}

function daemonSetFilter(pod: Json, opts: DrainFilterOptions, daemonSet: DaemonSetLookup | undefined): PodDeleteStatus {
  const ref = controllerOf(pod);
  if (!ref || ref.kind !== 'DaemonSet' || finished(pod)) return OKAY;
  if (daemonSet && !daemonSet.found) {
    if (daemonSet.notFound && opts.force) return { delete: true, reason: 'Warning', message: daemonSet.message };
    return { delete: false, reason: 'Error', message: daemonSet.message };
  }
  if (!opts.ignoreDaemonSets) return { delete: false, reason: 'Error', message: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
  return { delete: false, reason: 'Warning', message: 'ignoring DaemonSet-managed Pods' };
}

function localStorageFilter(pod: Json, opts: DrainFilterOptions): PodDeleteStatus {
  if (!(pod.spec?.volumes ?? []).some((v: Json) => v.emptyDir) || finished(pod)) return OKAY;
  if (!opts.deleteEmptyDirData) return { delete: false, reason: 'Error', message: 'Pods with local storage (use --delete-emptydir-data to override)' };
  return { delete: true, reason: 'Warning', message: 'deleting Pods with local storage' };
}

function unreplicatedFilter(pod: Json, opts: DrainFilterOptions): PodDeleteStatus {
  if (finished(pod) || controllerOf(pod)) return OKAY;
  if (opts.force) return { delete: true, reason: 'Warning', message: 'deleting Pods that declare no controller' };
  return { delete: false, reason: 'Error', message: 'cannot delete Pods that declare no controller (use --force to override)' };
}

/** Groups `ns/name` by message, in the order messages first appear. */
function byMessage(verdicts: readonly PodVerdict[], reason: PodDeleteStatus['reason']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of verdicts) {
    if (v.status.reason !== reason) continue;
    const msg = v.status.message || (reason === 'Error' ? 'unexpected error' : '');
    out.set(msg, [...(out.get(msg) ?? []), `${v.pod.metadata?.namespace}/${v.pod.metadata?.name}`]);
  }
  return out;
}

/** The `Warning:` text: `message: ns/a, ns/b; other: ns/c`; empty when there are none. */
export function drainWarnings(verdicts: readonly PodVerdict[]): string {
  return [...byMessage(verdicts, 'Warning')].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`).join('; ');
}

/** One error per message, as kubectl 1.31 words them (`cannot delete <message>: ns/a, ns/b`). */
export function drainErrors(verdicts: readonly PodVerdict[]): string[] {
  return [...byMessage(verdicts, 'Error')].map(([msg, pods]) => `cannot delete ${msg}: ${pods.join(', ')}`);
}

/** Go's aggregate error text: the one message, or `[a, b]` (duplicates dropped). */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}
