/**
 * Pod spec validation as Kubernetes' ValidatePodSpec does it (volumes, containers, policies,
 * tolerations, names), and pod templates (ValidatePodTemplateSpec).
 */
import type { FieldError } from '../errors.js';
import type { PodSpec, PodTemplateSpec, Toleration, Volume } from '../types/core.js';
import { validateContainers, validateFieldSelector, validateLocalDescendingPath, validateQuantityValue } from './container.js';
import { child, fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, index } from './errors.js';
import { validateAnnotations, validateLabels } from './meta.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const FILE_MODE_MESSAGE = 'must be a number between 0 and 0777 (octal), both inclusive';
const MAX_INT32 = 2147483647;

/** Every VolumeSource member, in the order Kubernetes counts them. */
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap',
  'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO',
  'csi', 'ephemeral', 'image',
] as const;

/** What kind of object carries the spec: a Pod checks a little more than a template. */
export interface PodSpecOptions {
  isPod: boolean;
}

/** ValidatePodTemplateSpec: template labels and annotations, then the pod spec. */
export function validatePodTemplate(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  // Kubernetes reports template labels one level up, at `<template>.labels`
  errs.push(...validateLabels(template?.metadata?.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(template?.metadata?.annotations, child(path, 'annotations')));
  errs.push(...validatePodSpec(template?.spec ?? { containers: [] }, child(path, 'spec'), { isPod: false }));
  return errs;
}

/** ValidatePodSpec: returns every problem of the spec at `path`. */
export function validatePodSpec(spec: PodSpec, path: string, opts: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  const volumes = validateVolumes(spec.volumes ?? [], child(path, 'volumes'), errs);
  const names = new Set<string>();
  const gracePeriod = spec.terminationGracePeriodSeconds;
  errs.push(...validateContainers(spec.containers, child(path, 'containers'), { volumes, isPod: opts.isPod, init: false, gracePeriod }, names));
  errs.push(...validateContainers(spec.initContainers, child(path, 'initContainers'), { volumes, isPod: opts.isPod, init: true, gracePeriod }, names));
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(fieldNotSupported(child(path, 'restartPolicy'), spec.restartPolicy, RESTART_POLICIES));
  }
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy)) {
    errs.push(fieldNotSupported(child(path, 'dnsPolicy'), spec.dnsPolicy, DNS_POLICIES));
  }
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validateNames(spec, path));
  if (spec.activeDeadlineSeconds !== undefined && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(fieldInvalid(child(path, 'activeDeadlineSeconds'), spec.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...validateTolerations(spec.tolerations ?? [], child(path, 'tolerations')));
  (spec.readinessGates ?? []).forEach((gate, i) => {
    const p = child(index(child(path, 'readinessGates'), i), 'conditionType');
    for (const msg of isQualifiedName(gate.conditionType ?? '')) errs.push(fieldInvalid(p, gate.conditionType ?? '', msg));
  });
  if (spec.preemptionPolicy !== undefined && !['Never', 'PreemptLowerPriority'].includes(spec.preemptionPolicy)) {
    errs.push(fieldNotSupported(child(path, 'preemptionPolicy'), spec.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  errs.push(...validateTopologySpread(spec, child(path, 'topologySpreadConstraints')));
  return errs;
}

function validateNames(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const check = (value: string | undefined, key: string, fn: (v: string) => string[]) => {
    if (value) for (const msg of fn(value)) errs.push(fieldInvalid(child(path, key), value, msg));
  };
  check(spec.serviceAccountName, 'serviceAccountName', isDNS1123Subdomain);
  check(spec.nodeName, 'nodeName', isDNS1123Subdomain);
  check(spec.hostname, 'hostname', isDNS1123Label);
  check(spec.subdomain, 'subdomain', isDNS1123Label);
  check(spec.priorityClassName, 'priorityClassName', isDNS1123Subdomain);
  return errs;
}

/** ValidateVolumes: returns the names of the valid volumes, which mounts may refer to. */
function validateVolumes(volumes: Volume[], path: string, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  volumes.forEach((vol, i) => {
    const p = index(path, i);
    const el = validateVolumeSource(vol, p);
    if (!vol.name) el.push(fieldRequired(child(p, 'name')));
    else for (const msg of isDNS1123Label(vol.name)) el.push(fieldInvalid(child(p, 'name'), vol.name, msg));
    if (names.has(vol.name ?? '')) el.push(fieldDuplicate(child(p, 'name'), vol.name ?? ''));
    if (el.length === 0) names.add(vol.name);
    errs.push(...el);
  });
  return names;
}

function validateVolumeSource(vol: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const raw = vol as unknown as Record<string, unknown>;
  let count = 0;
  for (const key of VOLUME_SOURCES) {
    if (raw[key] === undefined) continue;
    if (count > 0) {
      errs.push(fieldForbidden(child(path, key), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateOneSource(vol, key, child(path, key)));
  }
  if (count === 0) errs.push(fieldRequired(path, 'must specify a volume type'));
  return errs;
}

function validateOneSource(vol: Volume, key: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mode = (value: number | undefined, p: string) => {
    if (value !== undefined && (value < 0 || value > 0o777)) errs.push(fieldInvalid(p, value, FILE_MODE_MESSAGE));
  };
  const itemsOf = (items: { key: string; path: string; mode?: number }[] | undefined, p: string) =>
    (items ?? []).forEach((item, i) => {
      const ip = index(child(p, 'items'), i);
      if (!item.key) errs.push(fieldRequired(child(ip, 'key')));
      if (!item.path) errs.push(fieldRequired(child(ip, 'path')));
      else errs.push(...validateLocalDescendingPath(item.path, child(ip, 'path')));
      mode(item.mode, child(ip, 'mode'));
    });
  if (key === 'emptyDir' && vol.emptyDir?.sizeLimit !== undefined) {
    const before = errs.length;
    const q = validateQuantityValue('', vol.emptyDir.sizeLimit, child(path, 'sizeLimit'), errs);
    if (q !== undefined && q < 0) errs.splice(before, errs.length - before, fieldForbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
  } else if (key === 'hostPath' && vol.hostPath) {
    if (!vol.hostPath.path) errs.push(fieldRequired(child(path, 'path')));
    else if (vol.hostPath.path.split('/').includes('..')) errs.push(fieldInvalid(child(path, 'path'), vol.hostPath.path, "must not contain '..'"));
    const type = vol.hostPath.type;
    if (type !== undefined && !HOST_PATH_TYPES.includes(type)) errs.push(fieldNotSupported(child(path, 'type'), type, HOST_PATH_TYPES));
  } else if (key === 'secret' && vol.secret) {
    if (!vol.secret.secretName) errs.push(fieldRequired(child(path, 'secretName')));
    mode(vol.secret.defaultMode, child(path, 'defaultMode'));
    itemsOf(vol.secret.items, path);
  } else if (key === 'configMap' && vol.configMap) {
    if (!vol.configMap.name) errs.push(fieldRequired(child(path, 'name')));
    mode(vol.configMap.defaultMode, child(path, 'defaultMode'));
    itemsOf(vol.configMap.items, path);
  } else if (key === 'persistentVolumeClaim' && vol.persistentVolumeClaim) {
    if (!vol.persistentVolumeClaim.claimName) errs.push(fieldRequired(child(path, 'claimName')));
  } else if (key === 'downwardAPI' && vol.downwardAPI) {
    mode(vol.downwardAPI.defaultMode, child(path, 'defaultMode'));
    errs.push(...validateDownwardAPIItems(vol.downwardAPI.items ?? [], path));
  } else if (key === 'projected' && vol.projected) {
    mode(vol.projected.defaultMode, child(path, 'defaultMode'));
  }
  return errs;
}

function validateDownwardAPIItems(items: NonNullable<NonNullable<Volume['downwardAPI']>['items']>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  items.forEach((item, i) => {
    const p = index(child(path, 'items'), i);
    if (!item.path) errs.push(fieldRequired(child(p, 'path')));
    else errs.push(...validateLocalDescendingPath(item.path, child(p, 'path')));
    if (item.fieldRef) errs.push(...validateFieldSelector(item.fieldRef, VOLUME_FIELD_PATHS, child(p, 'fieldRef')));
    if (item.resourceFieldRef && !item.resourceFieldRef.containerName) {
      errs.push(fieldRequired(child(child(p, 'resourceFieldRef'), 'containerName')));
    }
    if (!item.fieldRef && !item.resourceFieldRef) errs.push(fieldRequired(p, 'one of fieldRef and resourceFieldRef is required'));
    if (item.mode !== undefined && (item.mode < 0 || item.mode > 0o777)) errs.push(fieldInvalid(child(p, 'mode'), item.mode, FILE_MODE_MESSAGE));
  });
  return errs;
}

/** ValidateTolerations: key syntax, operator/value/effect combinations. */
export function validateTolerations(tolerations: Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = index(path, i);
    const key = t.key ?? '';
    const operator = t.operator ?? '';
    if (key) for (const msg of isQualifiedName(key)) errs.push(fieldInvalid(child(p, 'key'), key, msg));
    if (!key && operator !== 'Exists') {
      errs.push(fieldInvalid(child(p, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(fieldInvalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(t.value ?? '');
      if (msgs.length > 0) errs.push(fieldInvalid(child(p, 'operator'), t.value ?? '', msgs.join(';')));
    } else if (operator === 'Exists') {
      if (t.value) errs.push(fieldInvalid(child(p, 'operator'), t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldNotSupported(child(p, 'operator'), operator, ['Equal', 'Exists']));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(fieldNotSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateTopologySpread(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (spec.topologySpreadConstraints ?? []).forEach((c, i) => {
    const p = index(path, i);
    if ((c.maxSkew ?? 0) <= 0) errs.push(fieldInvalid(child(p, 'maxSkew'), c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(fieldRequired(child(p, 'topologyKey'), 'can not be empty'));
    else for (const msg of isQualifiedName(c.topologyKey)) errs.push(fieldInvalid(child(p, 'topologyKey'), c.topologyKey, msg));
    if (!['DoNotSchedule', 'ScheduleAnyway'].includes(c.whenUnsatisfiable ?? '')) {
      errs.push(fieldNotSupported(child(p, 'whenUnsatisfiable'), c.whenUnsatisfiable ?? '', ['DoNotSchedule', 'ScheduleAnyway']));
    }
  });
  return errs;
}
