/**
 * Storage validation: PersistentVolume, PersistentVolumeClaim (immutable spec but for a bound
 * claim's storage request and the binder's volumeName) and StorageClass.
 */
import type { FieldError } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec } from '../types/core.js';
import type { StorageClass } from '../types/storage.js';
import { validateQuantityValue } from './container.js';
import { child, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, index } from './errors.js';
import { semanticEqual, validateImmutable, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Subdomain, isQualifiedName } from './names.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = ['hostPath', 'local', 'nfs', 'csi'] as const;

function validateAccessModes(modes: string[] | undefined, path: string, detail?: string): FieldError[] {
  const errs: FieldError[] = [];
  if ((modes ?? []).length === 0) errs.push(fieldRequired(path, detail));
  for (const mode of modes ?? []) if (!ACCESS_MODES.includes(mode)) errs.push(fieldNotSupported(path, mode, ACCESS_MODES));
  if ((modes ?? []).includes('ReadWriteOncePod') && (modes ?? []).length > 1) {
    errs.push(fieldForbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

/** A quantity that must be positive (`must be greater than zero`). */
function validatePositiveQuantity(raw: string | number, path: string, errs: FieldError[]): void {
  const before = errs.length;
  const q = validateQuantityValue('storage', raw, path, errs);
  if (q !== undefined && q <= 0 && errs.length === before) errs.push(fieldInvalid(path, String(raw), 'must be greater than zero'));
}

/** ValidatePersistentVolume, and with `old` its update rules (volume source and mode fixed). */
export function validatePersistentVolume(pv: PersistentVolume, old?: PersistentVolume): FieldError[] {
  const errs = validateObjectMeta(pv.metadata, isDNS1123Subdomain, false);
  const spec = pv.spec ?? {};
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes'));
  const capacity = spec.capacity ?? {};
  if (Object.keys(capacity).length === 0) errs.push(fieldRequired('spec.capacity'));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(fieldNotSupported('spec.capacity', capacity, ['storage']));
  for (const [name, raw] of Object.entries(capacity)) validatePositiveQuantity(raw, index('spec.capacity', name), errs);
  if (spec.storageClassName) {
    for (const msg of isDNS1123Subdomain(spec.storageClassName)) errs.push(fieldInvalid('spec.storageClassName', spec.storageClassName, msg));
  }
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(fieldNotSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !RECLAIM_POLICIES.includes(policy)) errs.push(fieldNotSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  errs.push(...validatePvSource(spec));
  if (old) {
    errs.push(...validateObjectMetaUpdate(pv.metadata, old.metadata));
    const was = old.spec ?? {};
    const source = (s: PersistentVolumeSpec) => Object.fromEntries(PV_SOURCES.map((k) => [k, s[k]]));
    if (!semanticEqual(source(spec), source(was))) {
      errs.push(fieldForbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
    }
    errs.push(...validateImmutable(spec.volumeMode, was.volumeMode, 'volumeMode'));
    if (was.nodeAffinity) errs.push(...validateImmutable(spec.nodeAffinity, was.nodeAffinity, 'nodeAffinity'));
  }
  return errs;
}

function validatePvSource(spec: PersistentVolumeSpec): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const key of PV_SOURCES) {
    const source = spec[key];
    if (source === undefined) continue;
    const p = child('spec', key);
    if (count++ > 0) {
      errs.push(fieldForbidden(p, 'may not specify more than 1 volume type'));
      continue;
    }
    if (key === 'hostPath' || key === 'local') {
      const path = (source as { path?: string }).path;
      if (!path) errs.push(fieldRequired(child(p, 'path')));
      else if (path.split('/').includes('..')) errs.push(fieldInvalid(child(p, 'path'), path, "must not contain '..'"));
      if (key === 'local' && !spec.nodeAffinity) errs.push(fieldRequired('spec.nodeAffinity', 'Local volume requires node affinity'));
    } else if (key === 'nfs' && spec.nfs) {
      if (!spec.nfs.server) errs.push(fieldRequired(child(p, 'server')));
      if (!spec.nfs.path) errs.push(fieldRequired(child(p, 'path')));
      else if (!spec.nfs.path.startsWith('/')) errs.push(fieldInvalid(child(p, 'path'), spec.nfs.path, 'must be an absolute path'));
    }
  }
  if (count === 0) errs.push(fieldRequired('spec', 'must specify a volume type'));
  return errs;
}

/** ValidatePersistentVolumeClaim, and with `old` ValidatePersistentVolumeClaimUpdate. */
export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim, old?: PersistentVolumeClaim): FieldError[] {
  const errs = validateObjectMeta(pvc.metadata, isDNS1123Subdomain, true);
  const spec = pvc.spec ?? {};
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', 'at least 1 access mode is required'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const storage = spec.resources?.requests?.storage;
  // Kubernetes names this path without `requests`
  if (storage === undefined) errs.push(fieldRequired('spec.resources[storage]'));
  else validatePositiveQuantity(storage, 'spec.resources[storage]', errs);
  if (spec.storageClassName) {
    for (const msg of isDNS1123Subdomain(spec.storageClassName)) errs.push(fieldInvalid('spec.storageClassName', spec.storageClassName, msg));
  }
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(fieldNotSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (old) {
    errs.push(...validateObjectMetaUpdate(pvc.metadata, old.metadata));
    errs.push(...validatePvcUpdate(pvc, old));
  }
  return errs;
}

function validatePvcUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = [];
  const next: PersistentVolumeClaimSpec = structuredClone(pvc.spec ?? {});
  const was: PersistentVolumeClaimSpec = structuredClone(old.spec ?? {});
  // the volume binder sets volumeName once
  if (!was.volumeName) was.volumeName = next.volumeName;
  if (pvc.status?.phase === 'Bound' && next.resources?.requests) {
    next.resources.requests.storage = was.resources?.requests?.storage as string;
  }
  next.volumeAttributesClassName = was.volumeAttributesClassName;
  if (!semanticEqual(next, was)) {
    errs.push(fieldForbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const newSize = parseQuantity(pvc.spec?.resources?.requests?.storage ?? 0) ?? 0;
  const oldSize = parseQuantity(old.spec?.resources?.requests?.storage ?? 0) ?? 0;
  const statusSize = parseQuantity(old.status?.capacity?.storage ?? 0) ?? 0;
  if (newSize < oldSize && newSize <= statusSize) {
    errs.push(fieldForbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  errs.push(...validateImmutable(pvc.spec?.volumeMode, old.spec?.volumeMode, 'volumeMode'));
  return errs;
}

/** ValidateStorageClass, and with `old` ValidateStorageClassUpdate. */
export function validateStorageClass(sc: StorageClass, old?: StorageClass): FieldError[] {
  const errs = validateObjectMeta(sc.metadata, isDNS1123Subdomain, false);
  if (!sc.provisioner) errs.push(fieldRequired('provisioner'));
  else for (const msg of isQualifiedName(sc.provisioner.toLowerCase())) errs.push(fieldInvalid('provisioner', sc.provisioner, msg));
  const params = Object.keys(sc.parameters ?? {});
  if (params.length > 512) errs.push(fieldInvalid('parameters', params.length, 'can have at most 512 parameters'));
  if (params.some((k) => k === '')) errs.push(fieldInvalid('parameters', sc.parameters, 'key may not be empty'));
  if (sc.reclaimPolicy && !['Delete', 'Retain'].includes(sc.reclaimPolicy)) errs.push(fieldNotSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  if (sc.volumeBindingMode !== undefined && !['Immediate', 'WaitForFirstConsumer'].includes(sc.volumeBindingMode)) {
    errs.push(fieldNotSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  }
  if (old) {
    errs.push(...validateObjectMetaUpdate(sc.metadata, old.metadata));
    if (!semanticEqual(sc.parameters, old.parameters)) errs.push(fieldForbidden('parameters', 'updates to parameters are forbidden.'));
    if (sc.provisioner !== old.provisioner) errs.push(fieldForbidden('provisioner', 'updates to provisioner are forbidden.'));
    if ((sc.reclaimPolicy ?? 'Delete') !== (old.reclaimPolicy ?? 'Delete')) errs.push(fieldForbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    errs.push(...validateImmutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  }
  return errs;
}
