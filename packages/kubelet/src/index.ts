/**
 * @kubesim/kubelet: one process per worker node. It registers the Node, keeps its Lease, runs
 * the pods bound to it as real processes (or threads), and is the only writer of their status.
 */
export { Kubelet } from './kubelet.js';
export type { KubeletOptions } from './kubelet.js';
export { parseConfig, parseDuration, USAGE } from './config.js';
export type { KubeletConfig, BackoffSettings, RuntimeName } from './config.js';
export { nodeIndexFromName, nodeIP, podCIDR } from './addresses.js';
export { desiredNode, nodeConditions, microTime, KUBELET_VERSION } from './node.js';
export { LOG_SUBJECTS, logSubjects, LOG_KEEPALIVE_MS, LOG_STREAM_TIMEOUT_MS } from './log-protocol.js';
export type { LogRequest, LogFrame, LogReply, LogFollowReply } from './log-protocol.js';
export { computePodStatus, podPhase } from './status.js';
export type { ContainerView, ContainerNow, PodView } from './status.js';
export { killNodeContainers } from './runtime/cleanup.js';
export { findContainerProcesses } from './runtime/proc.js';
export type { FoundProcess } from './runtime/proc.js';
