/**
 * ClusterIP and NodePort allocation for Services, from what the cache says is taken. The
 * allocator runs inside the apiserver's serialized create path for Services, so two creates
 * on one apiserver never get the same address.
 */
import { InvalidError, type KubeObject } from '@kubesim/api';

export interface ServiceRanges {
  /** First three-octet base and size: 127.128.0.0/16 by default. */
  clusterIpBase: [number, number];
  nodePortMin: number;
  nodePortMax: number;
}

export const DEFAULT_RANGES: ServiceRanges = { clusterIpBase: [127, 128], nodePortMin: 30000, nodePortMax: 32767 };

type Svc = KubeObject & { spec?: any };

/** Picks a free ClusterIP, or checks a requested one. Returns the address. */
export function allocateClusterIp(requested: string | undefined, existing: Svc[], ranges = DEFAULT_RANGES): string {
  const taken = new Set(existing.map((s) => s.spec?.clusterIP).filter(Boolean));
  const [a, b] = ranges.clusterIpBase;
  if (requested) {
    if (!requested.startsWith(`${a}.${b}.`)) {
      throw invalid('spec.clusterIP', requested, `provided IP is not in the valid range. The range of valid IPs is ${a}.${b}.0.0/16`);
    }
    if (taken.has(requested)) throw invalid('spec.clusterIP', requested, 'provided IP is already allocated');
    return requested;
  }
  // .0.1 is the kubernetes Service's by convention; start at a random offset to spread.
  const size = 256 * 256 - 2;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const n = ((start + i) % size) + 2;
    const ip = `${a}.${b}.${n >> 8}.${n & 255}`;
    if ((n & 255) !== 0 && (n & 255) !== 255 && !taken.has(ip)) return ip;
  }
  throw new InvalidError('Internal error occurred: failed to allocate a serviceIP: range is full');
}

/** Fills nodePort on each port of a NodePort/LoadBalancer Service, checking requested ones. */
export function allocateNodePorts(ports: any[], existing: Svc[], ownName: string | undefined, ranges = DEFAULT_RANGES): void {
  const taken = new Set<number>();
  for (const s of existing) {
    if (s.metadata.name === ownName) continue;
    for (const p of s.spec?.ports ?? []) if (p.nodePort) taken.add(p.nodePort);
  }
  ports.forEach((p, i) => {
    if (p.nodePort) {
      if (p.nodePort < ranges.nodePortMin || p.nodePort > ranges.nodePortMax) {
        throw invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${ranges.nodePortMin}-${ranges.nodePortMax}`);
      }
      if (taken.has(p.nodePort)) throw invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated');
      taken.add(p.nodePort);
      return;
    }
    const size = ranges.nodePortMax - ranges.nodePortMin + 1;
    const start = Math.floor(Math.random() * size);
    for (let k = 0; k < size; k++) {
      const port = ranges.nodePortMin + ((start + k) % size);
      if (!taken.has(port)) {
        p.nodePort = port;
        taken.add(port);
        return;
      }
    }
    throw new InvalidError('Internal error occurred: failed to allocate a nodePort: range is full');
  });
}

function invalid(field: string, value: unknown, detail: string): InvalidError {
  const message = `Invalid value: ${JSON.stringify(value)}: ${detail}`;
  return new InvalidError(`Service is invalid: ${field}: ${message}`, {
    kind: 'Service',
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });
}
