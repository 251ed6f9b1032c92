/**
 * The API side of `kubectl drain`: listing a node's pods and judging them, checking legacy
 * discovery for the eviction subresource, evicting (or deleting) each pod and polling every
 * second until it is gone.
 */
import { ApiError, findResourceByKind, unwrap, type KubeObject, type ResourceInfo } from '@kubesim/api';
import { getObject, listObjects } from '../fetch.js';
import type { Session } from '../session.js';
import { controllerOf, podDeleteStatus, type DaemonSetLookup, type DrainFilterOptions, type PodVerdict } from './drain-filters.js';

const PODS = findResourceByKind('v1', 'Pod')!;
/** DaemonSets are looked up by path even where the shared resource table does not list them. */
const DAEMONSETS: ResourceInfo = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  listKind: 'DaemonSetList',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: [],
  verbs: [],
};
const RETRY_DELAY_MS = 5_000;
const POLL_MS = 1_000;

export interface DrainOptions extends DrainFilterOptions {
  disableEviction: boolean;
  gracePeriodSeconds: number;
  podSelector: string;
  dryRun: 'none' | 'client' | 'server';
  /** Epoch ms of `--timeout`; undefined waits forever. */
  deadline?: number;
  /** `--timeout` as Go prints it, for the global-timeout message. */
  timeoutText: string;
}

/** A node that could not be drained: its error messages, and whether kubectl aggregates them. */
export interface DrainFailure {
  messages: string[];
  aggregate: boolean;
}

/** The node's pods with the filters' verdicts, or the failure to list them. */
export async function podsForDeletion(session: Session, nodeName: string, opts: DrainOptions): Promise<PodVerdict[] | DrainFailure> {
  let pods: KubeObject[];
  try {
    pods = (await listObjects(session, PODS, { labelSelector: opts.podSelector || undefined, fieldSelector: `spec.nodeName=${nodeName}` })).items;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { messages: [err.message], aggregate: true };
  }
  const verdicts: PodVerdict[] = [];
  for (const pod of pods) verdicts.push({ pod, status: podDeleteStatus(pod, opts, await lookupDaemonSet(session, pod)) });
  return verdicts;
}

/** GETs the DaemonSet controlling a running pod, as the DaemonSet filter does. */
async function lookupDaemonSet(session: Session, pod: KubeObject): Promise<DaemonSetLookup | undefined> {
  const ref = controllerOf(pod);
  const phase = (pod as { status?: { phase?: string } }).status?.phase;
  if (!ref || ref.kind !== 'DaemonSet' || phase === 'Succeeded' || phase === 'Failed') return undefined;
  try {
    await getObject(session, DAEMONSETS, pod.metadata?.namespace, ref.name);
    return { found: true };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { found: false, notFound: err.code === 'NotFound', message: err.message };
  }
}

/** kubectl's CheckEvictionSupport: `pods/eviction` with a group and version in `GET /api/v1`. */
export async function evictionSupported(session: Session): Promise<boolean> {
  const res = await session.transport.getRaw('/api/v1');
  if (res.code >= 400) return false;
  try {
    const list = JSON.parse(res.text) as { resources?: { name: string; kind: string; group?: string; version?: string }[] };
    return (list.resources ?? []).some((r) => r.name === 'pods/eviction' && r.kind === 'Eviction' && Boolean(r.group) && Boolean(r.version));
  } catch {
    return false;
  }
}

/** Evicts (or deletes) every pod and waits for them to go; returns the failure, if any. */
export async function removePods(session: Session, pods: KubeObject[], opts: DrainOptions): Promise<DrainFailure | undefined> {
  if (pods.length === 0) return undefined;
  if (!opts.disableEviction && (await evictionSupported(session))) {
    const results = await Promise.all(pods.map((pod) => evictOne(session, pod, opts)));
    const messages = results.filter((r): r is string => r !== undefined);
    return messages.length > 0 ? { messages, aggregate: true } : undefined;
  }
  return deleteAll(session, pods, opts);
}

function deleteOptions(opts: DrainOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (opts.gracePeriodSeconds >= 0) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.dryRun === 'server') body.dryRun = ['All'];
  return body;
}

function podRef(pod: KubeObject) {
  return { group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace, name: pod.metadata?.name };
}

