/**
 * Defaulting as the Kubernetes apiserver does it, per kind: the SetDefaults_* functions of
 * each API version, plus the create-strategy and admission-plugin fields a stock apiserver
 * fills in (pod status and QoS class, service account, priority, default tolerations, the
 * Job's generated selector, the namespace finalizer).
 */
import type { KubeObject } from '../meta.js';
import type { ResourceInfo } from '../resources.js';
import {
  defaultHpaV1,
  defaultHpaV2,
  defaultNamespace,
  defaultNode,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultSecret,
  defaultStorageClass,
} from './cluster.js';
import { defaultEndpointSlice } from './discovery.js';
import { isObj, type Obj } from './json.js';
import { defaultPod } from './pod.js';
import { defaultEndpoints, defaultService } from './service.js';
import { defaultDeployment, defaultJob, defaultReplicaSet } from './workloads.js';

/** Cluster settings some defaults depend on (the admission plugins' flags). */
export interface DefaultingOptions {
  /**
   * tolerationSeconds of the not-ready and unreachable NoExecute tolerations added to every pod
   * (kube-apiserver's --default-not-ready/unreachable-toleration-seconds, 300 by default).
   */
  defaultTolerationSeconds?: number;
}

type Defaulter = (obj: Obj, options: DefaultingOptions) => void;

/** Keyed by `group/version/kind`; the core group is "". */
const DEFAULTERS: Record<string, Defaulter> = {
  '/v1/Namespace': defaultNamespace,
  '/v1/Node': defaultNode,
  '/v1/Pod': (pod, options) => defaultPod(pod, options.defaultTolerationSeconds),
  '/v1/Service': defaultService,
  '/v1/Endpoints': defaultEndpoints,
  '/v1/Secret': defaultSecret,
  '/v1/PersistentVolume': defaultPersistentVolume,
  '/v1/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  'apps/v1/Deployment': defaultDeployment,
  'apps/v1/ReplicaSet': defaultReplicaSet,
  'batch/v1/Job': defaultJob,
  'storage.k8s.io/v1/StorageClass': defaultStorageClass,
  'autoscaling/v2/HorizontalPodAutoscaler': defaultHpaV2,
  'autoscaling/v1/HorizontalPodAutoscaler': defaultHpaV1,
  'discovery.k8s.io/v1/EndpointSlice': defaultEndpointSlice,
};

/**
 * Fills in every defaulted field of `obj`, an object of the kind served at `info` (its group,
 * version and kind pick the rules). Mutates in place; never throws, whatever JSON it is given:
 * fields of the wrong type are left for validation to report. Only fields that are absent (or
 * empty, where Kubernetes treats empty as unset) are filled, so running it again, or on an
 * update, changes nothing that is already set. Kinds without defaults are left untouched.
 */
export function defaultObject(info: ResourceInfo, obj: KubeObject, options: DefaultingOptions = {}): void {
  if (!isObj(obj)) return;
  DEFAULTERS[`${info.group}/${info.version}/${info.kind}`]?.(obj as unknown as Obj, options);
}

export { podQOSClass } from './qos.js';
export type { PodQOSClass } from './qos.js';
