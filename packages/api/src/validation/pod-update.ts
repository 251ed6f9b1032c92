/**
 * Pod validation (ValidatePodCreate) and the update rules of ValidatePodUpdate: a pod's spec is
 * immutable except container images, activeDeadlineSeconds (only shortened), added
 * tolerations, removed scheduling gates, and a negative grace period set to 1.
 */
import type { FieldError } from '../errors.js';
import type { Container, Pod, PodSpec, Toleration } from '../types/core.js';
import { child, fieldForbidden, fieldInvalid, fieldRequired, index } from './errors.js';
import { semanticEqual, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { inclusiveRangeError, isDNS1123Subdomain } from './names.js';
import { validatePodSpec } from './pod.js';

const MAX_INT32 = 2147483647;
const UPDATABLE_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/** Validates a Pod, and with `old` the update rules. */
export function validatePod(pod: Pod, old?: Pod): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, isDNS1123Subdomain, true);
  errs.push(...validatePodSpec(pod.spec ?? { containers: [] }, 'spec', { isPod: true }));
  if (old) {
    errs.push(...validateObjectMetaUpdate(pod.metadata, old.metadata));
    errs.push(...validatePodSpecUpdate(pod.spec ?? { containers: [] }, old.spec ?? { containers: [] }));
  }
  return errs;
}

function validatePodSpecUpdate(spec: PodSpec, old: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['containers', 'initContainers'] as const) {
    const [containerErrs, stop] = validateContainerUpdates(spec[key] ?? [], old[key] ?? [], child('spec', key));
    errs.push(...containerErrs);
    if (stop) return errs;
  }
  const deadline = validateDeadlineUpdate(spec.activeDeadlineSeconds, old.activeDeadlineSeconds);
  if (deadline.length > 0) return [...errs, ...deadline];
  errs.push(...validateOnlyAddedTolerations(spec.tolerations ?? [], old.tolerations ?? []));
  const gates = new Set((old.schedulingGates ?? []).map((g) => g.name));
  if ((spec.schedulingGates ?? []).some((g) => !gates.has(g.name))) {
    errs.push(fieldForbidden('spec.schedulingGates', 'only deletion is allowed, but found new scheduling gate'));
  }
  if (semanticEqual(spec, old)) return errs;
  const munged = mungeUpdatable(spec, old);
  if (!semanticEqual(munged, old)) {
    const diff = jsonDiff(old, munged, 'spec');
    errs.push(fieldForbidden('spec', `pod updates may not change fields other than ${UPDATABLE_FIELDS}\n${diff.join('\n')}`));
  }
  return errs;
}

function validateContainerUpdates(next: Container[], old: Container[], path: string): [FieldError[], boolean] {
  if (next.length !== old.length) return [[fieldForbidden(path, 'pod updates may not add or remove containers')], true];
  const errs: FieldError[] = [];
  next.forEach((c, i) => {
    if (!c.image) errs.push(fieldRequired(child(index(path, i), 'image')));
  });
  return [errs, false];
}

function validateDeadlineUpdate(next: number | undefined, old: number | undefined): FieldError[] {
  const path = 'spec.activeDeadlineSeconds';
  if (next !== undefined) {
    if (next < 0 || next > MAX_INT32) return [fieldInvalid(path, next, inclusiveRangeError(0, MAX_INT32))];
    if (old !== undefined && old < next) return [fieldInvalid(path, next, 'must be less than or equal to previous value')];
  } else if (old !== undefined) {
    return [fieldInvalid(path, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

function validateOnlyAddedTolerations(next: Toleration[], old: Toleration[]): FieldError[] {
  const sameButSeconds = (a: Toleration, b: Toleration) => semanticEqual({ ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });
  const kept = old.every((o) => next.some((n) => sameButSeconds(o, n)));
  return kept ? [] : [fieldForbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
}

/** The new spec with every updatable field put back to its old value. */
function mungeUpdatable(spec: PodSpec, old: PodSpec): PodSpec {
  const munged: PodSpec = structuredClone(spec);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: old.containers?.[i]?.image }));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: old.initContainers?.[i]?.image }));
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.schedulingGates = old.schedulingGates;
  munged.tolerations = old.tolerations;
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  return munged;
}

/** One line per changed leaf, `path: old -> new`, so the error says what differs. */
function jsonDiff(a: unknown, b: unknown, path: string): string[] {
  if (semanticEqual(a, b)) return [];
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => jsonDiff(a[k], b[k], child(path, k)));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => jsonDiff(x, b[i], index(path, i)));
  return [`  ${path}: ${JSON.stringify(a ?? null)} -> ${JSON.stringify(b ?? null)}`];
}
