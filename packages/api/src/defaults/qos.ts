/**
 * The pod QoS class, computed as Kubernetes' qos.ComputePodQOS does from container requests
 * and limits of cpu and memory.
 */
import { parseQuantity } from '../quantity.js';
import { isObj, items, type Obj } from './json.js';

export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = new Set(['cpu', 'memory']);

/**
 * Guaranteed when every container (init ones included) sets cpu and memory limits and the
 * summed requests equal the summed limits; BestEffort when no container requests or limits
 * any cpu or memory; Burstable otherwise. Zero and unparsable quantities count as unset.
 */
export function podQOSClass(spec: unknown): PodQOSClass {
  const s = isObj(spec) ? spec : {};
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...items(s, 'containers'), ...items(s, 'initContainers')]) {
    const res = isObj(c.resources) ? c.resources : {};
    addPositive(requests, res.requests);
    const found = addPositive(limits, res.limits);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim === undefined || !nearlyEqual(lim, req)) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** Adds the positive cpu/memory quantities of `list` into `sums`; returns the names added. */
function addPositive(sums: Map<string, number>, list: unknown): Set<string> {
  const found = new Set<string>();
  if (!isObj(list)) return found;
  for (const [name, raw] of Object.entries(list as Obj)) {
    if (!QOS_RESOURCES.has(name)) continue;
    const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
    if (q === undefined || q <= 0) continue;
    found.add(name);
    sums.set(name, (sums.get(name) ?? 0) + q);
  }
  return found;
}

function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
