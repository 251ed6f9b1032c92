/** The pure parts of `kubesim chaos`: flags, targets, durations, the seeded schedule, recovery and the report. */
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  formatReport,
  isHealthy,
  parseChaosArgs,
  parseDuration,
  parseTarget,
  planFaults,
  recoveryOf,
  SeededRandom,
  settled,
  TARGET_KINDS,
  type FaultRecord,
  type Sample,
} from '../src/index.js';

describe('parseTarget', () => {
  it.each([
    ['node/node-2', { kind: 'node', name: 'node-2' }],
    ['nodes/node-1', { kind: 'node', name: 'node-1' }],
    ['pod/web-abc12', { kind: 'pod', namespace: 'default', name: 'web-abc12' }],
    ['pod/shop/web-abc12', { kind: 'pod', namespace: 'shop', name: 'web-abc12' }],
    ['po/web-1', { kind: 'pod', namespace: 'default', name: 'web-1' }],
    ['component/scheduler', { kind: 'component', name: 'scheduler' }],
    ['component/proxy-node-1', { kind: 'component', name: 'proxy-node-1' }],
    ['apiserver', { kind: 'apiserver' }],
    ['nats', { kind: 'nats' }],
    ['random', { kind: 'random' }],
  ])('reads %s', (spec, want) => {
    expect(parseTarget(spec)).toEqual(want);
  });

  it.each(['', 'node', 'node/', 'node/Node_2', 'pod/a/b/c', 'service/web', 'scheduler', 'component/'])('rejects "%s"', (spec) => {
    expect(() => parseTarget(spec)).toThrow(/--target must be/);
  });

  it('puts pod/NAME in the given namespace', () => {
    expect(parseTarget('pod/web-1', 'shop')).toEqual({ kind: 'pod', namespace: 'shop', name: 'web-1' });
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration('--every', text)).toBe(ms);
  });

  it.each(['', '5', 's', '5x', '-5s', '5 s', '0s'])('rejects "%s"', (text) => {
    expect(() => parseDuration('--every', text)).toThrow(/--every must be/);
  });

  it('accepts zero where allowed', () => {
    expect(parseDuration('--recovery-timeout', '0s', true)).toBe(0);
  });
});

describe('parseChaosArgs', () => {
  it('fills defaults: one kill at a random target, seeded from the clock', () => {
    const o = parseChaosArgs([], '/work', 1234);
    expect(o).toMatchObject({ dataDir: '/work/.kubesim', target: { kind: 'random' }, fault: 'kill', durationMs: 3000, everyMs: null, forMs: null, seed: 1234, service: null, json: false });
  });

  it('reads a scheduled experiment', () => {
    const o = parseChaosArgs(['--target', 'node/node-2', '--fault', 'pause', '--every', '10s', '--for', '5m', '--seed', '7', '--service', 'shop/web', '--json'], '/w');
    expect(o).toMatchObject({ target: { kind: 'node', name: 'node-2' }, fault: 'pause', everyMs: 10_000, forMs: 300_000, seed: 7, service: { namespace: 'shop', name: 'web' }, json: true });
  });

  it.each([
    [['--fault', 'explode'], /--fault must be one of/],
    [['--every', '5s'], /--every and --for go together/],
    [['--fault', 'cut', '--target', 'apiserver'], /--fault cut needs a node/],
    [['--seed=-1'], /--seed must be/],
    [['--seed', 'x'], /--seed must be/],
    [['--service', 'a/b/c'], /--service must be/],
    [['--bogus'], /Unknown option/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseChaosArgs(argv as string[], '/w')).toThrow(message);
  });
});

