/**
 * What deleting a namespace's content found, and the status conditions that report it
 * (pkg/controller/namespace/deletion): resources still present, finalizers still holding
 * objects, and resource types whose deletion failed.
 */
import { RESOURCES, type DeepReadonly, type KubeObject, type NamespaceCondition, type ResourceInfo } from '@kubesim/api';
import { formatTime } from './pods.js';

/** Every namespaced resource, once per stored resource (not once per served version). */
export const NAMESPACED_RESOURCES: readonly ResourceInfo[] = RESOURCES.filter(
  (r) => r.namespaced && (!r.storageVersion || r.storageVersion === r.version),
);

/** The tally of one pass over a terminating namespace. */
export interface ContentReport {
  /** Objects left, by group-resource (`pods`, `deployments.apps`). */
  remaining: Map<string, number>;
  /** Objects held by each finalizer. */
  finalizers: Map<string, number>;
  /** Resource types that could not be deleted or listed, with the error. */
  failures: string[];
}

/** An empty report. */
export function emptyReport(): ContentReport {
  return { remaining: new Map(), finalizers: new Map(), failures: [] };
}

/** `pods` for the core group, `deployments.apps` otherwise (GroupResource.String()). */
export function groupResource(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

/** Adds the objects of one resource still present after deletion to the report. */
export function countRemaining(report: ContentReport, info: ResourceInfo, left: readonly DeepReadonly<KubeObject>[]): void {
  if (left.length === 0) return;
  const gr = groupResource(info);
  report.remaining.set(gr, (report.remaining.get(gr) ?? 0) + left.length);
  for (const obj of left) {
    for (const f of obj.metadata.finalizers ?? []) report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + 1);
  }
}

/** True when nothing is left and nothing failed: the namespace can be finalized. */
export function contentGone(report: ContentReport): boolean {
  return report.remaining.size === 0 && report.failures.length === 0;
}

/**
 * The five deletion conditions upstream reports on a terminating namespace, each True with a
 * problem reason or False with its all-clear reason. An unchanged condition keeps its time.
 */
export function deletionConditions(
  report: ContentReport,
  existing: readonly DeepReadonly<NamespaceCondition>[] | undefined,
  nowMs: number,
): NamespaceCondition[] {
  const list = (m: Map<string, number>, fmt: (k: string, n: number) => string) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => fmt(k, n)).join(', ');
  const wanted: [string, boolean, string, string][] = [
    ['NamespaceDeletionDiscoveryFailure', false, 'ResourcesDiscovered', 'All resources successfully discovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', false, 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    report.failures.length > 0
      ? ['NamespaceDeletionContentFailure', true, 'ContentDeletionFailed', `Failed to delete all resource types, ${report.failures.length} remaining: ${report.failures.join(', ')}`]
      : ['NamespaceDeletionContentFailure', false, 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    report.remaining.size > 0
      ? ['NamespaceContentRemaining', true, 'SomeResourcesRemain', `Some resources are remaining: ${list(report.remaining, (k, n) => `${k} has ${n} resource instances`)}`]
      : ['NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'],
    report.finalizers.size > 0
      ? ['NamespaceFinalizersRemaining', true, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${list(report.finalizers, (k, n) => `${k} in ${n} resource instances`)}`]
      : ['NamespaceFinalizersRemaining', false, 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
  ];
  return wanted.map(([type, problem, reason, message]) => {
    const status = problem ? 'True' : 'False';
    const old = existing?.find((c) => c.type === type);
    if (old && old.status === status && old.reason === reason && old.message === message) return { ...old };
    return { type, status, lastTransitionTime: formatTime(nowMs), reason, message };
  });
}
