/** Percentile of a sorted-ascending array (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; returns elapsed seconds. */
export async function runConcurrent(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return (performance.now() - start) / 1000;
}

/** Formats a rate with no decimals and thousands separators. */
export function rate(n: number, seconds: number): string {
  return Math.round(n / seconds).toLocaleString('en-US');
}
