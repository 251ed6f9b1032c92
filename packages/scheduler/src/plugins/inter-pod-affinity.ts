/**
 * InterPodAffinity (required terms only): a pod's required pod affinity needs a matching pod in
 * the node's topology domain (the node's value of `topologyKey`); its required anti-affinity
 * forbids one; and pods already placed with required anti-affinity keep out pods they select.
 *
 * PreFilter counts matching pods per topology pair once per cycle (O(pods) only for pods with
 * terms; the existing-anti-affinity side walks only the pods that carry such terms), so Filter
 * is a few map lookups per node.
 */
import type { Snapshot } from '../cache.js';
import { unresolvable, unschedulable, type CycleState, type FilterPlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { podMatchesTerm, type AffinityTerm, type PodInfo } from '../pod-info.js';

export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const STATE_KEY = 'InterPodAffinity';

/** Matching pods per topology pair (`key` + NUL + `value`). */
export type TopologyCounts = Map<string, number>;

/** What PreFilter computes for one pod. */
export interface AffinityCounts {
  /** Pairs where an existing pod's anti-affinity selects the incoming pod. */
  readonly existingAntiAffinity: TopologyCounts;
  /** The topology keys in `existingAntiAffinity` (usually one or two). */
  readonly existingAntiAffinityKeys: Set<string>;
  /** Pairs holding pods that match every required affinity term of the incoming pod. */
  readonly affinity: TopologyCounts;
  /** Pairs holding pods that match a required anti-affinity term of the incoming pod. */
  readonly antiAffinity: TopologyCounts;
}

/**
 * A node's value for a topology key. kubelets label nodes with `kubernetes.io/hostname`; a node
 * created without that label still stands for its own hostname domain.
 */
export function topologyValue(node: NodeInfo, key: string): string | undefined {
  const value = node.labels[key];
  return value === undefined && key === HOSTNAME_LABEL ? node.name : value;
}

function pair(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function bump(counts: TopologyCounts, node: NodeInfo, key: string): void {
  const value = topologyValue(node, key);
  if (value !== undefined) counts.set(pair(key, value), (counts.get(pair(key, value)) ?? 0) + 1);
}

/** Counts the topology pairs the incoming pod's terms and the existing pods' terms touch. */
export function countAffinityPairs(pod: PodInfo, snapshot: Snapshot): AffinityCounts {
  const counts: AffinityCounts = { existingAntiAffinity: new Map(), existingAntiAffinityKeys: new Set(), affinity: new Map(), antiAffinity: new Map() };
  for (const { pod: other, node } of snapshot.podsWithRequiredAntiAffinity()) {
    if (other.key === pod.key) continue;
    for (const term of other.requiredAntiAffinity) {
      if (!podMatchesTerm(term, pod.namespace, pod.labels)) continue;
      bump(counts.existingAntiAffinity, node, term.topologyKey);
      counts.existingAntiAffinityKeys.add(term.topologyKey);
    }
  }
  if (pod.requiredAffinity.length === 0 && pod.requiredAntiAffinity.length === 0) return counts;
  for (const node of snapshot.nodeInfos()) {
    for (const other of node.pods.values()) {
      if (other.key === pod.key) continue;
      if (pod.requiredAffinity.length > 0 && matchesAll(pod.requiredAffinity, other)) {
        for (const term of pod.requiredAffinity) bump(counts.affinity, node, term.topologyKey);
      }
      for (const term of pod.requiredAntiAffinity) {
        if (podMatchesTerm(term, other.namespace, other.labels)) bump(counts.antiAffinity, node, term.topologyKey);
      }
    }
  }
  return counts;
}

function matchesAll(terms: readonly AffinityTerm[], pod: PodInfo): boolean {
  return terms.every((t) => podMatchesTerm(t, pod.namespace, pod.labels));
}

/**
 * Required affinity holds on a node that has every term's topology key and a matching pod in
 * each of those domains; or, when no pod anywhere matches, if the pod matches its own terms
 * (the first pod of a group that wants to be together).
 */
export function satisfiesPodAffinity(pod: PodInfo, counts: AffinityCounts, node: NodeInfo): boolean {
  let podsExist = true;
  for (const term of pod.requiredAffinity) {
    const value = topologyValue(node, term.topologyKey);
    if (value === undefined) return false;
    if (!counts.affinity.get(pair(term.topologyKey, value))) podsExist = false;
  }
  return podsExist || (counts.affinity.size === 0 && matchesAll(pod.requiredAffinity, pod));
}

/** Required anti-affinity holds where no domain of the node holds a pod a term selects. */
export function satisfiesPodAntiAffinity(pod: PodInfo, counts: AffinityCounts, node: NodeInfo): boolean {
  for (const term of pod.requiredAntiAffinity) {
    const value = topologyValue(node, term.topologyKey);
    if (value !== undefined && counts.antiAffinity.get(pair(term.topologyKey, value))) return false;
  }
  return true;
}

/** No placed pod's anti-affinity selects the incoming pod in any of the node's domains. */
export function satisfiesExistingAntiAffinity(counts: AffinityCounts, node: NodeInfo): boolean {
  for (const key of counts.existingAntiAffinityKeys) {
    const value = topologyValue(node, key);
    if (value !== undefined && counts.existingAntiAffinity.get(pair(key, value))) return false;
  }
  return true;
}

export const InterPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  preFilter(pod: PodInfo, state: CycleState) {
    state.write(STATE_KEY, countAffinityPairs(pod, state.snapshot));
  },
  filter(pod, node, state) {
    const counts = state.read<AffinityCounts>(STATE_KEY) ?? countAffinityPairs(pod, state.snapshot);
    if (!satisfiesPodAffinity(pod, counts, node)) return unresolvable(ERR_REASON_AFFINITY);
    if (!satisfiesPodAntiAffinity(pod, counts, node)) return unschedulable(ERR_REASON_ANTI_AFFINITY);
    if (!satisfiesExistingAntiAffinity(counts, node)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return undefined;
  },
};
