/**
 * RFC 7386 JSON Merge Patch (`application/merge-patch+json`, what `kubectl label`, `annotate` and
 * `scale` send): objects merge key by key, `null` deletes a key, anything else (arrays included)
 * replaces the target value.
 */
import { cloneJson, isObject } from './json.js';

/** Returns `doc` with `patch` merged in; `doc` is never modified. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergeInto(cloneJson(doc), patch);
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const result = isObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeInto(result[key], value);
  }
  return result;
}
