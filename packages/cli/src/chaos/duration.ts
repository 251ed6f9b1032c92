import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go-style duration (`500ms`, `5s`, `1m30s`, `2h`) in milliseconds. Throws UsageError naming
 * `flag` for anything else, zero included when `allowZero` is false.
 */
export function parseDuration(flag: string, value: string, allowZero = false): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!value || parts.map((p) => p[0]).join('') !== value) {
    throw new UsageError(`${flag} must be a duration like 500ms, 10s, 1m30s or 2h, not "${value}"`);
  }
  const ms = Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0));
  if (ms === 0 && !allowZero) throw new UsageError(`${flag} must be longer than 0, not "${value}"`);
  return ms;
}

/** Milliseconds as seconds with one decimal: `12.3s`; `-` for null (never happened). */
export function formatSeconds(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`;
}
