/**
 * Resource quantities (`100m`, `128Mi`, `1.5Gi`, `2`) as far as describe needs them: parse to a
 * number, add, and print back in the canonical form apimachinery's Quantity.String() uses.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export interface Quantity {
  value: number;
  binary: boolean;
}

/** Parses a quantity string (or number); unparsable input counts as zero. */
export function parseQuantity(q: string | number | undefined | null): Quantity {
  if (q === undefined || q === null || q === '') return { value: 0, binary: false };
  if (typeof q === 'number') return { value: q, binary: false };
  const m = /^([+-]?\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return { value: 0, binary: false };
  const num = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1);
  const suffix = m[3];
  if (suffix in BINARY) return { value: num * BINARY[suffix], binary: true };
  return { value: num * (DECIMAL[suffix] ?? 1), binary: false };
}

/** Canonical text: the largest exact binary suffix for binary quantities, else decimal (m for millis). */
export function formatQuantity(q: Quantity): string {
  if (q.value === 0) return '0';
  if (q.binary) {
    for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      if (Number.isInteger(q.value / BINARY[s]) && Math.abs(q.value) >= BINARY[s]) return `${q.value / BINARY[s]}${s}`;
    }
    if (Number.isInteger(q.value)) return String(q.value);
  }
  for (const s of ['E', 'P', 'T', 'G', 'M', 'k']) {
    const v = q.value / DECIMAL[s];
    if (Math.abs(v) >= 1 && Number.isInteger(Math.round(v * 1e9) / 1e9) && Math.abs(v - Math.round(v)) < 1e-9) return `${Math.round(v)}${s}`;
  }
  if (Number.isInteger(q.value)) return String(q.value);
  const milli = Math.round(q.value * 1000);
  if (Math.abs(q.value * 1000 - milli) < 1e-6) return `${milli}m`;
  return `${Math.round(q.value * 1e6)}u`;
}

/** Sum of quantities; binary if the first non-zero one is. */
export function addQuantities(qs: readonly Quantity[]): Quantity {
  const nonZero = qs.find((q) => q.value !== 0);
  return { value: qs.reduce((s, q) => s + q.value, 0), binary: nonZero?.binary ?? false };
}
