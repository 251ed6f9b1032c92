/**
 * The Services benchmark's table: one row per path, with ratios to the first row (direct).
 */
import { mergeResults, type LoadResult } from './http-load.js';
import { percentile } from './stats.js';

/** One measured path: the results of its rounds. */
export interface Row {
  label: string;
  rounds: LoadResult[];
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

function figures(r: LoadResult): Figures {
  return { rps: r.ok / r.seconds, p50: percentile(r.latenciesMs, 50), p99: percentile(r.latenciesMs, 99) };
}

const ratio = (x: number, base: number) => (base > 0 && Number.isFinite(x) ? `${(x / base).toFixed(2)}×` : '-');
const count = (x: number) => Math.round(x).toLocaleString('en-US');
const spread = (rounds: readonly LoadResult[]) => {
  const rates = rounds.map((r) => r.ok / r.seconds);
  return `${count(Math.min(...rates))}-${count(Math.max(...rates))}`;
};
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

/**
 * Formats rows as an aligned text table: requests/s over all rounds and the lowest and highest
 * round's, p50 and p99 latency of all rounds' requests, failures (with the most frequent error),
 * and req/s, p50 and p99 relative to the first row.
 */
export function formatTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '';
  const merged = rows.map((r) => mergeResults(r.rounds));
  const base = figures(merged[0]);
  const header = ['path', 'req/s', 'rounds min-max', 'p50 ms', 'p99 ms', 'failed', 'req/s ÷ direct', 'p50 ÷ direct', 'p99 ÷ direct'];
  const body = rows.map(({ label, rounds }, i) => {
    const f = figures(merged[i]);
    return [label, count(f.rps), spread(rounds), ms(f.p50), ms(f.p99), failures(merged[i]), ratio(f.rps, base.rps), ratio(f.p50, base.p50), ratio(f.p99, base.p99)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  // The label column reads left-aligned, the figures right-aligned.
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

/** `0`, or the count with the most frequent error, e.g. `3 (ECONNRESET)`. */
function failures(r: LoadResult): string {
  if (r.failed === 0) return '0';
  const [top] = [...r.errors].sort((a, b) => b[1] - a[1]);
  return `${r.failed} (${top[0]})`;
}
