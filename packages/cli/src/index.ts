/**
 * @kubesim/cli: the `kubesim` command (src/main.ts) and the pieces it is built from, for other
 * tools that run a cluster: the supervisor, the component registry and the data-dir layout.
 */
export { Supervisor, abortOnSignals } from './supervisor.js';
export type { SupervisorConfig } from './supervisor.js';
export { componentsFor, findNatsServer } from './components.js';
export type { ComponentSpec, ComponentContext, MissingComponent } from './components.js';
export type { HealthCheck } from './health.js';
export { checkHealth } from './health.js';
export { DEFAULT_BACKOFF, restartDelay } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { settingsFromFlags, settingsToArgs, clusterPaths, connectHost } from './settings.js';
export type { ClusterSettings, ClusterPaths, Profile, SettingsFlags } from './settings.js';
export { natsConfig, kubeconfig, apiserverUrl, natsUrl, writeClusterFiles } from './cluster-files.js';
export { readState, writeState } from './state.js';
export type { ClusterState, ComponentState, ComponentPhase } from './state.js';
export { stopCluster } from './stop.js';
export type { StoppedProcess } from './stop.js';
export { formatDuration, formatTable } from './format.js';
export { tailLines } from './tail.js';
export { runChaos, ChaosSetupError } from './chaos/run.js';
export { parseChaosArgs } from './chaos/options.js';
export type { ChaosOptions } from './chaos/options.js';
export { buildReport, formatReport } from './chaos/report.js';
export type { ChaosReport, FaultRecord, FaultResult, RunRecord } from './chaos/report.js';
export { parseTarget, formatTarget, TARGET_KINDS } from './chaos/target.js';
export type { Target, TargetKind } from './chaos/target.js';
export { planFaults, actionsFor, FAULT_ACTIONS } from './chaos/schedule.js';
export type { FaultAction, PlannedFault, ScheduleSpec } from './chaos/schedule.js';
export { SeededRandom } from './chaos/rng.js';
export { parseDuration } from './chaos/duration.js';
export { isHealthy, recoveryOf, settled } from './chaos/recovery.js';
export type { Sample, DeploymentSample, FaultWindow, Recovery } from './chaos/recovery.js';
export { TrafficLoop, getOnce, formatRate } from './chaos/traffic.js';
export type { TrafficResult, TrafficOptions, TrafficWindow } from './chaos/traffic.js';
export { NatsRelay, writeCutFile, readCutFile } from './chaos/relay.js';
export type { NatsRelayConfig } from './chaos/relay.js';
