/**
 * Resource arithmetic as kube-scheduler does it: a pod's effective requests (containers summed,
 * init containers by their maximum, sidecars cumulative, overhead added) and a node's
 * allocatable, both in the scheduler's integer units.
 */
import { parseQuantity, type Container, type DeepReadonly, type Node, type PodSpec, type Quantity, type ResourceList } from '@kubesim/api';

/**
 * Amounts by resource name in scheduler units: `cpu` in millicores, everything else (memory
 * and storage bytes, `pods`, extended resources) in whole units, each rounded up as
 * resource.Quantity's MilliValue and Value do.
 */
export type ResourceAmounts = Record<string, number>;

/** What a container without a cpu request counts as when scoring (kube-scheduler's default). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** What a container without a memory request counts as when scoring: 200 MiB. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * Whether the scheduler accounts for a resource: cpu, memory, ephemeral-storage, hugepages-*
 * and extended resources (`example.com/gpu`: a domain outside kubernetes.io). Anything else a
 * pod asks for is ignored, as kube-scheduler ignores it.
 */
export function isSchedulableResource(name: string): boolean {
  if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') return true;
  if (name.startsWith('hugepages-')) return true;
  const slash = name.indexOf('/');
  if (slash <= 0) return false;
  const domain = name.slice(0, slash);
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io') && !name.startsWith('requests.');
}

/** One quantity in scheduler units (see {@link ResourceAmounts}); an invalid quantity counts as 0. */
export function toAmount(resource: string, quantity: Quantity | undefined): number {
  if (quantity === undefined) return 0;
  const value = parseQuantity(quantity as string | number);
  if (value === undefined || value <= 0) return 0;
  // Subtracting a hair keeps float noise (0.1 * 1000 = 100.00000000000001) from rounding up.
  return resource === 'cpu' ? Math.ceil(value * 1000 - 1e-9) : Math.ceil(value - 1e-9);
}

/** Converts a ResourceList, keeping only the resources the scheduler accounts for (plus `pods`). */
export function toAmounts(list: DeepReadonly<ResourceList> | undefined): ResourceAmounts {
  const out: ResourceAmounts = {};
  for (const [name, q] of Object.entries(list ?? {})) {
    if (name === 'pods' || isSchedulableResource(name)) out[name] = toAmount(name, q);
  }
  return out;
}

/**
 * What one container requests. A limit stands in for a missing request (the apiserver's
 * defaulting does the same). With `nonZero`, a missing cpu or memory request counts as the
 * scoring defaults ({@link DEFAULT_MILLI_CPU_REQUEST}, {@link DEFAULT_MEMORY_REQUEST}).
 */
export function containerRequests(container: DeepReadonly<Container>, nonZero = false): ResourceAmounts {
  const requests = { ...container.resources?.limits, ...container.resources?.requests };
  const out: ResourceAmounts = {};
  for (const [name, q] of Object.entries(requests)) if (isSchedulableResource(name)) out[name] = toAmount(name, q);
  if (nonZero) {
    if (!('cpu' in requests)) out.cpu = DEFAULT_MILLI_CPU_REQUEST;
    if (!('memory' in requests)) out.memory = DEFAULT_MEMORY_REQUEST;
  }
  return out;
}

/**
 * A pod's effective requests (k8s resourcehelper.PodRequests): the sum over containers, then
 * the larger of that and each init container (a non-restartable init container runs alone,
 * next to the sidecars started before it); restartable init containers (sidecars) add to the
 * sum; `spec.overhead` is added last.
 */
export function podRequests(spec: DeepReadonly<PodSpec> | undefined, nonZero = false): ResourceAmounts {
  const total: ResourceAmounts = {};
  for (const c of spec?.containers ?? []) addInto(total, containerRequests(c, nonZero));
  const sidecars: ResourceAmounts = {};
  const initMax: ResourceAmounts = {};
  for (const c of spec?.initContainers ?? []) {
    const own = containerRequests(c, nonZero);
    let running: ResourceAmounts;
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      running = sidecars;
    } else {
      running = addInto(addInto({}, own), sidecars);
    }
    maxInto(initMax, running);
  }
  maxInto(total, initMax);
  if (spec?.overhead) addInto(total, toAmounts(spec.overhead));
  return total;
}

/** A node's allocatable resources (status.allocatable, or capacity when a node reports none). */
export function nodeAllocatable(node: DeepReadonly<Node> | undefined): ResourceAmounts {
  return toAmounts(node?.status?.allocatable ?? node?.status?.capacity);
}

/** Adds `b` into `a` in place; returns `a`. */
export function addInto(a: ResourceAmounts, b: Readonly<ResourceAmounts>): ResourceAmounts {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
  return a;
}

/** Subtracts `b` from `a` in place; returns `a`. */
export function subtractInto(a: ResourceAmounts, b: Readonly<ResourceAmounts>): ResourceAmounts {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) - v;
  return a;
}

function maxInto(a: ResourceAmounts, b: Readonly<ResourceAmounts>): void {
  for (const [k, v] of Object.entries(b)) a[k] = Math.max(a[k] ?? 0, v);
}
