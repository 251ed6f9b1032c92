import { describe, expect, it } from 'vitest';
import { FakeClock } from '@kubesim/api';
import { ProbeTracker, ProbeWorker, probeTiming, type ProbeKind, type ProbeOutcome } from '../src/probes.js';

describe('probe results from consecutive outcomes', () => {
  it.each<[string, ProbeKind, { successThreshold: number; failureThreshold: number }, boolean[], boolean[]]>([
    ['readiness starts failed and passes on the first success', 'readiness', { successThreshold: 1, failureThreshold: 3 }, [true], [true]],
    ['readiness needs successThreshold successes in a row', 'readiness', { successThreshold: 2, failureThreshold: 3 }, [true, false, true, true], [false, false, false, true]],
    ['readiness fails after failureThreshold failures', 'readiness', { successThreshold: 1, failureThreshold: 2 }, [true, false, false], [true, true, false]],
    ['liveness starts passed and fails after three failures in a row', 'liveness', { successThreshold: 1, failureThreshold: 3 }, [false, false, true, false, false, false], [true, true, true, true, true, false]],
    ['startup passes on the first success', 'startup', { successThreshold: 1, failureThreshold: 3 }, [false, true], [false, true]],
  ])('%s', (_name, kind, timing, outcomes, results) => {
    const t = new ProbeTracker(kind, timing);
    expect(outcomes.map((ok) => (t.observe(ok), t.result))).toEqual(results);
  });

  it('a startup probe that never passes reports failure at its threshold', () => {
    const t = new ProbeTracker('startup', { successThreshold: 1, failureThreshold: 2 });
    expect([t.observe(false), t.observe(false)]).toEqual([false, true]);
    expect(t.result).toBe(false);
  });

  it('fills Kubernetes defaults', () => {
    expect(probeTiming({})).toEqual({ initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1_000, successThreshold: 1, failureThreshold: 3 });
    expect(probeTiming({ initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 1 })).toMatchObject({ initialDelayMs: 5_000, periodMs: 2_000, timeoutMs: 3_000, failureThreshold: 1 });
  });
});

describe('probe worker', () => {
  function worker(kind: ProbeKind, outcomes: boolean[], gate?: () => boolean) {
    const clock = new FakeClock(0);
    const runs: number[] = [];
    const results: [number, boolean][] = [];
    const failures: string[] = [];
    const w = new ProbeWorker({
      kind,
      probe: { initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 2 },
      clock,
      gate,
      run: async (): Promise<ProbeOutcome> => {
        runs.push(clock.now());
        const ok = outcomes.shift() ?? true;
        return ok ? { ok } : { ok, message: 'HTTP probe failed with statuscode: 500' };
      },
      onFailure: (o) => failures.push(o.message!),
      onResult: (ok) => results.push([clock.now(), ok]),
    });
    const ac = new AbortController();
    const done = w.start(ac.signal);
    return { clock, runs, results, failures, ac, done };
  }

  it('waits the initial delay, probes every period, and reports a liveness failure once', async () => {
    const t = worker('liveness', [true, false, false, true]);
    await t.clock.advance(20_000);
    await t.done;
    expect(t.runs).toEqual([5_000, 7_000, 9_000]);
    expect(t.results).toEqual([[9_000, false]]);
    expect(t.failures).toEqual(['HTTP probe failed with statuscode: 500', 'HTTP probe failed with statuscode: 500']);
  });

  it('keeps probing readiness and reports each flip', async () => {
    const t = worker('readiness', [true, false, false, true]);
    await t.clock.advance(12_000);
    t.ac.abort();
    await t.done;
    expect(t.results).toEqual([
      [5_000, true],
      [9_000, false],
      [11_000, true],
    ]);
  });

  it('does not probe while gated by the startup probe', async () => {
    let started = false;
    const t = worker('readiness', [true], () => started);
    await t.clock.advance(9_000);
    expect(t.runs).toEqual([]);
    started = true;
    await t.clock.advance(2_000);
    expect(t.runs).toEqual([11_000]);
    t.ac.abort();
    await t.done;
  });
});
