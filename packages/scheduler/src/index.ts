/**
 * @kubesim/scheduler: the kube-scheduler of kubesim. `Scheduler` is the component; the rest is
 * its framework (plugins, cache, queue), usable on its own, e.g. by benchmarks.
 */
export { Scheduler } from './scheduler.js';
export type { SchedulerOptions } from './scheduler.js';
export { parseConfig, profileConfig, configProblems, DEFAULTS, USAGE } from './config.js';
export type { SchedulerConfig } from './config.js';
export { SchedulingAlgorithm, numFeasibleNodesToFind, selectHost } from './algorithm.js';
export type { ScheduleResult, AlgorithmOptions } from './algorithm.js';
export { SchedulerCache, occupiesNode } from './cache.js';
export type { Snapshot, PodChange } from './cache.js';
export { NodeInfo } from './node-info.js';
export { newPodInfo, podMatchesTerm } from './pod-info.js';
export type { PodInfo, AffinityTerm } from './pod-info.js';
export { SchedulingQueue } from './queue.js';
export type { QueuedPod, SchedulingQueueOptions, QueueLocation } from './queue.js';
export { MAX_NODE_SCORE, CycleState, unschedulable, unresolvable, defaultNormalizeScore } from './framework.js';
export type { StatusCode, FilterStatus, FilterPlugin, ScorePlugin, PostFilterPlugin, Profile, Diagnosis } from './framework.js';
export { fitErrorMessage, NO_NODES_AVAILABLE } from './fit-error.js';
export { podRequests, nodeAllocatable, toAmount, isSchedulableResource } from './resources.js';
export type { ResourceAmounts } from './resources.js';
export { needsScheduling, DEFAULT_SCHEDULER_NAME } from './cluster-events.js';
export { seededRandom } from './random.js';
export type { Random } from './random.js';
export {
  DEFAULT_PROFILE,
  NodeUnschedulable,
  TaintToleration,
  NodeReady,
  NodeAffinity,
  NodeResourcesFit,
  InterPodAffinity,
  NodeResourcesBalancedAllocation,
  SelectorSpread,
  DefaultPreemption,
} from './plugins/index.js';
