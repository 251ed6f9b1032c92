/**
 * Go-style durations as kubectl's flags take them (`--request-timeout=5s`, `--timeout=1m30s`).
 */
import { UsageError } from './errors.js';

/** Parses a Go duration (`5s`, `1m30s`, `500ms`) or a bare number of seconds, to milliseconds. */
export function parseDuration(value: string, flag = '--request-timeout'): number {
  if (!value || value === '0') return 0;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = value;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new UsageError(`invalid argument "${value}" for "${flag}" flag: time: invalid duration "${value}"`);
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}


/** A duration as Go's time.Duration.String() writes it (`30s`, `1m30s`, `1h0m0s`, `500ms`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}
