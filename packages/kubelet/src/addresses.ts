/**
 * Addresses on one machine: all of 127.0.0.0/8 is loopback on Linux, so node i gets the node IP
 * 127.1.0.i and the pod CIDR 127.(64 + floor(i/256)).(i % 256).0/24, whose .2 … .254 are pod IPs.
 * A node with an address of its own (a container) is given its node IP, pod CIDR and cluster DNS
 * instead (`setAddressOverrides`).
 */
import net from 'node:net';

/** Addresses given to this process's node rather than derived from its index; unset: derived. */
export interface AddressOverrides {
  nodeIP?: string;
  /** A /24 (`10.244.1.0/24`), so its first three octets are the pod network prefix. */
  podCIDR?: string;
  /** The resolver written into pods' resolv.conf. */
  clusterDNS?: string;
}

/** The cluster DNS Service's address in the host-mode address plan. */
export const DEFAULT_CLUSTER_DNS = '127.128.0.10';

// One kubelet process serves one node, so its addresses are process-wide, set once at start.
let overrides: AddressOverrides = {};

/** Makes nodeIP, podCIDR, podNetworkPrefix and clusterDNS answer `o`'s values where given. */
export function setAddressOverrides(o: AddressOverrides): void {
  overrides = { ...o };
}

/** Why `value` is not a usable pod CIDR (a /24 network address), or undefined when it is. */
export function podCIDRProblem(value: string): string | undefined {
  const m = /^(\d+\.\d+\.\d+)\.(\d+)\/(\d+)$/.exec(value);
  if (!m || !net.isIPv4(`${m[1]}.${m[2]}`)) return `not an IPv4 CIDR: ${value}`;
  if (m[3] !== '24' || m[2] !== '0') return `must be a /24 network such as 10.244.1.0/24: ${value}`;
  return undefined;
}

/** The resolver pods with dnsPolicy ClusterFirst use. */
export function clusterDNS(): string {
  return overrides.clusterDNS ?? DEFAULT_CLUSTER_DNS;
}

/** The trailing number of a node name (`node-3` → 3), or undefined. */
export function nodeIndexFromName(name: string): number | undefined {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The node's InternalIP, which is also its pods' hostIP. */
export function nodeIP(index: number): string {
  if (overrides.nodeIP) return overrides.nodeIP;
  return `127.1.${Math.floor(index / 256)}.${index % 256}`;
}

/** The node's pod CIDR, e.g. `127.64.1.0/24` for node 1. */
export function podCIDR(index: number): string {
  if (overrides.podCIDR) return overrides.podCIDR;
  return `${podNetworkPrefix(index)}.0/24`;
}

/** The first three octets of the node's pod network. */
export function podNetworkPrefix(index: number): string {
  if (overrides.podCIDR) return overrides.podCIDR.slice(0, overrides.podCIDR.lastIndexOf('.'));
  return `127.${64 + Math.floor(index / 256)}.${index % 256}`;
}

/** The first and last host numbers handed to pods. */
export const POD_HOST_MIN = 2;
export const POD_HOST_MAX = 254;

/**
 * Picks the next free host number after `last`, wrapping around, so a just-freed address is
 * not handed out again at once (endpoints may still point at it). Undefined when all are used.
 */
export function nextFreeHost(used: ReadonlySet<number>, last: number): number | undefined {
  const span = POD_HOST_MAX - POD_HOST_MIN + 1;
  for (let i = 1; i <= span; i++) {
    const host = POD_HOST_MIN + ((last - POD_HOST_MIN + i + span) % span);
    if (!used.has(host)) return host;
  }
  return undefined;
}

/** The host number of an IP inside `prefix` (`127.64.1`), or undefined for another network. */
export function hostOf(ip: string, prefix: string): number | undefined {
  if (!ip.startsWith(`${prefix}.`)) return undefined;
  const n = Number(ip.slice(prefix.length + 1));
  return Number.isInteger(n) ? n : undefined;
}
