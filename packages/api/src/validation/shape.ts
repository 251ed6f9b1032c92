/**
 * JSON type checking of arbitrary input against a kind's shape, before the semantic rules run.
 * A value of the wrong JSON type (a string where an integer belongs, an object where a list
 * belongs) is reported once with its path and left out of the sanitized copy (an object or list
 * is replaced by an empty one), so the rules that follow can rely on the TypeScript types and
 * never crash.
 */
import type { FieldError } from '../errors.js';
import { fieldInvalid, index } from './errors.js';

/** The JSON shape of a field. Unknown object fields are kept as they are. */
export type Shape =
  | 'string'
  | 'int'
  | 'number'
  | 'bool'
  | 'quantity'
  | 'intOrString'
  | 'any'
  | { readonly object: { readonly [field: string]: Shape } }
  | { readonly map: Shape }
  | { readonly list: Shape };

/** An object with the given fields. */
export const obj = (fields: { readonly [field: string]: Shape }): Shape => ({ object: fields });
/** A map of string keys to values of one shape. */
export const map = (of: Shape): Shape => ({ map: of });
/** A list of values of one shape. */
export const list = (of: Shape): Shape => ({ list: of });

/** Kubernetes' message for a value that is not a resource quantity. */
export const QUANTITY_REGEX_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SCALAR_CHECKS: Record<string, [(v: unknown) => boolean, string]> = {
  string: [(v) => typeof v === 'string', 'must be of type string'],
  int: [(v) => Number.isSafeInteger(v), 'must be of type integer'],
  number: [(v) => typeof v === 'number' && Number.isFinite(v), 'must be of type number'],
  bool: [(v) => typeof v === 'boolean', 'must be of type boolean'],
  quantity: [(v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)), QUANTITY_REGEX_MESSAGE],
  intOrString: [(v) => typeof v === 'string' || Number.isSafeInteger(v), 'must be of type integer or string'],
};

/**
 * Checks `value` against `shape`, pushing one FieldValueInvalid per mistyped value, and
 * returns a copy without the mistyped scalars and with empty stand-ins for mistyped objects
 * and lists (null counts as absent, as Go decodes it). Mistyped or null list items become an
 * empty value of the right type, so indexes stay true.
 */
export function checkShape(value: unknown, shape: Shape, path: string, errs: FieldError[]): unknown {
  if (value === undefined || value === null || shape === 'any') return value ?? undefined;
  if (typeof shape === 'string') {
    const [ok, message] = SCALAR_CHECKS[shape];
    if (ok(value)) return value;
    errs.push(fieldInvalid(path, value, message));
    return undefined;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return mistyped(value, path, 'must be of type array', errs);
    return value.map((item, i) => checkShape(item, shape.list, index(path, i), errs) ?? emptyOf(shape.list));
  }
  if (!isPlainObject(value)) return mistyped(value, path, 'must be of type object', errs);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const fieldShape = 'map' in shape ? shape.map : shape.object[key];
    const checked = fieldShape === undefined ? v : checkShape(v, fieldShape, 'map' in shape ? index(path, key) : join(path, key), errs);
    if (checked !== undefined) out[key] = checked;
  }
  return out;
}

/** Reports a mistyped list or object and stands an empty one in for it, so its presence still counts. */
function mistyped(value: unknown, path: string, message: string, errs: FieldError[]): unknown {
  errs.push(fieldInvalid(path, value, message));
  return message === 'must be of type array' ? [] : {};
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function emptyOf(shape: Shape): unknown {
  if (typeof shape === 'string') {
    return { string: '', int: 0, number: 0, bool: false, quantity: '0', intOrString: 0, any: undefined }[shape];
  }
  return 'list' in shape ? [] : {};
}
