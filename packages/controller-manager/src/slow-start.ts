/**
 * Bursts that grow (pkg/controller slowStartBatch): run `count` calls in batches of 1, 2, 4, ...
 * all calls of a batch at once, stopping after the first batch with a failure. A controller whose
 * creations all fail (a quota, a bad template) thus sends a handful of requests, not hundreds.
 */

/** The outcome: how many calls succeeded, and the first error if a batch failed. */
export interface SlowStartResult {
  successes: number;
  error?: unknown;
}

/** The batch sizes a slow start of `count` calls goes through, e.g. 10 → [1, 2, 4, 3]. */
export function slowStartBatches(count: number, initial = 1): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

/** Runs `fn` `count` times in growing batches; resolves (never rejects) with the tally. */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let successes = 0;
  for (const size of slowStartBatches(count, initial)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    let error: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else error ??= r.reason;
    }
    if (error !== undefined) return { successes, error };
  }
  return { successes };
}
