/**
 * The arithmetic of a PodDisruptionBudget's status (pkg/controller/disruption): which pods a
 * budget covers, how many it expects and wants healthy, how many are healthy, which evicted pods
 * still count as on their way out (`disruptedPods`), and the DisruptionAllowed condition. Pure
 * functions of the budget, its pods and the time; the controller does the I/O.
 */
import {
  labelSelectorFromObject,
  type Condition,
  type DeepReadonly,
  type IntOrString,
  type LabelSelectorMatcher,
  type OwnerReference,
  type Pod,
  type PodDisruptionBudget,
  type PodDisruptionBudgetSpec,
  type PodDisruptionBudgetStatus,
} from '@kubesim/api';
import { canonicalJson } from './canonical-json.js';
import { controllerOf } from './controller-ref.js';
import { isPodReady, parseTime } from './pods.js';
import { scaledValue } from './rollout-math.js';

type PdbView = DeepReadonly<PodDisruptionBudget>;
type PodView = DeepReadonly<Pod>;

/** The condition the controller keeps on every budget. */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
/** Reasons of the DisruptionAllowed condition, as policy/v1 names them. */
export const PDB_REASONS = {
  sufficientPods: 'SufficientPods',
  insufficientPods: 'InsufficientPods',
  syncFailed: 'SyncFailed',
} as const;

/**
 * The pods' selector, or undefined when the budget has none: a null selector covers no pod, an
 * empty one (`{}`) every pod of the namespace (policy/v1). Throws BadRequestError for a bad
 * operator.
 */
export function budgetSelector(pdb: PdbView): LabelSelectorMatcher | undefined {
  const sel = pdb.spec?.selector;
  return sel ? labelSelectorFromObject(sel as never) : undefined;
}

/**
 * True when the budget is measured against its pods' controllers' scale (maxUnavailable, or
 * minAvailable as a percentage); false when a plain minAvailable count and the matched pods do.
 */
export function needsControllerScale(spec: DeepReadonly<PodDisruptionBudgetSpec> | undefined): boolean {
  if (spec?.maxUnavailable !== undefined && spec.maxUnavailable !== null) return true;
  return typeof spec?.minAvailable === 'string';
}

/** The scale of the controller of a pod: its uid (so each counts once) and its replicas. */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/**
 * Finds the scale of the workload a controller reference points at (Deployment through its
 * ReplicaSet, ReplicaSet, any kind with a scale subresource); undefined when none is known.
 */
export type ScaleFinder = (ref: DeepReadonly<OwnerReference>, namespace: string) => Promise<ControllerScale | undefined>;

/** What {@link expectedScale} found: the summed scale, and the pods without a controller. */
export interface ExpectedScale {
  expectedCount: number;
  unmanagedPods: string[];
}

/**
 * The sum of the scales of the pods' controllers, each counted once (getExpectedScale). Pods
 * without a controller are listed apart; a controller nobody can find throws an Error naming the
 * pod (upstream's "found no controllers for pod").
 */
export async function expectedScale(pods: readonly PodView[], find: ScaleFinder): Promise<ExpectedScale> {
  const scales = new Map<string, number>();
  const seenRefs = new Set<string>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod.metadata);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name!);
      continue;
    }
    if (seenRefs.has(ref.uid)) continue;
    const found = await find(ref, pod.metadata.namespace ?? '');
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    seenRefs.add(ref.uid);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const n of scales.values()) expectedCount += n;
  return { expectedCount, unmanagedPods };
}

/**
 * expectedPods and desiredHealthy (getExpectedPodCount): maxUnavailable (rounded up) off the
 * controllers' scale; minAvailable as a percentage (rounded up) of that scale; a plain
 * minAvailable against the matched pods. Throws TerminalError for a malformed int-or-percent.
 */
export function budgetTarget(
  spec: DeepReadonly<PodDisruptionBudgetSpec> | undefined,
  matchedPods: number,
  controllerScale: number,
): { expectedPods: number; desiredHealthy: number } {
  if (spec?.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const maxUnavailable = scaledValue(spec.maxUnavailable as IntOrString, controllerScale, true);
    return { expectedPods: controllerScale, desiredHealthy: Math.max(0, controllerScale - maxUnavailable) };
  }
  const min = spec?.minAvailable;
  if (typeof min === 'number') return { expectedPods: matchedPods, desiredHealthy: min };
  if (typeof min === 'string') return { expectedPods: controllerScale, desiredHealthy: scaledValue(min, controllerScale, true) };
  return { expectedPods: 0, desiredHealthy: 0 };
}

/** disruptedPods pruned of pods gone, terminating or overdue, and when to look again. */
export interface DisruptedPods {
  /** The entries still awaiting their pod's deletion. */
  kept: Record<string, string>;
  /** Milliseconds until the first kept entry falls due (then the budget is synced again). */
  recheckAfterMs?: number;
  /** Pods evicted more than `timeoutMs` ago that still are not being deleted. */
  overdue: string[];
}

