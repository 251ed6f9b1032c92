/**
 * Backend selection for one listener: round robin, or sticky by client address
 * (`sessionAffinity: ClientIP`). Pure: time comes in as an argument.
 */

/** Where a connection can be forwarded: a pod (or a node's NodePort, for the load balancer). */
export interface Backend {
  host: string;
  port: number;
  /** The node the backend runs on, when known (for logs and `externalTrafficPolicy: Local`). */
  nodeName?: string;
}

/** `host:port`, the identity of a backend. */
export function backendKey(b: Pick<Backend, 'host' | 'port'>): string {
  return `${b.host}:${b.port}`;
}

interface Stickiness {
  key: string;
  lastUsed: number;
}

/** Expired affinity entries are swept at most this often. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Picks backends for new connections. {@link order} gives the order in which one connection
 * tries them (the first is the choice, the rest are fallbacks when a connect fails);
 * {@link remember} records where a client ended up, for affinity.
 */
export class BackendPicker {
  private backends: Backend[] = [];
  private next = 0;
  private affinityMs = 0;
  private readonly sticky = new Map<string, Stickiness>();
  private lastSweep = 0;

  /** `affinitySeconds` > 0 turns on ClientIP affinity with that idle timeout. */
  constructor(backends: readonly Backend[] = [], affinitySeconds = 0) {
    this.setBackends(backends);
    this.setAffinity(affinitySeconds);
  }

  /** Replaces the set. Clients stuck to a backend that is gone get a new one on their next connection. */
  setBackends(backends: readonly Backend[]): void {
    const seen = new Set<string>();
    this.backends = backends.filter((b) => {
      const k = backendKey(b);
      return seen.has(k) ? false : (seen.add(k), true);
    });
  }

  /** Seconds a client stays with its backend after its last connection; 0 turns affinity off. */
  setAffinity(seconds: number): void {
    this.affinityMs = seconds > 0 ? seconds * 1000 : 0;
    if (!this.affinityMs) this.sticky.clear();
  }

  get size(): number {
    return this.backends.length;
  }

  list(): readonly Backend[] {
    return this.backends;
  }

  has(key: string): boolean {
    return this.backends.some((b) => backendKey(b) === key);
  }

  /**
   * Every backend once, in the order a new connection from `clientIp` should try them: the
   * client's sticky backend first when affinity holds, else the next one in round-robin order.
   */
  order(clientIp: string, now: number): Backend[] {
    const n = this.backends.length;
    if (n === 0) return [];
    this.sweep(now);
    const start = this.next++ % n;
    if (this.next >= n) this.next = 0;
    const rotated = [...this.backends.slice(start), ...this.backends.slice(0, start)];
    const stuck = this.stickyBackend(clientIp, now);
    if (!stuck) return rotated;
    return [stuck, ...rotated.filter((b) => b !== stuck)];
  }

  /** Records that `clientIp` got connected to `backend` (refreshing its affinity timeout). */
  remember(clientIp: string, backend: Backend, now: number): void {
    if (this.affinityMs) this.sticky.set(clientIp, { key: backendKey(backend), lastUsed: now });
  }

  private stickyBackend(clientIp: string, now: number): Backend | undefined {
    if (!this.affinityMs) return undefined;
    const entry = this.sticky.get(clientIp);
    if (!entry) return undefined;
    if (now - entry.lastUsed > this.affinityMs) {
      this.sticky.delete(clientIp);
      return undefined;
    }
    return this.backends.find((b) => backendKey(b) === entry.key);
  }

  private sweep(now: number): void {
    if (!this.affinityMs || now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [ip, entry] of this.sticky) if (now - entry.lastUsed > this.affinityMs) this.sticky.delete(ip);
  }
}
