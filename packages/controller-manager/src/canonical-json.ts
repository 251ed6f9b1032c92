/**
 * Canonical JSON: object keys sorted and null/undefined members dropped, so two values that mean
 * the same thing serialize the same whatever their key order or explicit nulls (kubectl sends
 * `creationTimestamp: null`). Used to compare and to hash API objects.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== null && v[k] !== undefined) out[k] = v[k];
    return out;
  });
}
