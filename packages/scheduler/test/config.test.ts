import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { Scheduler } from '../src/scheduler.js';

describe('parseConfig', () => {
  it('uses Kubernetes’ defaults', () => {
    expect(parseConfig([], {})).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      schedulerName: 'default-scheduler',
      profile: 'default',
      podInitialBackoffMs: 1000,
      podMaxBackoffMs: 10_000,
      podMaxInUnschedulableMs: 60_000,
      percentageOfNodesToScore: 0,
      leaderElection: { leaderElect: true, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    });
  });

  it('takes flags over environment variables', () => {
    const config = parseConfig(['--nats-url', 'nats://a:1', '--scheduler-name', 'mine', '--seed', '7'], {
      KUBESIM_NATS_URL: 'nats://b:2',
      KUBESIM_SCHEDULER_NAME: 'theirs',
    });
    expect(config).toMatchObject({ natsUrl: 'nats://a:1', schedulerName: 'mine', seed: 7 });
  });

  it('reads the environment', () => {
    expect(parseConfig([], { KUBESIM_NATS_URL: 'nats://b:2', KUBESIM_PROFILE: 'fast' })).toMatchObject({ natsUrl: 'nats://b:2', profile: 'fast' });
  });

  it('scales timers down in the fast profile', () => {
    expect(parseConfig(['--profile', 'fast'], {})).toMatchObject({ podInitialBackoffMs: 200, podMaxBackoffMs: 2000, podMaxInUnschedulableMs: 5000 });
  });

  it.each([[['--profile', 'slow']], [['--seed', 'x']], [['--bogus']]])('rejects %j', (argv) => {
    expect(() => parseConfig(argv, {})).toThrow();
  });

  it('answers --help', () => {
    expect(parseConfig(['--help'], {})).toBe('help');
  });
});

describe('Scheduler config validation', () => {
  it('fills defaults without any I/O', () => {
    expect(new Scheduler({ natsUrl: 'nats://x:1', profile: 'fast' }).config).toMatchObject({ schedulerName: 'default-scheduler', podMaxInUnschedulableMs: 5000 });
  });

  it('lists every problem', () => {
    expect(() => new Scheduler({ schedulerName: '', podMaxBackoffMs: -1, percentageOfNodesToScore: 101 })).toThrow(
      'invalid scheduler config: schedulerName is required; podMaxBackoffMs must be a number >= 0; percentageOfNodesToScore must be within 0..100',
    );
  });
});
