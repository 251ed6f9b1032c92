/**
 * Go's default formatting (`fmt.Sprint`, `%v`) of decoded JSON values, which kubectl uses in
 * custom-columns cells and generic describe output.
 */

/** Go's `%v` of a JSON value (slices as `[a b]`, maps as `map[k:v]`, nil as `<nil>`). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}
