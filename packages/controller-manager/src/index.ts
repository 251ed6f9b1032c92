/**
 * @kubesim/controller-manager: Kubernetes' core controllers in one process.
 */
export { ControllerManager } from './controller-manager.js';
export type { ControllerManagerOptions } from './controller-manager.js';
export { parseConfig, USAGE } from './config.js';
export type { ControllerManagerConfig } from './config.js';
export { DEFAULT_SETTINGS, FAST_SETTINGS, settingsFor } from './settings.js';
export type { ControllerSettings } from './settings.js';
export { SharedInformerFactory, OWNER_UID_INDEX, UID_INDEX } from './informers.js';
export type { SharedInformerFactoryOptions } from './informers.js';
export { CONTROLLERS, selectControllers } from './controllers/index.js';
export type { ControllerContext, ManagedController } from './controllers/context.js';
export { ReplicaSetController } from './controllers/replicaset.js';
export { DeploymentController } from './controllers/deployment.js';
export { GarbageCollector, GC_RESOURCES } from './controllers/garbage-collector.js';
export { JobController } from './controllers/job.js';
export { NamespaceController, KUBERNETES_FINALIZER } from './controllers/namespace.js';
export { NodeLifecycleController } from './controllers/node-lifecycle.js';
export { DisruptionController } from './controllers/disruption.js';
export { EndpointsController } from './controllers/endpoints.js';
export { EndpointSliceController } from './controllers/endpointslice.js';
export { POD_TEMPLATE_HASH_LABEL, computeHash } from './template-hash.js';
export { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, CHANGE_CAUSE_ANNOTATION } from './revisions.js';
export { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './rollout-math.js';
