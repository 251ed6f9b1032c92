/**
 * Two-way patches from an object before and after a client-side edit, as kubectl builds them:
 * a JSON merge patch (RFC 7386, jsonpatch.CreateMergePatch: `label`, `annotate`) and a strategic
 * merge patch (strategicpatch.CreateTwoWayMergePatch: `set image`, `rollout restart`, `cordon`,
 * `taint`), where lists of objects with a merge key are patched item by item with
 * `$setElementOrder` and `$patch: delete` directives. Keys come out sorted, as Go marshals maps.
 */
import { deepEqual } from '../apply/three-way.js';
import { sortKeys } from '../printers/objects.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** The JSON merge patch turning `original` into `modified`; `{}` when they are equal. */
export function createMergePatch(original: unknown, modified: unknown): Record<string, unknown> {
  return sortKeys(mergeDiff(asObject(original), asObject(modified))) as Record<string, unknown>;
}

function mergeDiff(original: JsonObject, modified: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const [key, m] of Object.entries(modified)) {
    const o = original[key];
    if (isObject(m) && isObject(o)) {
      const sub = mergeDiff(o, m);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (!(key in original) || !deepEqual(o, m)) {
      patch[key] = m;
    }
  }
  for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  return patch;
}

/**
 * The merge key of a list field in the built-in types (the `patchMergeKey` struct tags), by the
 * list's name and the name of the field that holds it; undefined for lists patched whole.
 */
export function mergeKeyFor(field: string, parent: string): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'ports':
      // A container's ports merge on containerPort; a Service's on port.
      return parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers' ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

/** The strategic merge patch turning `original` into `modified`; `{}` when they are equal. */
export function createStrategicMergePatch(original: unknown, modified: unknown): Record<string, unknown> {
  return sortKeys(strategicDiff(asObject(original), asObject(modified), '')) as Record<string, unknown>;
}

function strategicDiff(original: JsonObject, modified: JsonObject, parent: string): JsonObject {
  const patch: JsonObject = {};
  for (const [key, m] of Object.entries(modified)) {
    const o = original[key];
    if (!(key in original)) {
      patch[key] = m;
    } else if (isObject(m) && isObject(o)) {
      const sub = strategicDiff(o, m, key);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(m) && Array.isArray(o) && mergeKeyFor(key, parent) && m.every(isObject) && o.every(isObject)) {
      Object.assign(patch, listDiff(key, mergeKeyFor(key, parent)!, o as JsonObject[], m as JsonObject[]));
    } else if (!deepEqual(o, m)) {
      patch[key] = m;
    }
  }
  for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  return patch;
}

/**
 * A list of objects merged by `mergeKey`: changed or new items in their new order (changed ones
 * reduced to their differences plus the key), then removed items as `$patch: delete`, and the
 * new order in `$setElementOrder/<field>` whenever anything changed.
 */
function listDiff(field: string, mergeKey: string, original: JsonObject[], modified: JsonObject[]): JsonObject {
  const keyOf = (item: JsonObject) => String(item[mergeKey]);
  const before = new Map(original.map((item) => [keyOf(item), item]));
  const after = new Set(modified.map(keyOf));
  const changes: JsonObject[] = [];
  for (const item of modified) {
    const old = before.get(keyOf(item));
    if (!old) {
      changes.push(item);
      continue;
    }
    const sub = strategicDiff(old, item, field);
    if (Object.keys(sub).length > 0) changes.push({ ...sub, [mergeKey]: item[mergeKey] });
  }
  for (const item of original) if (!after.has(keyOf(item))) changes.push({ $patch: 'delete', [mergeKey]: item[mergeKey] });
  if (changes.length === 0) return {};
  return {
    [`$setElementOrder/${field}`]: modified.map((item) => ({ [mergeKey]: item[mergeKey] })),
    [field]: changes,
  };
}

function asObject(v: unknown): JsonObject {
  return isObject(v as Json) ? (v as JsonObject) : {};
}

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
