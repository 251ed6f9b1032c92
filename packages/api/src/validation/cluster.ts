/**
 * Validation of Namespace, Node, ConfigMap, Secret, ServiceAccount, Event and Lease, with their
 * update rules (immutable ConfigMaps and Secrets, a node's podCIDR set once).
 */
import type { FieldError } from '../errors.js';
import type { Lease } from '../types/coordination.js';
import type { ConfigMap, Event, Namespace, Node, ResourceList, Secret, ServiceAccount, Taint } from '../types/index.js';
import { validateQuantityValue } from './container.js';
import { child, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooLong, formatValue, index } from './errors.js';
import { validateImmutable, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate, validatePositive } from './meta.js';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidCIDR, isValidLabelValue } from './names.js';

/** 1 MiB: the most data a ConfigMap or Secret may hold. */
export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** ValidateNamespace: a DNS-1123 label name, finalizers standard or fully qualified. */
export function validateNamespace(ns: Namespace, old?: Namespace): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, isDNS1123Label, false);
  for (const f of ns.spec?.finalizers ?? []) {
    const msgs = isQualifiedName(f);
    for (const msg of msgs) errs.push(fieldInvalid('spec.finalizers', f, msg));
    if (msgs.length === 0 && !f.includes('/') && !STANDARD_FINALIZERS.includes(f)) {
      errs.push(fieldInvalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  if (old) errs.push(...validateObjectMetaUpdate(ns.metadata, old.metadata));
  return errs;
}

/** ValidateNode, and with `old` ValidateNodeUpdate (podCIDR and providerID set once). */
export function validateNode(node: Node, old?: Node): FieldError[] {
  const errs = validateObjectMeta(node.metadata, isDNS1123Subdomain, false);
  const spec = node.spec ?? {};
  if (spec.podCIDR) for (const msg of isValidCIDR(spec.podCIDR)) errs.push(fieldInvalid('spec.podCIDR', spec.podCIDR, msg));
  (spec.podCIDRs ?? []).forEach((cidr, i) => {
    for (const msg of isValidCIDR(cidr)) errs.push(fieldInvalid(index('spec.podCIDRs', i), cidr, msg));
  });
  errs.push(...validateTaints(spec.taints ?? [], 'spec.taints'));
  for (const key of ['capacity', 'allocatable'] as const) errs.push(...validateResourceList(node.status?.[key], child('status', key)));
  if (old) {
    errs.push(...validateObjectMetaUpdate(node.metadata, old.metadata));
    const was = old.spec ?? {};
    const cidrs = (s: typeof spec) => s.podCIDRs ?? (s.podCIDR ? [s.podCIDR] : []);
    if (cidrs(was).length > 0 && cidrs(was).join(',') !== cidrs(spec).join(',')) {
      errs.push(fieldForbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    if (was.providerID && was.providerID !== spec.providerID) {
      errs.push(fieldForbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
  }
  return errs;
}

function validateTaints(taints: Taint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = index(path, i);
    for (const msg of isQualifiedName(t.key ?? '')) errs.push(fieldInvalid(child(p, 'key'), t.key ?? '', msg));
    const valueMsgs = isValidLabelValue(t.value ?? '');
    if (valueMsgs.length > 0) errs.push(fieldInvalid(child(p, 'value'), t.value ?? '', valueMsgs.join(';')));
    if (!t.effect) errs.push(fieldRequired(child(p, 'effect')));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(fieldNotSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) {
      errs.push({ field: p, reason: 'FieldValueDuplicate', message: `Duplicate value: ${formatValue(t)}: taints must be unique by key and effect pair` });
    }
    seen.add(key);
  });
  return errs;
}

function validateResourceList(list: ResourceList | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(list ?? {})) {
    const p = index(path, name);
    for (const msg of isQualifiedName(name)) errs.push(fieldInvalid(p, name, msg));
    validateQuantityValue(name, raw, p, errs);
  }
  return errs;
}

/** Decoded length of a base64 value, or undefined when it is not base64. */
function base64Length(value: string): number | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) return undefined;
  return Buffer.from(value, 'base64').length;
}

/** Checks keys and base64 values of a data map; returns the total decoded size. */
function validateDataMap(data: Record<string, string> | undefined, path: string, base64: boolean, errs: FieldError[]): number {
  let size = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    const p = index(path, key);
    for (const msg of isConfigMapKey(key)) errs.push(fieldInvalid(p, key, msg));
    if (!base64) size += Buffer.byteLength(value);
    else {
      const n = base64Length(value);
      if (n === undefined) errs.push(fieldInvalid(p, '<secret contents redacted>', 'illegal base64 data'));
      size += n ?? 0;
    }
  }
  return size;
}