/** One pod's eviction loop (kubectl's evictPods goroutine); returns an error line or undefined. */
async function evictOne(session: Session, pod: KubeObject, opts: DrainOptions): Promise<string | undefined> {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  let active = pod;
  let usingEviction = true;
  for (;;) {
    session.out(`evicting pod ${ns}/${name}${opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
    if (opts.deadline !== undefined && Date.now() >= opts.deadline) return `error when evicting pods/"${name}" -n "${ns}": global timeout reached: ${opts.timeoutText}`;
    const outcome = await postEviction(session, active, opts);
    if (outcome === 'gone') return undefined;
    if (outcome === 'done') break;
    if (outcome === 'unserved') {
      const deleted = await deleteOne(session, active, opts);
      if (deleted !== 'deleted') return deleted === 'gone' ? undefined : `error when evicting pods/"${name}" -n "${ns}": ${deleted}`;
      usingEviction = false;
      break;
    }
    if (outcome instanceof ApiError && outcome.code === 'TooManyRequests') {
      session.err(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${outcome.message}\n`);
      await sleep(RETRY_DELAY_MS);
    } else return `error when evicting pods/"${name}" -n "${ns}": ${(outcome as Error).message}`;
    active = await getObject(session, PODS, ns, name).catch(() => active);
  }
  if (opts.dryRun === 'server') return undefined;
  const left = await waitForDelete(session, [active], usingEviction, opts.deadline);
  return left.length === 0 ? undefined : `error when waiting for pod "${name}" in namespace "${ns}" to terminate: timed out waiting for the condition`;
}

/**
 * POSTs a policy/v1 Eviction. `gone`: the pod no longer exists; `unserved`: the apiserver does
 * not serve evictions (404 not naming the pod, or 405), so the caller deletes instead.
 */
async function postEviction(session: Session, pod: KubeObject, opts: DrainOptions): Promise<'done' | 'gone' | 'unserved' | ApiError> {
  const body = {
    kind: 'Eviction',
    apiVersion: 'policy/v1',
    metadata: { name: pod.metadata?.name, namespace: pod.metadata?.namespace, creationTimestamp: null },
    deleteOptions: deleteOptions(opts),
  };
  try {
    unwrap(await session.transport.request({ ...podRef(pod), subresource: 'eviction', verb: 'create', body }));
    return 'done';
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.code === 'NotFound' && err.details?.name === pod.metadata?.name) return 'gone';
    if (err.code === 'NotFound' || err.code === 'MethodNotAllowed') return 'unserved';
    return err;
  }
}

/** DELETEs one pod: `deleted`, `gone` (already absent), or the error's message. */
async function deleteOne(session: Session, pod: KubeObject, opts: DrainOptions): Promise<'deleted' | 'gone' | string> {
  try {
    unwrap(await session.transport.request({ ...podRef(pod), verb: 'delete', body: deleteOptions(opts) }));
    return 'deleted';
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return err.code === 'NotFound' ? 'gone' : err.message;
  }
}

/** kubectl's deletePods: DELETE each (stopping at the first real error), then wait for all. */
async function deleteAll(session: Session, pods: KubeObject[], opts: DrainOptions): Promise<DrainFailure | undefined> {
  for (const pod of pods) {
    const result = await deleteOne(session, pod, opts);
    if (result !== 'deleted' && result !== 'gone') return { messages: [result], aggregate: false };
  }
  if (opts.dryRun === 'server') return undefined;
  const left = await waitForDelete(session, pods, false, opts.deadline);
  return left.length > 0 ? { messages: ['timed out waiting for the condition'], aggregate: false } : undefined;
}

/**
 * Polls each pod every second until it is gone (404, or a new pod with another uid), printing
 * `pod/NAME evicted|deleted` for each; returns the pods still there at the deadline.
 */
async function waitForDelete(session: Session, pods: KubeObject[], usingEviction: boolean, deadline: number | undefined): Promise<KubeObject[]> {
  let pending = [...pods];
  for (;;) {
    const still: KubeObject[] = [];
    for (const pod of pending) {
      if (await isGone(session, pod)) session.out(`pod/${pod.metadata?.name} ${usingEviction ? 'evicted' : 'deleted'}\n`);
      else still.push(pod);
    }
    pending = still;
    if (pending.length === 0 || (deadline !== undefined && Date.now() >= deadline)) return pending;
    await sleep(deadline === undefined ? POLL_MS : Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

async function isGone(session: Session, pod: KubeObject): Promise<boolean> {
  try {
    const live = await getObject(session, PODS, pod.metadata?.namespace, pod.metadata?.name ?? '');
    return live.metadata?.uid !== pod.metadata?.uid;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NotFound') return true;
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
