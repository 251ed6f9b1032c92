/**
 * Recovery from steady-state samples, as pure functions: the cluster is healthy in a sample when
 * the API answered, every Node was Ready, every Deployment had its declared replicas available
 * and (when traffic is measured) the LoadBalancer served every request of that sample's window
 * and at least one.
 */

/** One Deployment's replicas at the time of a sample. */
export interface DeploymentSample {
  /** `namespace/name`. */
  name: string;
  declared: number;
  available: number;
}

/** The steady state once a second. */
export interface Sample {
  /** Milliseconds after the start of the run. */
  atMs: number;
  /** Whether the apiserver answered the list of Deployments. */
  apiOk: boolean;
  deployments: DeploymentSample[];
  /** Nodes whose Ready condition was not True; absent when not sampled. */
  notReadyNodes?: string[];
  /** Requests finished since the previous sample; null when no Service is measured. */
  traffic: { ok: number; failed: number } | null;
}

/** Whether the cluster was in its steady state in `s`. */
export function isHealthy(s: Sample): boolean {
  if (!s.apiOk) return false;
  if (s.notReadyNodes?.length) return false;
  if (s.deployments.some((d) => d.available < d.declared)) return false;
  return s.traffic === null || (s.traffic.ok > 0 && s.traffic.failed === 0);
}

/** A fault's window: from its start to the start of the next fault (or the end of the run). */
export interface FaultWindow {
  startMs: number;
  /** When the fault stopped acting (SIGCONT sent, cut lifted); startMs for kill and restart. */
  endMs: number;
  /** The start of the next fault, or null for the last one. */
  untilMs: number | null;
}

/** How one fault went: whether the steady state broke, and when it was back for good. */
export interface Recovery {
  disrupted: boolean;
  /** Time from the fault's start until the first healthy sample after it ended from which on every sample of the window is healthy; null if not within the window. */
  recoveryMs: number | null;
}

/**
 * The recovery of the fault with window `w`, from `samples` in time order. A fault that broke
 * nothing visible still has a recovery time: until the first healthy sample after it ended.
 */
export function recoveryOf(w: FaultWindow, samples: readonly Sample[]): Recovery {
  // A sample taken at the very instant of the fault cannot show it: only later ones count.
  const inWindow = samples.filter((s) => s.atMs > w.startMs && (w.untilMs === null || s.atMs < w.untilMs));
  const disrupted = inWindow.some((s) => !isHealthy(s));
  let recoveredAt: number | null = null;
  for (const s of inWindow) {
    if (!isHealthy(s)) recoveredAt = null;
    else if (recoveredAt === null && s.atMs >= w.endMs) recoveredAt = s.atMs;
  }
  return { disrupted, recoveryMs: recoveredAt === null ? null : recoveredAt - w.startMs };
}

/**
 * True once the last `n` samples (and at least `n`) taken after `sinceMs` are all
 * healthy: the run can stop waiting for recovery.
 */
export function settled(samples: readonly Sample[], sinceMs: number, n: number): boolean {
  const after = samples.filter((s) => s.atMs > sinceMs);
  return after.length >= n && after.slice(-n).every(isHealthy);
}

/** Per Deployment, the fewest replicas available in any sample in which the API answered. */
export function minAvailable(samples: readonly Sample[]): Map<string, number> {
  const min = new Map<string, number>();
  for (const s of samples) {
    for (const d of s.deployments) min.set(d.name, Math.min(min.get(d.name) ?? Infinity, d.available));
  }
  return min;
}
