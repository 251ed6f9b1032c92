/** Waiting that can be cut short by signals, with listeners removed afterwards (long loops of `sleep 1` must not leak). */

/** Resolves when `signal` aborts; `dispose()` removes the listener if that never happens. */
export function abortWaiter(signal: AbortSignal): { promise: Promise<void>; dispose: () => void } {
  let dispose = () => undefined as void;
  const promise = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const on = () => resolve();
    signal.addEventListener('abort', on, { once: true });
    dispose = () => signal.removeEventListener('abort', on);
  });
  return { promise, dispose };
}

/** Resolves when `signal` aborts. Only for signals that abort or are dropped soon. */
export function abortPromise(signal: AbortSignal): Promise<void> {
  return abortWaiter(signal).promise;
}

/** Waits `ms` milliseconds, or less if one of the signals aborts; true if the whole time passed. */
export function delay(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<boolean> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.some((s) => s.aborted)) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const finish = (full: boolean) => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', onAbort);
      resolve(full);
    };
    const onAbort = () => finish(false);
    // setTimeout takes at most 2^31-1 ms; longer sleeps wait in steps.
    const step = Math.min(ms, 2_147_483_647);
    const timer = setTimeout(() => (step < ms ? delay(ms - step, ...live).then(finish) : finish(true)), step);
    for (const s of live) s.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits until one of the signals aborts. */
export async function untilAborted(...signals: AbortSignal[]): Promise<void> {
  while (!(await delay(2_147_483_647, ...signals)));
}
