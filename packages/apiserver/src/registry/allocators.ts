/**
 * ClusterIP and NodePort choice for Services, from what the cache says is taken (plus what the
 * caller already found claimed). The choice is only a proposal: admission then claims it in the
 * AllocationLedger, which settles races between creates on one apiserver or several.
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
export function allocateClusterIp(requested: string | undefined, existing: Svc[], ranges = DEFAULT_RANGES, alsoTaken: ReadonlySet<string> = new Set()): string {
  const taken = new Set([...existing.map((s) => s.spec?.clusterIP).filter(Boolean), ...alsoTaken]);
  const [a, b] = ranges.clusterIpBase;
  if (requested) {
    if (!requested.startsWith(`${a}.${b}.`)) {
      throw invalid('spec.clusterIP', requested, `provided IP is not in the valid range. The range of valid IPs is ${a}.${b}.0.0/16`);
    }
    if (taken.has(requested)) throw alreadyAllocated('spec.clusterIP', requested);
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
export function allocateNodePorts(ports: any[], existing: Svc[], ownName: string | undefined, ranges = DEFAULT_RANGES, alsoTaken: ReadonlySet<number> = new Set()): void {
  const taken = new Set<number>(alsoTaken);
  for (const s of existing) {
    if (s.metadata.name === ownName) continue;
    for (const p of s.spec?.ports ?? []) if (p.nodePort) taken.add(p.nodePort);
  }
  ports.forEach((p, i) => {
    if (p.nodePort) {
      if (p.nodePort < ranges.nodePortMin || p.nodePort > ranges.nodePortMax) {
        throw invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${ranges.nodePortMin}-${ranges.nodePortMax}`);
      }
      if (taken.has(p.nodePort)) throw alreadyAllocated(`spec.ports[${i}].nodePort`, p.nodePort);
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

/** The 422 for a requested address that is already in use. */
export function alreadyAllocated(field: string, value: unknown): InvalidError {
  return invalid(field, value, `provided ${typeof value === 'number' ? 'port' : 'IP'} is already allocated`);
}

function invalid(field: string, value: unknown, detail: string): InvalidError {
  const message = `Invalid value: ${JSON.stringify(value)}: ${detail}`;
  return new InvalidError(`Service is invalid: ${field}: ${message}`, {
    kind: 'Service',
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });
}
