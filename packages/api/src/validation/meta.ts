/**
 * ObjectMeta validation (ValidateObjectMeta, ValidateObjectMetaUpdate), labels, annotations,
 * label selectors, and the semantic equality that immutability checks use.
 */
import type { FieldError } from '../errors.js';
import type { ObjectMeta } from '../meta.js';
import type { LabelSelector } from '../types/common.js';
import { child, fieldForbidden, fieldImmutable, fieldInvalid, fieldRequired, fieldTooLong, index } from './errors.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from './names.js';

/** Name syntax check of a kind: messages for what is wrong. */
export type NameCheck = (name: string) => string[];

/** 256 KiB: the most all annotations of one object may hold, keys and values together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * ValidateObjectMeta: name (required unless generateName is given, in the kind's syntax),
 * generateName, namespace syntax, generation, labels, annotations, owner references and
 * finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, nameCheck: NameCheck, namespaced: boolean, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  if (m.generateName) {
    // a generated name ends with random characters, so a trailing '-' is fine in the prefix
    const prefix = m.generateName.length > 1 && m.generateName.endsWith('-') ? `${m.generateName.slice(0, -1)}a` : m.generateName;
    for (const msg of nameCheck(prefix)) errs.push(fieldInvalid(child(path, 'generateName'), m.generateName, msg));
  }
  if (!m.name) {
    if (!m.generateName) errs.push(fieldRequired(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of nameCheck(m.name)) errs.push(fieldInvalid(child(path, 'name'), m.name, msg));
  }
  if (namespaced && m.namespace) {
    for (const msg of isDNS1123Label(m.namespace)) errs.push(fieldInvalid(child(path, 'namespace'), m.namespace, msg));
  }
  if (m.generation !== undefined) errs.push(...validateNonnegative(m.generation, child(path, 'generation')));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m, child(path, 'ownerReferences')));
  for (const f of m.finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(fieldInvalid(child(path, 'finalizers'), f, msg));
  }
  return errs;
}

/**
 * The update rules of ObjectMetaUpdate that matter here: name and namespace never change; uid
 * and creationTimestamp never change once both sides carry one. The apiserver owns the rest
 * (resourceVersion, generation, deletion fields).
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  const o = old ?? {};
  if ((m.name ?? '') !== (o.name ?? '')) errs.push(fieldImmutable(child(path, 'name'), m.name ?? ''));
  if ((m.namespace ?? '') !== (o.namespace ?? '')) errs.push(fieldImmutable(child(path, 'namespace'), m.namespace ?? ''));
  if (m.uid && o.uid && m.uid !== o.uid) errs.push(fieldImmutable(child(path, 'uid'), m.uid));
  if (m.creationTimestamp && o.creationTimestamp && m.creationTimestamp !== o.creationTimestamp) {
    errs.push(fieldImmutable(child(path, 'creationTimestamp'), m.creationTimestamp));
  }
  return errs;
}

/** ValidateLabels: qualified-name keys and label-syntax values, reported at `path`. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(fieldInvalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) errs.push(fieldInvalid(path, v, msg));
  }
  return errs;
}

/** ValidateAnnotations: qualified-name keys (case-insensitive), 256 KiB in total. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldInvalid(path, k, msg));
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldTooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(meta: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of meta.ownerReferences ?? []) {
    const version = (ref.apiVersion ?? '').split('/').pop() ?? '';
    if (!version) errs.push(fieldInvalid(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldInvalid(child(path, 'kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldInvalid(child(path, 'name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldInvalid(child(path, 'uid'), ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          fieldInvalid(
            path,
            meta.ownerReferences,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  }
  return errs;
}

/** ValidateNonnegativeField: `must be greater than or equal to 0`. */
export function validateNonnegative(value: number, path: string): FieldError[] {
  return value < 0 ? [fieldInvalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** ValidatePositiveField-like: `must be greater than 0`. */
export function validatePositive(value: number, path: string): FieldError[] {
  return value <= 0 ? [fieldInvalid(path, value, 'must be greater than 0')] : [];
}

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** ValidateLabelSelector: label syntax, operators and their values. */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = expr.values ?? [];
    if (expr.operator === 'In' || expr.operator === 'NotIn') {
      if (values.length === 0) errs.push(fieldRequired(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (expr.operator === 'Exists' || expr.operator === 'DoesNotExist') {
      if (values.length > 0) errs.push(fieldForbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(fieldInvalid(child(p, 'operator'), expr.operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key ?? '')) errs.push(fieldInvalid(child(p, 'key'), expr.key ?? '', msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(fieldInvalid(index(child(p, 'values'), j), v, msg));
    });
  });
  return errs;
}

/** False when the selector cannot be turned into a label matcher (bad operator or syntax). */
export function selectorIsValid(sel: LabelSelector): boolean {
  return validateLabelSelector(sel, '').length === 0 && (sel.matchExpressions ?? []).every((e) => SELECTOR_OPERATORS.has(e.operator));
}

/** True when `labels` satisfy every requirement of `sel`; an empty selector matches all. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(l, k);
  if (!Object.entries(sel.matchLabels ?? {}).every(([k, v]) => has(k) && l[k] === v)) return false;
  return (sel.matchExpressions ?? []).every((e) => {
    const values = e.values ?? [];
    if (e.operator === 'In') return has(e.key) && values.includes(l[e.key]);
    if (e.operator === 'NotIn') return !has(e.key) || !values.includes(l[e.key]);
    if (e.operator === 'Exists') return has(e.key);
    return !has(e.key);
  });
}

/** True when the selector has no requirement at all. */
export function selectorIsEmpty(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

/**
 * Semantic equality as apimachinery's equality.Semantic sees JSON: key order does not matter,
 * and absent, null, empty lists and empty maps are all the same.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyish(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
}

/** ValidateImmutableField: `field is immutable` when the value changed. */
export function validateImmutable(value: unknown, old: unknown, path: string): FieldError[] {
  return semanticEqual(value, old) ? [] : [fieldImmutable(path, value ?? null)];
}
