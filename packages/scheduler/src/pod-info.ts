/**
 * PodInfo: what the scheduler needs from a pod, computed once per pod version instead of once
 * per node (kube-scheduler's framework.PodInfo): its requests, its controlling owner, and its
 * required pod (anti-)affinity terms parsed into matchers.
 */
import { labelSelectorFromObject, objectKey, type DeepReadonly, type LabelSelectorMatcher, type Pod, type Toleration } from '@kubesim/api';
import { podRequests, type ResourceAmounts } from './resources.js';

/** One required pod (anti-)affinity term: pods matching `selector` in `namespaces`, per topology domain. */
export interface AffinityTerm {
  readonly topologyKey: string;
  /** The namespaces whose pods the term looks at; `all` for an empty namespaceSelector (`{}`). */
  readonly namespaces: ReadonlySet<string> | 'all';
  readonly selector: LabelSelectorMatcher;
}

export interface PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly pod: DeepReadonly<Pod>;
  readonly labels: Readonly<Record<string, string>>;
  /** Effective requests (see podRequests). */
  readonly requests: Readonly<ResourceAmounts>;
  /** cpu (millicores) and memory with the scoring defaults for containers that request none. */
  readonly nonZero: { readonly cpu: number; readonly memory: number };
  readonly tolerations: readonly DeepReadonly<Toleration>[];
  /** The uid of the controlling owner (e.g. the ReplicaSet), if any: pods of one owner are spread. */
  readonly ownerUid?: string;
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
}

/** Builds the PodInfo of a pod. Never throws: a malformed affinity term matches no pod. */
export function newPodInfo(pod: DeepReadonly<Pod>): PodInfo {
  const namespace = pod.metadata.namespace ?? 'default';
  const nonZero = podRequests(pod.spec, true);
  const affinity = pod.spec?.affinity as DeepReadonly<PodAffinitySpec> | undefined;
  return {
    key: objectKey(pod),
    namespace,
    name: pod.metadata.name ?? '',
    pod,
    labels: pod.metadata.labels ?? {},
    requests: podRequests(pod.spec),
    nonZero: { cpu: nonZero.cpu ?? 0, memory: nonZero.memory ?? 0 },
    tolerations: pod.spec?.tolerations ?? [],
    ownerUid: pod.metadata.ownerReferences?.find((r) => r.controller)?.uid,
    requiredAffinity: parseTerms(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, namespace),
    requiredAntiAffinity: parseTerms(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, namespace),
  };
}

/** True when a pod in `namespace` with `labels` is one the term selects. */
export function podMatchesTerm(term: AffinityTerm, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  if (term.namespaces !== 'all' && !term.namespaces.has(namespace)) return false;
  return term.selector.matches(labels);
}

/** The shape of `spec.affinity` the scheduler reads (the API type keeps it loose). */
interface PodAffinityTermSpec {
  labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | null;
  namespaces?: string[];
  namespaceSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | null;
  topologyKey?: string;
}

interface PodAffinitySpec {
  podAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTermSpec[] };
  podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTermSpec[] };
}

const MATCH_NOTHING: LabelSelectorMatcher = { requirements: [], equalities: new Map(), matches: () => false };

function parseTerms(terms: readonly DeepReadonly<PodAffinityTermSpec>[] | undefined, podNamespace: string): AffinityTerm[] {
  if (!Array.isArray(terms)) return [];
  return terms.map((t) => ({
    topologyKey: typeof t?.topologyKey === 'string' ? t.topologyKey : '',
    namespaces: termNamespaces(t, podNamespace),
    selector: parseSelector(t?.labelSelector),
  }));
}

/**
 * Kubernetes' rule: the listed namespaces, plus every namespace when namespaceSelector is `{}`;
 * neither given means the pod's own namespace. A namespaceSelector with requirements would need
 * namespace labels, which the scheduler does not watch: it adds no namespace.
 */
function termNamespaces(t: DeepReadonly<PodAffinityTermSpec>, podNamespace: string): ReadonlySet<string> | 'all' {
  const listed = Array.isArray(t?.namespaces) ? t.namespaces : [];
  const sel = t?.namespaceSelector;
  if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) return 'all';
  if (listed.length === 0 && !sel) return new Set([podNamespace]);
  return new Set(listed);
}

/** A null selector matches nothing; a malformed one too (the term then selects no pod). */
function parseSelector(sel: DeepReadonly<PodAffinityTermSpec['labelSelector']> | undefined): LabelSelectorMatcher {
  if (!sel) return MATCH_NOTHING;
  try {
    return labelSelectorFromObject(sel as Parameters<typeof labelSelectorFromObject>[0]);
  } catch {
    return MATCH_NOTHING;
  }
}
