/**
 * Field error builders worded exactly as k8s.io/apimachinery's field.Error renders them
 * (`Required value`, `Invalid value: -1: must be ...`), and field path helpers.
 */
import type { FieldError } from '../errors.js';

/**
 * Renders a bad value as Kubernetes does: strings quoted, numbers and booleans bare, absent as
 * `null`, anything else as JSON.
 */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function withDetail(body: string, detail: string | undefined): string {
  return detail ? `${body}: ${detail}` : body;
}

/** FieldValueRequired: `Required value`, with an optional detail. */
export function fieldRequired(field: string, detail?: string): FieldError {
  return { field, reason: 'FieldValueRequired', message: withDetail('Required value', detail) };
}

/** FieldValueInvalid: `Invalid value: <value>: <detail>`. */
export function fieldInvalid(field: string, value: unknown, detail?: string): FieldError {
  return { field, reason: 'FieldValueInvalid', message: withDetail(`Invalid value: ${formatValue(value)}`, detail) };
}

/** FieldValueNotSupported: `Unsupported value: "Foo": supported values: "A", "B"`. */
export function fieldNotSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined;
  return { field, reason: 'FieldValueNotSupported', message: withDetail(`Unsupported value: ${formatValue(value)}`, detail) };
}

/** FieldValueDuplicate: `Duplicate value: "web"`. */
export function fieldDuplicate(field: string, value: unknown): FieldError {
  return { field, reason: 'FieldValueDuplicate', message: `Duplicate value: ${formatValue(value)}` };
}

/** FieldValueNotFound: `Not found: "data"`. */
export function fieldNotFound(field: string, value: unknown): FieldError {
  return { field, reason: 'FieldValueNotFound', message: `Not found: ${formatValue(value)}` };
}

/** FieldValueForbidden: `Forbidden: <detail>`. */
export function fieldForbidden(field: string, detail: string): FieldError {
  return { field, reason: 'FieldValueForbidden', message: withDetail('Forbidden', detail) };
}

/** FieldValueTooLong: `Too long: may not be more than <max> bytes` (the value is not shown). */
export function fieldTooLong(field: string, maxBytes: number): FieldError {
  return { field, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${maxBytes} ${maxBytes === 1 ? 'byte' : 'bytes'}` };
}

/** FieldValueInvalid `field is immutable`, as ValidateImmutableField reports a change. */
export function fieldImmutable(field: string, value: unknown): FieldError {
  return fieldInvalid(field, value, 'field is immutable');
}

/** `parent.name`, or `name` at the root. */
export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** `path[i]`, for list items and map keys alike. */
export function index(path: string, i: number | string): string {
  return `${path}[${i}]`;
}