/**
 * Keeps the disruptedPods entries of pods that exist and are not yet terminating, for at most
 * `timeoutMs` after the eviction (buildDisruptedPodMap; upstream DeletionTimeout is 2 min).
 */
export function pruneDisruptedPods(
  disrupted: DeepReadonly<Record<string, string>> | undefined,
  pods: readonly PodView[],
  nowMs: number,
  timeoutMs: number,
): DisruptedPods {
  const kept: Record<string, string> = {};
  const overdue: string[] = [];
  let due: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name!;
    const at = disrupted?.[name];
    if (at === undefined || pod.metadata.deletionTimestamp) continue;
    const expectedDeletion = (parseTime(at) ?? 0) + timeoutMs;
    if (expectedDeletion < nowMs) {
      overdue.push(name);
      continue;
    }
    kept[name] = at;
    due = due === undefined ? expectedDeletion : Math.min(due, expectedDeletion);
  }
  return { kept, overdue, recheckAfterMs: due === undefined ? undefined : due - nowMs + 1 };
}

/** Ready pods that are neither terminating nor just evicted (countHealthyPods). */
export function countHealthy(pods: readonly PodView[], disrupted: Readonly<Record<string, string>>): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || pod.metadata.name! in disrupted) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/** The numbers a sync arrives at. */
export interface BudgetCounts {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptedPods: Record<string, string>;
}

/**
 * The whole status for `counts` (updatePdbStatus): disruptionsAllowed is currentHealthy minus
 * desiredHealthy, and 0 while no pod is expected, so a budget whose pods just appeared is safe;
 * the DisruptionAllowed condition keeps its lastTransitionTime unless its status flips.
 */
export function budgetStatus(pdb: PdbView, counts: BudgetCounts, now: string): PodDisruptionBudgetStatus {
  const allowed = counts.expectedPods > 0 ? Math.max(0, counts.currentHealthy - counts.desiredHealthy) : 0;
  const generation = pdb.metadata.generation ?? 1;
  const status: PodDisruptionBudgetStatus = {
    observedGeneration: generation,
    disruptionsAllowed: allowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedPods,
  };
  if (Object.keys(counts.disruptedPods).length > 0) status.disruptedPods = counts.disruptedPods;
  const reason = allowed > 0 ? PDB_REASONS.sufficientPods : PDB_REASONS.insufficientPods;
  status.conditions = setCondition(pdb.status?.conditions, { type: DISRUPTION_ALLOWED, status: allowed > 0 ? 'True' : 'False', reason, message: '', observedGeneration: generation }, now);
  return status;
}

/**
 * The fail-safe status after a sync failed (failSafe): the old one with disruptionsAllowed 0
 * and DisruptionAllowed False for SyncFailed, so no eviction gets through meanwhile.
 */
export function failSafeStatus(pdb: PdbView, message: string, now: string): PodDisruptionBudgetStatus {
  const old = (pdb.status ?? {}) as DeepReadonly<Partial<PodDisruptionBudgetStatus>>;
  const base = JSON.parse(JSON.stringify(old)) as PodDisruptionBudgetStatus;
  const status: PodDisruptionBudgetStatus = { ...base, disruptionsAllowed: 0, currentHealthy: old.currentHealthy ?? 0, desiredHealthy: old.desiredHealthy ?? 0, expectedPods: old.expectedPods ?? 0 };
  status.conditions = setCondition(old.conditions, { type: DISRUPTION_ALLOWED, status: 'False', reason: PDB_REASONS.syncFailed, message, observedGeneration: old.observedGeneration }, now);
  return status;
}

/** True when `next` says something `current` does not (so a status write is due). */
export function statusChanged(current: DeepReadonly<PodDisruptionBudgetStatus> | undefined, next: PodDisruptionBudgetStatus): boolean {
  return canonicalJson(normalize(current)) !== canonicalJson(normalize(next));
}

function normalize(status: DeepReadonly<PodDisruptionBudgetStatus> | undefined): unknown {
  const s = { ...(status ?? {}) } as Record<string, unknown>;
  if (s.disruptedPods && Object.keys(s.disruptedPods).length === 0) delete s.disruptedPods;
  for (const k of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) s[k] ??= 0;
  return s;
}

/** apimeta.SetStatusCondition: replaces the condition of that type, stamping a flip's time. */
function setCondition(conditions: DeepReadonly<Condition[]> | undefined, next: Condition, now: string): Condition[] {
  const out = (conditions ?? []).map((c) => ({ ...c }) as Condition);
  const i = out.findIndex((c) => c.type === next.type);
  if (i < 0) return [...out, { ...next, lastTransitionTime: now }];
  const lastTransitionTime = out[i].status === next.status ? (out[i].lastTransitionTime ?? now) : now;
  out[i] = { ...next, lastTransitionTime };
  return out;
}
