/**
 * Timings and sizes of the controllers, with Kubernetes' defaults and a fast profile for tests
 * and demos (every wait scaled down, nothing about correctness changed).
 */

/** Every tunable of the controllers. */
export interface ControllerSettings {
  /** Unmet creation/deletion expectations count as met after this long (upstream 5 min). */
  expectationsTtlMs: number;
  /** Most pods one sync of a ReplicaSet or Job creates or deletes (upstream 500). */
  burstReplicas: number;
  /** First delay before replacing a failed Job pod, doubled per further failure (upstream 10 s)... */
  jobBackoffBaseMs: number;
  /** ...up to this (upstream 10 min). */
  jobBackoffMaxMs: number;
  /** How often a terminating namespace is checked again while content remains. */
  namespaceRecheckMs: number;
  /** How often the node lifecycle controller looks at every node (upstream 5 s). */
  nodeMonitorPeriodMs: number;
  /** A node whose kubelet posted nothing for this long turns Ready=Unknown (upstream 40 s). */
  nodeMonitorGracePeriodMs: number;
  /** ...and a node that never posted Ready, this long after it was first seen (upstream 60 s). */
  nodeStartupGracePeriodMs: number;
  /** How long an evicted pod may take to start terminating before a budget stops counting it (upstream DeletionTimeout, 2 min). */
  pdbDeletionTimeoutMs: number;
  /** Keys reconciled at once, per controller. */
  workers: {
    replicaset: number;
    deployment: number;
    job: number;
    namespace: number;
    garbagecollector: number;
  };
}

/** Kubernetes' values. */
export const DEFAULT_SETTINGS: ControllerSettings = {
  expectationsTtlMs: 5 * 60_000,
  burstReplicas: 500,
  jobBackoffBaseMs: 10_000,
  jobBackoffMaxMs: 10 * 60_000,
  namespaceRecheckMs: 2_000,
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  pdbDeletionTimeoutMs: 2 * 60_000,
  workers: { replicaset: 5, deployment: 5, job: 5, namespace: 5, garbagecollector: 20 },
};

/** `--profile fast`: the same behaviour with shorter waits. */
export const FAST_SETTINGS: ControllerSettings = {
  ...DEFAULT_SETTINGS,
  expectationsTtlMs: 30_000,
  jobBackoffBaseMs: 500,
  jobBackoffMaxMs: 10_000,
  namespaceRecheckMs: 200,
  nodeMonitorPeriodMs: 500,
  nodeMonitorGracePeriodMs: 4_000,
  nodeStartupGracePeriodMs: 8_000,
  pdbDeletionTimeoutMs: 10_000,
};

/** The settings of a profile. */
export function settingsFor(profile: 'default' | 'fast'): ControllerSettings {
  return profile === 'fast' ? FAST_SETTINGS : DEFAULT_SETTINGS;
}