describe('the seeded schedule', () => {
  const spec = { target: parseTarget('random'), action: 'random' as const, everyMs: 5000, forMs: 120_000, seed: 42, cutAvailable: true };

  it('is the same sequence of faults for the same seed', () => {
    expect(planFaults(spec)).toEqual(planFaults({ ...spec }));
  });

  it('differs for another seed', () => {
    expect(planFaults({ ...spec, seed: 43 })).not.toEqual(planFaults(spec));
  });

  it('places a fault every --every for --for, starting at once', () => {
    expect(planFaults(spec).map((f) => f.atMs)).toEqual(Array.from({ length: 24 }, (_, i) => i * 5000));
    expect(planFaults({ ...spec, everyMs: null, forMs: null }).map((f) => f.atMs)).toEqual([0]);
  });

  it('draws random targets over every kind, and cuts only nodes', () => {
    const plan = planFaults({ ...spec, everyMs: 1000, forMs: 200_000 });
    expect(new Set(plan.map((f) => f.kind))).toEqual(new Set(TARGET_KINDS));
    expect(plan.filter((f) => f.action === 'cut').every((f) => f.kind === 'node')).toBe(true);
    expect(plan.some((f) => f.action === 'cut')).toBe(true);
    expect(planFaults({ ...spec, cutAvailable: false, everyMs: 1000, forMs: 200_000 }).some((f) => f.action === 'cut')).toBe(false);
  });

  it('cuts random nodes when the action is cut', () => {
    expect(planFaults({ ...spec, action: 'cut' }).every((f) => f.kind === 'node' && f.action === 'cut')).toBe(true);
  });

  it('keeps a given target and action', () => {
    const plan = planFaults({ ...spec, target: parseTarget('component/lb'), action: 'pause' });
    expect(plan.every((f) => f.kind === 'component' && f.action === 'pause' && f.target.kind === 'component')).toBe(true);
  });

  it('keeps the same picks when only the action is fixed', () => {
    expect(planFaults({ ...spec, action: 'kill' }).map((f) => f.pick)).toEqual(planFaults(spec).map((f) => f.pick));
  });

  it('draws numbers in [0, 1), repeatably', () => {
    const a = new SeededRandom(9);
    const b = new SeededRandom(9);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

/** A sample at `s` seconds: `avail` of 3 available, the API answering unless `api` is false, traffic ok unless `failed`. */
const at = (s: number, avail = 3, opts: { api?: boolean; failed?: number; ok?: number } = {}): Sample => ({
  atMs: s * 1000,
  apiOk: opts.api ?? true,
  deployments: [{ name: 'default/web', declared: 3, available: avail }],
  traffic: { ok: opts.ok ?? 10, failed: opts.failed ?? 0 },
});

describe('recovery from samples', () => {
  it.each([
    ['all available, all served', true, at(1)],
    ['a replica missing', false, at(1, 2)],
    ['the API not answering', false, at(1, 3, { api: false })],
    ['a request failed', false, at(1, 3, { failed: 1 })],
    ['nothing served', false, at(1, 3, { ok: 0 })],
    ['no traffic measured', true, { ...at(1), traffic: null }],
  ])('%s: healthy is %s', (_, want, sample) => {
    expect(isHealthy(sample)).toBe(want);
  });

  it('measures from the fault to the first later sample from which on all stay healthy', () => {
    const samples = [at(0), at(1), at(2, 2), at(3, 2), at(4), at(5, 2), at(6), at(7), at(8)];
    expect(recoveryOf({ startMs: 1000, endMs: 1000, untilMs: null }, samples)).toEqual({ disrupted: true, recoveryMs: 5000 });
  });

  it('counts a fault that broke nothing until its end (a pause) as recovered then', () => {
    expect(recoveryOf({ startMs: 0, endMs: 3000, untilMs: null }, [at(0), at(1), at(2), at(3), at(4)])).toEqual({ disrupted: false, recoveryMs: 3000 });
  });

  it('gives null when the next fault comes before recovery', () => {
    expect(recoveryOf({ startMs: 0, endMs: 0, untilMs: 3000 }, [at(0), at(1, 1), at(2, 2), at(3), at(4)])).toEqual({ disrupted: true, recoveryMs: null });
  });

  it('is settled once the last n samples since a time are healthy', () => {
    expect(settled([at(0, 1), at(1), at(2), at(3)], 0, 3)).toBe(true);
    expect(settled([at(0), at(1), at(2, 2), at(3)], 0, 3)).toBe(false);
    expect(settled([at(0), at(1), at(2), at(3)], 1000, 3)).toBe(false);
    expect(settled([at(0), at(1), at(2)], 0, 3)).toBe(false);
  });
});

describe('the report', () => {
  const fault = (index: number, s: number, target: string, extra: Partial<FaultRecord> = {}): FaultRecord => ({
    index, atMs: s * 1000, action: 'kill', target, processes: [`${target.split('/').pop()}:100${index}`], endMs: s * 1000, error: null, ...extra,
  });
  const samples = [at(0), at(1), at(2, 1, { failed: 2 }), at(3, 2), at(4), at(5), at(6, 2), at(7), at(8), at(9), at(10)];
  const report = buildReport({
    seed: 42,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 11_000,
    faults: [
      fault(1, 1, 'node/node-2'),
      fault(2, 3, 'random pod', { processes: [], error: 'no pod to hit' }),
      fault(3, 5, 'component/scheduler', { action: 'pause', endMs: 8000 }),
    ],
    samples,
    traffic: { service: 'default/web', url: 'http://127.200.0.1/', ok: 998, failed: 2, successRate: 0.998, failures: ['+2.1 s: ECONNREFUSED'] },
  });

  it('computes each fault’s recovery over its own window and the recovery after the last one', () => {
    expect(report.faults.map((f) => [f.index, f.disrupted, f.recoveryMs])).toEqual([
      [1, true, 3000],
      [2, false, null],
      [3, true, 3000],
    ]);
    expect(report.recovery).toEqual({ afterLastFaultMs: 1000, recovered: true, maxMs: 3000 });
    expect(report.deployments).toEqual([{ name: 'default/web', declared: 3, available: 3, minAvailable: 1 }]);
    expect(report.samples).toBe(11);
  });

  it('reads as a table with the steady-state figures under it', () => {
    expect(formatReport(report)).toBe(
      [
        '#   AT     ACTION   TARGET                PROCESSES                DISRUPTED   RECOVERED IN',
        '1   1.0s   kill     node/node-2           node-2:1001              yes         3.0s',
        '2   3.0s   kill     random pod            skipped: no pod to hit   -           -',
        '3   5.0s   pause    component/scheduler   scheduler:1003           yes         3.0s',
        'deployment default/web: 3/3 available at the end, at least 1 throughout',
        'loadbalancer default/web (http://127.200.0.1/): 99.80% (998 of 1000 served)',
        'recovered 1.0s after the last fault; longest recovery 3.0s',
        '2 of 3 faults injected over 11.0s, seed 42 (--seed 42 replays them)',
        '',
      ].join('\n'),
    );
  });

  it('says so when the cluster had not recovered at the end', () => {
    const bad = buildReport({ seed: 1, startedAt: '', durationMs: 3000, faults: [fault(1, 0, 'nats')], samples: [at(0), at(1, 2), at(2, 2)], traffic: null });
    expect(bad.recovery).toEqual({ afterLastFaultMs: null, recovered: false, maxMs: null });
    expect(formatReport(bad)).toContain('NOT recovered at the end of the run');
  });
});
