/**
 * Timers of the proxies and the load balancer: Kubernetes-like defaults and the fast profile
 * for tests and demos.
 */

export type Profile = 'default' | 'fast';

export interface TrafficSettings {
  /** How long a connect to one backend may take before the next backend is tried. */
  connectTimeoutMs: number;
  /** Period of the load balancer's health checks of each node. */
  healthCheckIntervalMs: number;
  /** How long one health check may take; a slower answer counts as a failure. */
  healthCheckTimeoutMs: number;
  /** Consecutive failed checks that take a node out. */
  unhealthyThreshold: number;
  /** Consecutive successful checks that bring a node back. */
  healthyThreshold: number;
  /** How long a stopping process lets open connections finish before it cuts them. */
  shutdownDrainMs: number;
}

const DEFAULT_SETTINGS: TrafficSettings = {
  connectTimeoutMs: 1000,
  healthCheckIntervalMs: 1000,
  healthCheckTimeoutMs: 800,
  unhealthyThreshold: 2,
  healthyThreshold: 2,
  shutdownDrainMs: 5000,
};

const FAST_SETTINGS: TrafficSettings = {
  connectTimeoutMs: 300,
  healthCheckIntervalMs: 500,
  healthCheckTimeoutMs: 300,
  unhealthyThreshold: 2,
  healthyThreshold: 2,
  shutdownDrainMs: 1000,
};

/** The settings of a profile. */
export function settingsFor(profile: Profile): TrafficSettings {
  return { ...(profile === 'fast' ? FAST_SETTINGS : DEFAULT_SETTINGS) };
}

/** kube-proxy's healthz port, which load balancers check on every node. */
export const PROXY_HEALTHZ_PORT = 10256;