/** ValidateConfigMap, and with `old` the `immutable` rule. */
export function validateConfigMap(cm: ConfigMap, old?: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, isDNS1123Subdomain, true);
  let size = validateDataMap(cm.data, 'data', false, errs);
  for (const key of Object.keys(cm.data ?? {})) {
    if (cm.binaryData && key in cm.binaryData) errs.push(fieldInvalid(index('data', key), key, 'duplicate of key present in binaryData'));
  }
  size += validateDataMap(cm.binaryData, 'binaryData', true, errs);
  if (size > MAX_SECRET_SIZE) errs.push(fieldTooLong('data', MAX_SECRET_SIZE));
  if (old) {
    errs.push(...validateObjectMetaUpdate(cm.metadata, old.metadata));
    errs.push(...validateImmutableData(cm, old, ['data', 'binaryData']));
  }
  return errs;
}

/** ValidateSecret (keys, size, per-type required keys), and with `old` type and `immutable` rules. */
export function validateSecret(secret: Secret, old?: Secret): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, isDNS1123Subdomain, true);
  const size = validateDataMap(secret.data, 'data', true, errs);
  validateDataMap(secret.stringData, 'stringData', false, errs);
  if (size > MAX_SECRET_SIZE) errs.push(fieldTooLong('data', MAX_SECRET_SIZE));
  errs.push(...validateSecretType(secret));
  if (old) {
    errs.push(...validateObjectMetaUpdate(secret.metadata, old.metadata));
    errs.push(...validateImmutable(secret.type, old.type, 'type'));
    errs.push(...validateImmutableData(secret, old, ['data']));
  }
  return errs;
}

function validateSecretType(secret: Secret): FieldError[] {
  const has = (key: string) => key in (secret.data ?? {}) || key in (secret.stringData ?? {});
  const required = (key: string) => (has(key) ? [] : [fieldRequired(index('data', key))]);
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata?.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [fieldRequired(index('metadata.annotations', 'kubernetes.io/service-account.name'))];
    case 'kubernetes.io/dockercfg':
      return required('.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return required('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [...required('username'), ...required('password')];
    case 'kubernetes.io/ssh-auth':
      return required('ssh-privatekey');
    case 'kubernetes.io/tls':
      return [...required('tls.crt'), ...required('tls.key')];
    default:
      return [];
  }
}

function validateImmutableData<T extends ConfigMap | Secret>(next: T, old: T, fields: ('data' | 'binaryData')[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (next.immutable !== true) errs.push(fieldForbidden('immutable', IMMUTABLE_WHEN_SET));
  const bag = (o: T) => o as unknown as Record<string, unknown>;
  for (const f of fields) if (validateImmutable(bag(next)[f], bag(old)[f], f).length > 0) errs.push(fieldForbidden(f, IMMUTABLE_WHEN_SET));
  return errs;
}

/** ValidateServiceAccount: the name, and the names it refers to. */
export function validateServiceAccount(sa: ServiceAccount, old?: ServiceAccount): FieldError[] {
  const errs = validateObjectMeta(sa.metadata, isDNS1123Subdomain, true);
  (sa.imagePullSecrets ?? []).forEach((ref, i) => {
    if (!ref.name) errs.push(fieldRequired(child(index('imagePullSecrets', i), 'name')));
  });
  if (old) errs.push(...validateObjectMetaUpdate(sa.metadata, old.metadata));
  return errs;
}

/**
 * Event validation (legacyValidateEvent for core/v1): the involved object is required and its
 * namespace must agree with the event's; new-style events (with eventTime) also need
 * reportingComponent, reportingInstance, action and reason.
 */
export function validateEvent(ev: Event, old?: Event): FieldError[] {
  const errs = validateObjectMeta(ev.metadata, isDNS1123Subdomain, true);
  if (!ev.involvedObject) errs.push(fieldRequired('involvedObject'));
  const ns = ev.metadata?.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  if (!ev.eventTime) {
    if (involvedNs ? ns !== involvedNs : ns !== '' && ns !== 'default') {
      errs.push(fieldInvalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(fieldInvalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    if (!ev.reportingComponent) errs.push(fieldRequired('reportingComponent'));
    for (const msg of isQualifiedName(ev.reportingComponent ?? '')) errs.push(fieldInvalid('reportingComponent', ev.reportingComponent ?? '', msg));
    if (!ev.reportingInstance) errs.push(fieldRequired('reportingInstance'));
    if (!ev.action) errs.push(fieldRequired('action'));
    if (!ev.reason) errs.push(fieldRequired('reason'));
  }
  if (ev.count !== undefined) errs.push(...validateNonnegative(ev.count, 'count'));
  if (old) errs.push(...validateObjectMetaUpdate(ev.metadata, old.metadata));
  return errs;
}

/** ValidateLease: positive duration, non-negative transitions. */
export function validateLease(lease: Lease, old?: Lease): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, isDNS1123Subdomain, true);
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined) errs.push(...validatePositive(spec.leaseDurationSeconds, 'spec.leaseDurationSeconds'));
  if (spec.leaseTransitions !== undefined) errs.push(...validateNonnegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  if (old) errs.push(...validateObjectMetaUpdate(lease.metadata, old.metadata));
  return errs;
}
