/**
 * Small guards for defaulting arbitrary JSON in place. Defaulting runs before validation, so
 * a field of the wrong JSON type is left alone for validation to report, never touched.
 */

export type Obj = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The object at `parent[key]`. An absent (or null) one is created when `create` is set; one of
 * the wrong type gives undefined.
 */
export function child(parent: Obj, key: string, create = false): Obj | undefined {
  const v = parent[key];
  if (isObj(v)) return v;
  if ((v === undefined || v === null) && create) return (parent[key] = {}) as Obj;
  return undefined;
}

/** The object items of the list at `parent[key]`; none when it is absent or not a list. */
export function items(parent: Obj | undefined, key: string): Obj[] {
  const v = parent?.[key];
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** True when a Go pointer field would be nil: absent or null. */
export function unset(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Sets a pointer field (nil-able in Go) when absent. */
export function defaultPtr(o: Obj, key: string, value: unknown): void {
  if (unset(o[key])) o[key] = value;
}

/** Sets a Go string field when it is absent or empty, as `if x == ""` does. */
export function defaultStr(o: Obj, key: string, value: string): void {
  if (unset(o[key]) || o[key] === '') o[key] = value;
}

/** Sets a Go (non-pointer) number field when it is absent or zero, as `if x == 0` does. */
export function defaultNum(o: Obj, key: string, value: number): void {
  if (unset(o[key]) || o[key] === 0) o[key] = value;
}
