/**
 * Validation per kind, as the Kubernetes apiserver does it: every problem found, each with its
 * JSON field path and Kubernetes' reason and wording. Input is arbitrary JSON: values of the
 * wrong JSON type are reported (FieldValueInvalid) and the rules then run on the rest.
 */
import { hpaV1ToV2 } from '../conversion.js';
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import type { ResourceInfo } from '../resources.js';
import type { HorizontalPodAutoscalerV1 } from '../types/autoscaling.js';
import { validateHpa, validatePdb } from './autoscaling.js';
import { validateEndpointSlice } from './discovery.js';
import { validateConfigMap, validateEvent, validateLease, validateNamespace, validateNode, validateSecret, validateServiceAccount } from './cluster.js';
import { fieldInvalid } from './errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Subdomain } from './names.js';
import { validatePod } from './pod-update.js';
import { SHAPES } from './schemas.js';
import { validateEndpoints, validateService } from './service.js';
import { checkShape } from './shape.js';
import { validatePersistentVolume, validatePersistentVolumeClaim, validateStorageClass } from './storage.js';
import { validateDeployment, validateJob, validateReplicaSet } from './workloads.js';

// Each validator receives objects whose JSON types are already checked.
type Validator = (obj: any, old?: any) => FieldError[];

const toV2 = (o: unknown) => (o ? hpaV1ToV2(o as HorizontalPodAutoscalerV1) : undefined);

/** Keyed by `group/version/kind`; the core group is "". */
const VALIDATORS: Record<string, Validator> = {
  '/v1/Namespace': validateNamespace,
  '/v1/Node': validateNode,
  '/v1/Pod': validatePod,
  '/v1/Service': validateService,
  '/v1/Endpoints': validateEndpoints,
  '/v1/Event': validateEvent,
  '/v1/ConfigMap': validateConfigMap,
  '/v1/Secret': validateSecret,
  '/v1/ServiceAccount': validateServiceAccount,
  '/v1/PersistentVolume': validatePersistentVolume,
  '/v1/PersistentVolumeClaim': validatePersistentVolumeClaim,
  'apps/v1/Deployment': validateDeployment,
  'apps/v1/ReplicaSet': validateReplicaSet,
  'batch/v1/Job': validateJob,
  'coordination.k8s.io/v1/Lease': validateLease,
  'storage.k8s.io/v1/StorageClass': validateStorageClass,
  'autoscaling/v2/HorizontalPodAutoscaler': validateHpa,
  // Kubernetes validates the internal (v2-shaped) object, so v1 problems carry v2 paths
  'autoscaling/v1/HorizontalPodAutoscaler': (obj, old) => validateHpa(toV2(obj)!, toV2(old)),
  'policy/v1/PodDisruptionBudget': validatePdb,
  'discovery.k8s.io/v1/EndpointSlice': validateEndpointSlice,
};

/**
 * Validates `obj`, an object of the kind served at `info`, expected to be defaulted already
 * (fields defaulting fills are checked only when present). With `old`, also the update rules:
 * immutable fields and the kind's update restrictions. Returns every problem found, type
 * problems first; never throws, whatever JSON it is given. Kinds without rules of their own get
 * the metadata checks.
 */
export function validateObject(info: ResourceInfo, obj: KubeObject, old?: KubeObject): FieldError[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [fieldInvalid('', obj, 'must be of type object')];
  const key = `${info.group}/${info.version}/${info.kind}`;
  const shape = SHAPES[key];
  const typeErrors: FieldError[] = [];
  const clean = shape ? checkShape(obj, shape, '', typeErrors) : obj;
  const cleanOld = old && shape ? checkShape(old, shape, '', []) : old;
  const validator = VALIDATORS[key] ?? genericValidator(info);
  // a mistyped value was removed; what the rules then say about it or inside it is noise
  const rest = validator(clean, cleanOld).filter((e) => !typeErrors.some((t) => covers(t.field, e.field)));
  return [...typeErrors, ...rest];
}

function genericValidator(info: ResourceInfo): Validator {
  return (obj: KubeObject, old?: KubeObject) => {
    const errs = validateObjectMeta(obj.metadata, isDNS1123Subdomain, info.namespaced);
    if (old) errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
    return errs;
  };
}

function covers(prefix: string, field: string): boolean {
  return field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
}

export {
  fieldDuplicate,
  fieldForbidden,
  fieldImmutable,
  fieldInvalid,
  fieldNotFound,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  formatValue,
} from './errors.js';
export {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from './names.js';
