/**
 * Client-side apply's patch: the three-way diff of the last applied configuration (original), the
 * new manifest (modified) and the live object (current), as a JSON merge patch (RFC 7386).
 *
 * - Fields set in the manifest that differ from the live object are sent.
 * - Fields in the last applied configuration that the manifest no longer has are sent as null.
 * - Fields only the server or other writers set (defaults, status) are left alone.
 * - Lists are atomic in a merge patch; one is sent whole when the manifest's list changed since the
 *   last apply, or when the live list no longer contains the manifest's items (each manifest item
 *   a subset of the live item at the same index, so server-side defaults inside items do not count
 *   as a difference).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Computes the merge patch; an empty object means nothing to change. */
export function threeWayMergePatch(original: unknown, modified: unknown, current: unknown): Record<string, unknown> {
  return diffObject(asObject(original), asObject(modified) ?? {}, asObject(current)) as Record<string, unknown>;
}

function diffObject(original: JsonObject | undefined, modified: JsonObject, current: JsonObject | undefined): JsonObject {
  const patch: JsonObject = {};
  for (const [key, m] of Object.entries(modified)) {
    const c = current?.[key];
    const o = original?.[key];
    const change = diffValue(o, m, c, current !== undefined && key in current);
    if (change !== undefined) patch[key] = change.value;
  }
  for (const key of Object.keys(original ?? {})) {
    if (!(key in modified) && current !== undefined && key in current) patch[key] = null;
  }
  return patch;
}

/** Returns `{value}` to put in the patch, or undefined when the key needs no change. */
function diffValue(o: Json | undefined, m: Json, c: Json | undefined, present: boolean): { value: Json } | undefined {
  if (isObject(m)) {
    if (!isObject(c)) return { value: m };
    const sub = diffObject(isObject(o) ? o : undefined, m, c);
    return Object.keys(sub).length > 0 ? { value: sub } : undefined;
  }
  if (Array.isArray(m)) {
    const unchanged = Array.isArray(c) && deepEqual(o, m) && listContains(c, m);
    return unchanged ? undefined : { value: m };
  }
  if (m === null) return present && c !== null ? { value: null } : undefined;
  return present && deepEqual(m, c) ? undefined : { value: m };
}

/** True when `current` has the same length and each item of `wanted` is a subset of its peer. */
function listContains(current: Json[], wanted: Json[]): boolean {
  return current.length === wanted.length && wanted.every((w, i) => isSubset(w, current[i]));
}

function isSubset(wanted: Json, actual: Json | undefined): boolean {
  if (isObject(wanted)) {
    return isObject(actual) && Object.entries(wanted).every(([k, v]) => (v === null ? actual[k] === undefined || actual[k] === null : isSubset(v, actual[k])));
  }
  if (Array.isArray(wanted)) return Array.isArray(actual) && listContains(actual, wanted);
  return deepEqual(wanted, actual);
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a as Json) && isObject(b as Json)) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => k in (b as object) && deepEqual((a as JsonObject)[k], (b as JsonObject)[k]));
  }
  return false;
}

function asObject(v: unknown): JsonObject | undefined {
  return isObject(v as Json) ? (v as JsonObject) : undefined;
}

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
