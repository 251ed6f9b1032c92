/**
 * Container probes (kubelet's prober): a worker per probe runs it every `periodSeconds` after
 * `initialDelaySeconds`, with `timeoutSeconds`, and turns consecutive outcomes into a result
 * with `successThreshold` and `failureThreshold`. Startup gates liveness and readiness: they do
 * not run until the startup probe has succeeded once.
 */
import type { Clock, DeepReadonly, Probe } from '@kubesim/api';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** The outcome of one probe run. */
export interface ProbeOutcome {
  ok: boolean;
  /** Why it failed, worded as the kubelet's prober words it. */
  message?: string;
}

/** Probe settings with Kubernetes' defaults filled in, in milliseconds. */
export interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

/** Defaults: period 10 s, timeout 1 s, success 1, failure 3. */
export function probeTiming(probe: DeepReadonly<Probe>): ProbeTiming {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds || 10) * 1000,
    timeoutMs: (probe.timeoutSeconds || 1) * 1000,
    successThreshold: probe.successThreshold || 1,
    failureThreshold: probe.failureThreshold || 3,
  };
}

/**
 * Consecutive outcomes → result. Readiness starts failed, liveness succeeded, startup not yet
 * succeeded; the result flips after `successThreshold` successes or `failureThreshold` failures
 * in a row.
 */
export class ProbeTracker {
  result: boolean;
  private successes = 0;
  private failures = 0;

  constructor(
    readonly kind: ProbeKind,
    private readonly timing: Pick<ProbeTiming, 'successThreshold' | 'failureThreshold'>,
  ) {
    this.result = kind === 'liveness';
  }

  /** Feeds one outcome; returns true when the result changed. */
  observe(ok: boolean): boolean {
    if (ok) {
      this.failures = 0;
      this.successes++;
      if (!this.result && this.successes >= this.timing.successThreshold) return (this.result = true);
    } else {
      this.successes = 0;
      this.failures++;
      if (this.result && this.failures >= this.timing.failureThreshold) return !(this.result = false);
      // A startup probe that never succeeded fails once its threshold is reached.
      if (this.kind === 'startup' && this.failures >= this.timing.failureThreshold) return true;
    }
    return false;
  }
}

export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: DeepReadonly<Probe>;
  clock: Clock;
  /** Runs the probe once; must resolve (never reject) within about `timeoutMs`. */
  run: (timeoutMs: number) => Promise<ProbeOutcome>;
  /** False while liveness and readiness wait for the startup probe. */
  gate?: () => boolean;
  /** Every failed run (the kubelet records an Unhealthy event for each). */
  onFailure?: (outcome: ProbeOutcome) => void;
  /** The result changed: readiness flips, a liveness or startup failure means restart. */
  onResult: (ok: boolean, outcome: ProbeOutcome) => void;
}

/** Runs one probe of one container attempt until `signal` aborts. */
export class ProbeWorker {
  readonly tracker: ProbeTracker;
  private readonly timing: ProbeTiming;

  constructor(private readonly options: ProbeWorkerOptions) {
    this.timing = probeTiming(options.probe);
    this.tracker = new ProbeTracker(options.kind, this.timing);
  }

  async start(signal: AbortSignal): Promise<void> {
    const { clock, kind } = this.options;
    await clock.sleep(this.timing.initialDelayMs, signal);
    while (!signal.aborted) {
      if (this.options.gate?.() ?? true) {
        const outcome = await this.options.run(this.timing.timeoutMs);
        if (signal.aborted) return;
        if (!outcome.ok) this.options.onFailure?.(outcome);
        if (this.tracker.observe(outcome.ok)) {
          this.options.onResult(this.tracker.result, outcome);
          // A failed liveness or startup probe restarts the container; a passed startup probe is done.
          if (kind !== 'readiness') return;
        }
      }
      await clock.sleep(this.timing.periodMs, signal);
    }
  }
}
