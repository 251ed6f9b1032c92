/**
 * Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity) as plain numbers:
 * `"100m"` is 0.1, `"1Gi"` is 1073741824, `"1.5e3"` is 1500. Numbers stand for themselves, as a
 * bare JSON number does in a manifest.
 */

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

// sign, digits with an optional fraction, then a binary suffix, a decimal suffix or a decimal exponent
const QUANTITY_RE = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;

/** How a quantity is written: SI suffixes (`k`, `M`, `m`) or binary ones (`Ki`, `Mi`). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI';

/**
 * Parses a quantity (`"500m"`, `"2Gi"`, `"1e3"`, `"0.5"`, or a number) to its value. Returns
 * `undefined` for anything that is not a valid quantity (garbage, empty, NaN, wrong type), so
 * callers decide how to report it.
 */
export function parseQuantity(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const m = QUANTITY_RE.exec(input);
  if (!m) return undefined;
  const mantissa = Number(m[1]);
  const suffix = m[2] ?? '';
  let value: number;
  if (suffix in BINARY_SUFFIXES) value = mantissa * 2 ** BINARY_SUFFIXES[suffix];
  else value = scaleDecimal(mantissa, m[3] !== undefined ? Number(m[3]) : DECIMAL_SUFFIXES[suffix]);
  return Number.isFinite(value) ? value : undefined;
}

/** mantissa × 10^exp, dividing for negative exponents so `100m` is exactly 0.1. */
function scaleDecimal(mantissa: number, exp: number): number {
  return exp >= 0 ? mantissa * 10 ** exp : mantissa / 10 ** -exp;
}

/**
 * Writes a value the way Kubernetes canonicalizes quantities: the largest suffix that keeps
 * the mantissa whole (`0.1` → `"100m"`, `1500` → `"1500"`, `2000` → `"2k"`), or with
 * `BinarySI` the largest power-of-1024 suffix (`1073741824` → `"1Gi"`). Fractions smaller
 * than a nano round up to the next nano. Throws RangeError for NaN or infinities.
 */
export function formatQuantity(value: number, format: QuantityFormat = 'DecimalSI'): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite quantity: ${value}`);
  if (value === 0) return '0';
  if (format === 'BinarySI' && Number.isInteger(value)) return formatBinary(value);
  return formatDecimal(value);
}

function formatBinary(value: number): string {
  const entries = Object.entries(BINARY_SUFFIXES).reverse();
  for (const [suffix, bits] of entries) {
    const unit = 2 ** bits;
    if (Math.abs(value) >= unit && value % unit === 0) return `${value / unit}${suffix}`;
  }
  return String(value);
}

function formatDecimal(value: number): string {
  const entries = Object.entries(DECIMAL_SUFFIXES).sort(([, a], [, b]) => b - a);
  for (const [suffix, exp] of entries) {
    const mantissa = scaleDecimal(value, -exp);
    const whole = Math.round(mantissa);
    if (whole !== 0 && Math.abs(mantissa - whole) <= 1e-9 * Math.max(1, Math.abs(mantissa))) return `${whole}${suffix}`;
  }
  return `${Math.sign(value) * Math.ceil(Math.abs(value) * 1e9)}n`;
}
