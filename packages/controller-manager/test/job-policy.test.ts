import { describe, expect, it } from 'vitest';
import {
  failureBackoffMs,
  jobComplete,
  jobFinished,
  msUntilActiveDeadline,
  pastActiveDeadline,
  pastBackoffLimitOnFailure,
  wantActive,
} from '../src/job-policy.js';
import { T0, job, pod } from './builders.js';

describe('wantActive', () => {
  it.each([
    [{ completions: 5, parallelism: 2 }, 0, 0, 2],
    [{ completions: 5, parallelism: 2 }, 4, 1, 1],
    [{ completions: 5, parallelism: 2 }, 5, 0, 0],
    [{ completions: 5, parallelism: 2 }, 7, 0, 0],
    [{ completions: null, parallelism: 3 }, 0, 1, 3],
    [{ completions: null, parallelism: 3 }, 1, 2, 2],
  ])('%j with %i succeeded and %i active wants %i', (shape, succeeded, active, want) => {
    expect(wantActive(job(shape), succeeded, active)).toBe(want);
  });
});

describe('jobComplete', () => {
  it.each([
    [{ completions: 3 }, 3, 0, true],
    [{ completions: 3 }, 3, 1, false],
    [{ completions: 3 }, 2, 0, false],
    [{ completions: null }, 1, 0, true],
    [{ completions: null }, 0, 0, false],
  ])('%j with %i succeeded and %i active: %s', (shape, succeeded, active, want) => {
    expect(jobComplete(job(shape), succeeded, active)).toBe(want);
  });

  it('sees a finished Job by its True Complete or Failed condition', () => {
    const j = job();
    expect(jobFinished(j)).toBe(false);
    j.status = { conditions: [{ type: 'Failed', status: 'True' }] };
    expect(jobFinished(j)).toBe(true);
  });
});

describe('active deadline', () => {
  it.each([
    [undefined, 0, 100, false],
    [10, 0, 9, false],
    [10, 0, 10, true],
  ])('deadline %s from +%is, at +%is: past %s', (deadline, start, nowS, want) => {
    const j = job({ activeDeadlineSeconds: deadline, startTime: start });
    expect(pastActiveDeadline(j, T0 + nowS * 1000)).toBe(want);
  });

  it('tells how long is left', () => {
    expect(msUntilActiveDeadline(job({ activeDeadlineSeconds: 10, startTime: 0 }), T0 + 4000)).toBe(6000);
  });
});

describe('pastBackoffLimitOnFailure (restartPolicy OnFailure counts restarts)', () => {
  it.each([
    ['Never', 6, 9, false],
    ['OnFailure', 6, 5, false],
    ['OnFailure', 6, 6, true],
    ['OnFailure', 0, 1, true],
    ['OnFailure', 0, 0, false],
  ] as const)('restartPolicy %s, backoffLimit %i, %i restarts: %s', (policy, limit, restarts, want) => {
    const j = job({ restartPolicy: policy, backoffLimit: limit });
    expect(pastBackoffLimitOnFailure(j, [pod({ restarts })])).toBe(want);
  });
});

describe('failureBackoffMs', () => {
  const failed = (at: number) => pod({ phase: 'Failed', finishedAt: at });
  const succeeded = (at: number) => pod({ phase: 'Succeeded', finishedAt: at });
  it.each([
    ['nothing failed', [succeeded(0)], 0, 0],
    ['one failure: the base delay from its end', [failed(0)], 1, 9_000],
    ['two failures: twice the base', [failed(0), failed(5)], 5, 20_000 - 0],
    ['the delay is capped', [failed(0), failed(1), failed(2), failed(3), failed(4), failed(5), failed(6), failed(7)], 7, 60_000],
    ['failures before the last success do not count', [failed(0), failed(1), succeeded(2), failed(3)], 3, 10_000],
    ['waited long enough', [failed(0)], 30, 0],
  ])('%s', (_name, pods, nowS, want) => {
    expect(failureBackoffMs(pods, T0 + nowS * 1000, 10_000, 60_000)).toBe(want);
  });
});
