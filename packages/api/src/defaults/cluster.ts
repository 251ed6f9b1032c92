/**
 * Defaulting of the remaining kinds: Namespace, Node, Secret, PersistentVolume,
 * PersistentVolumeClaim, StorageClass and HorizontalPodAutoscaler (v2 and v1).
 */
import { child, defaultPtr, defaultStr, isObj, unset, type Obj } from './json.js';

/**
 * The namespace label `kubernetes.io/metadata.name`, phase Active, and the `kubernetes`
 * finalizer the create strategy adds. The finalizer is only ever missing legitimately once the
 * namespace controller has finalized a namespace being deleted, so it is not re-added then.
 */
export function defaultNamespace(obj: Obj): void {
  const meta = child(obj, 'metadata', true);
  if (meta && typeof meta.name === 'string' && meta.name !== '') {
    const labels = child(meta, 'labels', true);
    if (labels) labels['kubernetes.io/metadata.name'] = meta.name;
  }
  const spec = child(obj, 'spec', true);
  if (spec && meta && unset(meta.deletionTimestamp)) {
    if (unset(spec.finalizers)) spec.finalizers = ['kubernetes'];
    else if (Array.isArray(spec.finalizers) && !spec.finalizers.includes('kubernetes')) spec.finalizers.push('kubernetes');
  }
  const status = child(obj, 'status', true);
  if (status) defaultStr(status, 'phase', 'Active');
}

/** SetDefaults_NodeStatus: allocatable is the capacity when not reported. */
export function defaultNode(obj: Obj): void {
  const status = child(obj, 'status');
  if (status && isObj(status.capacity) && unset(status.allocatable)) status.allocatable = { ...status.capacity };
}

/**
 * SetDefaults_Secret (type Opaque), and the v1 conversion's merge of the write-only
 * `stringData` into `data` (base64), which leaves no `stringData` behind.
 */
export function defaultSecret(obj: Obj): void {
  defaultStr(obj, 'type', 'Opaque');
  const stringData = obj.stringData;
  if (!isObj(stringData) || !(unset(obj.data) || isObj(obj.data))) return;
  const entries = Object.entries(stringData);
  if (entries.some(([, v]) => typeof v !== 'string')) return;
  const data = (obj.data ?? {}) as Obj;
  for (const [k, v] of entries) data[k] = Buffer.from(v as string).toString('base64');
  if (entries.length > 0) obj.data = data;
  delete obj.stringData;
}

/** SetDefaults_PersistentVolume: Retain, Filesystem, phase Pending. */
export function defaultPersistentVolume(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (spec) {
    defaultStr(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    defaultPtr(spec, 'volumeMode', 'Filesystem');
  }
  const status = child(obj, 'status', true);
  if (status) defaultStr(status, 'phase', 'Pending');
}

/** SetDefaults_PersistentVolumeClaim(Spec): Filesystem, phase Pending. */
export function defaultPersistentVolumeClaim(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (spec) defaultPtr(spec, 'volumeMode', 'Filesystem');
  const status = child(obj, 'status', true);
  if (status) defaultStr(status, 'phase', 'Pending');
}

/** SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function defaultStorageClass(obj: Obj): void {
  defaultPtr(obj, 'reclaimPolicy', 'Delete');
  defaultPtr(obj, 'volumeBindingMode', 'Immediate');
}

const SCALE_UP_DEFAULTS = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
// no scale-down stabilization window: the controller's command-line flag supplies it
const SCALE_DOWN_DEFAULTS = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/**
 * autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: minReplicas 1, a cpu 80% utilization
 * metric when there are none, and both behavior rules filled in when behavior is given.
 */
export function defaultHpaV2(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (!spec) return;
  defaultPtr(spec, 'minReplicas', 1);
  if (unset(spec.metrics) || (Array.isArray(spec.metrics) && spec.metrics.length === 0)) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  const behavior = child(spec, 'behavior');
  if (behavior) {
    behavior.scaleUp = withRuleDefaults(behavior.scaleUp, SCALE_UP_DEFAULTS);
    behavior.scaleDown = withRuleDefaults(behavior.scaleDown, SCALE_DOWN_DEFAULTS);
  }
}

/** copyHPAScalingRules: the given rule's set fields over a fresh copy of the defaults. */
function withRuleDefaults(given: unknown, defaults: Obj): unknown {
  if (!unset(given) && !isObj(given)) return given;
  const out: Obj = structuredClone(defaults);
  for (const [k, v] of Object.entries(given ?? {})) if (!unset(v)) out[k] = v;
  return out;
}

/** autoscaling/v1 SetDefaults_HorizontalPodAutoscaler: minReplicas 1. */
export function defaultHpaV1(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (spec) defaultPtr(spec, 'minReplicas', 1);
}
