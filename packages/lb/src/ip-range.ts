/**
 * IPv4 ranges and the load balancer's address allocation. Pure.
 */
import net from 'node:net';

/** An IPv4 CIDR block as numbers; `first`/`last` are the usable host addresses. */
export interface AddressRange {
  cidr: string;
  first: number;
  last: number;
}

/** The number of an IPv4 address, e.g. 127.0.0.1 → 0x7f000001. */
export function ipToNumber(ip: string): number {
  if (!net.isIPv4(ip)) throw new TypeError(`not an IPv4 address: ${ip}`);
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * Parses `a.b.c.d/len` (8 ≤ len ≤ 32). Blocks of four addresses or more leave out their
 * network and broadcast addresses. Throws a TypeError on bad input.
 */
export function parseRange(cidr: string): AddressRange {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr.trim());
  if (!m || !net.isIPv4(m[1])) throw new TypeError(`not an IPv4 CIDR: ${cidr}`);
  const bits = Number(m[2]);
  if (bits < 8 || bits > 32) throw new TypeError(`prefix length must be 8-32: ${cidr}`);
  const size = 2 ** (32 - bits);
  const base = Math.floor(ipToNumber(m[1]) / size) * size;
  const edge = size >= 4 ? 1 : 0;
  return { cidr: `${numberToIp(base)}/${bits}`, first: base + edge, last: base + size - 1 - edge };
}

export function inRange(range: AddressRange, ip: string | undefined): boolean {
  if (!ip || !net.isIPv4(ip)) return false;
  const n = ipToNumber(ip);
  return n >= range.first && n <= range.last;
}

/**
 * An address for a Service: the one it already has (`current`), else the one it asks for
 * (`requested`, spec.loadBalancerIP) when free, else the lowest free one. Addresses outside
 * the range, or in `taken` (other Services'), are never returned. Undefined when the range is
 * full or the requested address cannot be given.
 */
export function allocateAddress(range: AddressRange, taken: ReadonlySet<string>, current?: string, requested?: string): string | undefined {
  if (requested) return inRange(range, requested) && !taken.has(requested) ? requested : undefined;
  if (inRange(range, current) && !taken.has(current!)) return current;
  for (let n = range.first; n <= range.last; n++) {
    const ip = numberToIp(n);
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}
