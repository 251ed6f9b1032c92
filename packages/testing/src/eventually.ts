/** How {@link eventually} polls. */
export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Appended to the failure message (e.g. the end of a process's log). */
  context?: () => string;
}

/**
 * Polls `fn` until it returns something other than undefined, null or false (errors count as
 * "not yet"); resolves with that value, or throws naming `what` and the last error after the
 * timeout (default 30 s, polling every 100 ms).
 */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: PollOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last ? ` (last error: ${(last as Error)?.message ?? String(last)})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${options.context ? `\n${options.context()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
