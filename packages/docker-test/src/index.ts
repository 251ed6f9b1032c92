/**
 * @kubesim/docker-test: helpers of the docker suite (the compose cluster, the CLIs it drives).
 */
export { ComposeCluster } from './compose-cluster.js';
export type { ComposeClusterOptions } from './compose-cluster.js';
export { composeCommand, run, succeeds } from './run.js';
export type { RunOptions } from './run.js';
