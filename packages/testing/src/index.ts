/**
 * @kubesim/testing: starts real nats-servers and kubesim processes for end-to-end suites.
 */
export { freePort, waitForPort } from './ports.js';
export { TestProcess, natsServerBinary } from './process.js';
export { NatsServer, ApiserverProcess, TestControlPlane, repoPath } from './cluster.js';
export type { ApiserverOptions } from './cluster.js';
export { TestCluster } from './full-cluster.js';
export type { TestClusterOptions } from './full-cluster.js';
export { eventually } from './eventually.js';
export type { PollOptions } from './eventually.js';
export { writeKubeconfig } from './kubeconfig.js';
export { LeaseCandidates, formatMsStats, pidOfIdentity } from './lease-candidates.js';
