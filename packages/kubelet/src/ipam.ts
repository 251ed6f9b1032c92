/**
 * Pod addresses from the node's /24: stable per pod uid (kept in the pod's sandbox record), and
 * handed out round-robin so a freed address rests a while before it is reused. An address that
 * something on this machine already listens on (another kubelet given the same node index, or
 * its leftovers) is skipped.
 */
import fs from 'node:fs';
import { hostOf, nextFreeHost, POD_HOST_MIN, podNetworkPrefix } from './addresses.js';
import { readJson, writeJsonAtomic, type NodeLayout } from './layout.js';

export class PodIpAllocator {
  private readonly prefix: string;

  constructor(
    private readonly layout: NodeLayout,
    nodeIndex: number,
  ) {
    this.prefix = podNetworkPrefix(nodeIndex);
  }

  /** The pod's address: the recorded one, or a new free one. Throws when the /24 is full. */
  allocate(uid: string): string {
    const existing = this.layout.readSandbox(uid)?.ip;
    if (existing) return existing;
    const used = new Set<number>();
    for (const other of this.layout.podUids()) {
      const host = hostOf(this.layout.readSandbox(other)?.ip ?? '', this.prefix);
      if (host !== undefined) used.add(host);
    }
    for (const ip of listeningAddresses()) {
      const host = hostOf(ip, this.prefix);
      if (host !== undefined) used.add(host);
    }
    const last = readJson<{ last: number }>(this.layout.ipamFile)?.last ?? POD_HOST_MIN - 1;
    const host = nextFreeHost(used, last);
    if (host === undefined) throw new Error(`no free pod address left in ${this.prefix}.0/24`);
    writeJsonAtomic(this.layout.ipamFile, { last: host });
    return `${this.prefix}.${host}`;
  }
}

/** IPv4 addresses with a listening TCP socket, from /proc/net/tcp (empty where there is none). */
export function listeningAddresses(): Set<string> {
  const out = new Set<string>();
  let text = '';
  try {
    text = fs.readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // local_address is HEXIP:PORT with the IP in host (little-endian) order; state 0A is LISTEN.
    if (f[3] !== '0A' || !f[1]) continue;
    const hex = f[1].split(':')[0];
    out.add([6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.'));
  }
  return out;
}
