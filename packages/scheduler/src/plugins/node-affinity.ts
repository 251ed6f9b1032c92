/**
 * NodeAffinity: `spec.nodeSelector` and required node affinity
 * (`requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, ORed; within a term every
 * matchExpressions requirement on labels and matchFields requirement on `metadata.name` must
 * hold) filter nodes; matching preferred terms add their weight to the score.
 */
import type { DeepReadonly, Node, Pod } from '@kubesim/api';
import { defaultNormalizeScore, unresolvable, type FilterPlugin, type ScorePlugin } from '../framework.js';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** core/v1 NodeSelectorRequirement. */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string;
  values?: string[];
}

/** core/v1 NodeSelectorTerm. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

interface NodeAffinitySpec {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number; preference?: NodeSelectorTerm }[];
}

type Labels = Readonly<Record<string, string>>;

/** One requirement against a label set (In, NotIn, Exists, DoesNotExist, Gt, Lt as integers). */
export function requirementMatches(req: DeepReadonly<NodeSelectorRequirement>, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const [actual, bound] = [toInt(value), toInt(values[0])];
      if (actual === undefined || bound === undefined) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/**
 * True when the term selects the node. An empty term selects nothing; matchFields supports only
 * `metadata.name` (with In or NotIn), as Kubernetes does.
 */
export function nodeSelectorTermMatches(term: DeepReadonly<NodeSelectorTerm> | undefined, node: DeepReadonly<Node>): boolean {
  const exprs = term?.matchExpressions ?? [];
  const fields = term?.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, labels))) return false;
  return fields.every(
    (r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, { 'metadata.name': node.metadata.name ?? '' }),
  );
}

/** True when the node satisfies the pod's nodeSelector and its required node affinity. */
export function matchesNodeSelectorAndAffinity(pod: DeepReadonly<Pod>, node: DeepReadonly<Node>): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = nodeAffinityOf(pod)?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((term) => nodeSelectorTermMatches(term, node));
}

/** Sum of the weights of the pod's preferred node affinity terms the node matches. */
export function preferredAffinityScore(pod: DeepReadonly<Pod>, node: DeepReadonly<Node>): number {
  let sum = 0;
  for (const pref of nodeAffinityOf(pod)?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (pref?.weight && nodeSelectorTermMatches(pref.preference, node)) sum += pref.weight;
  }
  return sum;
}

function nodeAffinityOf(pod: DeepReadonly<Pod>): DeepReadonly<NodeAffinitySpec> | undefined {
  return pod.spec?.affinity?.nodeAffinity as DeepReadonly<NodeAffinitySpec> | undefined;
}

function toInt(s: string | undefined): number | undefined {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

export const NodeAffinity: FilterPlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  filter(pod, node) {
    return node.node && matchesNodeSelectorAndAffinity(pod.pod, node.node) ? undefined : unresolvable(ERR_REASON_NODE_AFFINITY);
  },
  score(pod, node) {
    return node.node ? preferredAffinityScore(pod.pod, node.node) : 0;
  },
  normalize(scores) {
    defaultNormalizeScore(scores, false);
  },
};
