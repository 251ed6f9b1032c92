import { describe, expect, it } from 'vitest';
import { aggregateMessage, drainErrors, drainWarnings, podDeleteStatus, type DrainFilterOptions, type PodVerdict } from '../src/commands/drain-filters.js';
import { conflictingTaints, existingTaints, parseTaint, parseTaints, reorganizeTaints, taintString, type Taint } from '../src/commands/taints.js';
import { formatGoDuration } from '../src/duration.js';

const STRICT: DrainFilterOptions = { force: false, ignoreDaemonSets: false, deleteEmptyDirData: false, skipWaitForDeleteTimeoutSeconds: 0 };
const LENIENT: DrainFilterOptions = { force: true, ignoreDaemonSets: true, deleteEmptyDirData: true, skipWaitForDeleteTimeoutSeconds: 0 };

function pod(name: string, opts: { owner?: string; emptyDir?: boolean; phase?: string; mirror?: boolean; deleted?: string } = {}) {
  return {
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: opts.owner ? [{ kind: opts.owner, name: 'x', controller: true }] : undefined,
      annotations: opts.mirror ? { 'kubernetes.io/config.mirror': 'abc' } : undefined,
      deletionTimestamp: opts.deleted,
    },
    spec: { volumes: opts.emptyDir ? [{ name: 'v', emptyDir: {} }] : [] },
    status: { phase: opts.phase ?? 'Running' },
  };
}

describe('drain filters', () => {
  const DS_MISSING = { found: false as const, notFound: true, message: 'the server could not find the requested resource' };
  const cases: { name: string; pod: ReturnType<typeof pod>; opts: DrainFilterOptions; ds?: Parameters<typeof podDeleteStatus>[2]; status: ReturnType<typeof podDeleteStatus> }[] = [
    { name: 'a ReplicaSet pod is deleted', pod: pod('a', { owner: 'ReplicaSet' }), opts: STRICT, status: { delete: true, reason: 'Okay' } },
    { name: 'a pod without controller needs --force', pod: pod('a'), opts: STRICT, status: { delete: false, reason: 'Error', message: 'cannot delete Pods that declare no controller (use --force to override)' } },
    { name: 'with --force it is deleted with a warning', pod: pod('a'), opts: LENIENT, status: { delete: true, reason: 'Warning', message: 'deleting Pods that declare no controller' } },
    { name: 'emptyDir needs --delete-emptydir-data', pod: pod('a', { owner: 'ReplicaSet', emptyDir: true }), opts: STRICT, status: { delete: false, reason: 'Error', message: 'Pods with local storage (use --delete-emptydir-data to override)' } },
    { name: "a later filter's verdict replaces the emptyDir warning", pod: pod('a', { owner: 'ReplicaSet', emptyDir: true }), opts: LENIENT, status: { delete: true, reason: 'Okay' } },
    { name: 'a DaemonSet pod needs --ignore-daemonsets', pod: pod('a', { owner: 'DaemonSet' }), opts: STRICT, ds: { found: true }, status: { delete: false, reason: 'Error', message: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' } },
    { name: 'a DaemonSet pod is left in place with a warning', pod: pod('a', { owner: 'DaemonSet' }), opts: LENIENT, ds: { found: true }, status: { delete: false, reason: 'Warning', message: 'ignoring DaemonSet-managed Pods' } },
    { name: 'an orphaned DaemonSet pod is an error without --force', pod: pod('a', { owner: 'DaemonSet' }), opts: STRICT, ds: DS_MISSING, status: { delete: false, reason: 'Error', message: DS_MISSING.message } },
    { name: 'an orphaned DaemonSet pod is removed with --force', pod: pod('a', { owner: 'DaemonSet' }), opts: LENIENT, ds: DS_MISSING, status: { delete: true, reason: 'Okay' } },
    { name: 'a finished pod is always removed', pod: pod('a', { phase: 'Succeeded', emptyDir: true }), opts: STRICT, status: { delete: true, reason: 'Okay' } },
    { name: 'a mirror pod is skipped', pod: pod('a', { owner: 'Node', mirror: true }), opts: STRICT, status: { delete: false, reason: 'Skip' } },
    {
      name: 'a pod deleted long ago is skipped with --skip-wait-for-delete-timeout',
      pod: pod('a', { owner: 'ReplicaSet', deleted: '2026-01-01T00:00:00Z' }),
      opts: { ...STRICT, skipWaitForDeleteTimeoutSeconds: 10 },
      status: { delete: false, reason: 'Skip' },
    },
  ];
  for (const c of cases) it(c.name, () => expect(podDeleteStatus(c.pod, c.opts, c.ds, Date.parse('2026-01-01T00:01:00Z'))).toEqual(c.status));

  it('groups errors and warnings by message, in order', () => {
    const verdicts: PodVerdict[] = [
      { pod: pod('a'), status: { delete: false, reason: 'Error', message: 'cannot delete Pods that declare no controller (use --force to override)' } },
      { pod: pod('b'), status: { delete: false, reason: 'Error', message: 'cannot delete Pods that declare no controller (use --force to override)' } },
      { pod: pod('c'), status: { delete: false, reason: 'Error', message: 'Pods with local storage (use --delete-emptydir-data to override)' } },
      { pod: pod('d'), status: { delete: true, reason: 'Warning', message: 'deleting Pods that declare no controller' } },
      { pod: pod('e'), status: { delete: false, reason: 'Warning', message: 'ignoring DaemonSet-managed Pods' } },
    ];
    expect(drainErrors(verdicts)).toEqual([
      'cannot delete cannot delete Pods that declare no controller (use --force to override): default/a, default/b',
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/c',
    ]);
    expect(drainWarnings(verdicts)).toBe('deleting Pods that declare no controller: default/d; ignoring DaemonSet-managed Pods: default/e');
  });

  it('aggregates messages as Go does', () => {
    expect(aggregateMessage(['a'])).toBe('a');
    expect(aggregateMessage(['a', 'b', 'a'])).toBe('[a, b]');
  });
});

describe('taints', () => {
  const parsed: { spec: string; taint?: Taint; error?: string }[] = [
    { spec: 'dedicated=special:NoSchedule', taint: { key: 'dedicated', value: 'special', effect: 'NoSchedule' } },
    { spec: 'bar:NoExecute', taint: { key: 'bar', effect: 'NoExecute' } },
    { spec: 'example.com/gpu', taint: { key: 'example.com/gpu' } },
    { spec: 'k=v:Bad', error: 'invalid taint effect: Bad, unsupported taint effect' },
    { spec: 'a=b=c:NoSchedule', error: 'invalid taint spec: a=b=c:NoSchedule' },
    { spec: 'a:b:c', error: 'invalid taint spec: a:b:c' },
    { spec: 'bad key:NoSchedule', error: "invalid taint spec: bad key:NoSchedule, name part must consist of alphanumeric characters, '-', '_' or '.'" },
  ];
  for (const c of parsed) {
    it(`parses ${c.spec}`, () => {
      if (c.error) expect(() => parseTaint(c.spec)).toThrow(c.error);
      else expect(parseTaint(c.spec)).toEqual(c.taint);
    });
  }

  it('splits additions and removals and rejects duplicates and bare keys to add', () => {
    expect(parseTaints(['a=1:NoSchedule', 'b-', 'c:NoExecute-'])).toEqual({ add: [{ key: 'a', value: '1', effect: 'NoSchedule' }], remove: [{ key: 'b' }, { key: 'c', effect: 'NoExecute' }] });
    expect(() => parseTaints(['a'])).toThrow('invalid taint spec: a');
    expect(() => parseTaints(['a=1:NoSchedule', 'a=2:NoSchedule'])).toThrow('duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}');
  });

  const OLD: Taint[] = [{ key: 'a', value: 'b', effect: 'NoSchedule' }];
  const cases: { name: string; overwrite: boolean; add: Taint[]; remove: Taint[]; operation: string; taints: Taint[]; errors?: string[] }[] = [
    { name: 'a new taint goes first', overwrite: false, add: [{ key: 'd', value: 's', effect: 'NoSchedule' }], remove: [], operation: 'tainted', taints: [{ key: 'd', value: 's', effect: 'NoSchedule' }, ...OLD] },
    { name: 'an overwritten taint replaces the old one', overwrite: true, add: [{ key: 'a', value: 'z', effect: 'NoSchedule' }], remove: [], operation: 'modified', taints: [{ key: 'a', value: 'z', effect: 'NoSchedule' }] },
    { name: 'removing by key and effect', overwrite: false, add: [], remove: [{ key: 'a', effect: 'NoSchedule' }], operation: 'untainted', taints: [] },
    { name: 'removing by key alone', overwrite: false, add: [], remove: [{ key: 'a' }], operation: 'untainted', taints: [] },
    { name: 'removing a missing taint is an error', overwrite: false, add: [], remove: [{ key: 'zz' }], operation: 'untainted', taints: OLD, errors: ['taint "zz" not found'] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(reorganizeTaints(OLD, c.overwrite, c.add, c.remove)).toEqual({ operation: c.operation, taints: c.taints, errors: c.errors ?? [] }));
  }

  it('finds clashes with existing taints and between adds and removes', () => {
    expect(existingTaints(OLD, [{ key: 'a', effect: 'NoSchedule' }])).toBe('a');
    expect(existingTaints(OLD, [{ key: 'a', effect: 'NoExecute' }])).toBe('');
    expect(conflictingTaints([{ key: 'a', effect: 'NoSchedule' }], [{ key: 'a' }])).toEqual(['a=']);
    expect(taintString({ key: 'k', value: 'v', effect: 'NoSchedule' })).toBe('k=v:NoSchedule');
  });
});

describe('formatGoDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [500, '500ms'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [1_500, '1.5s'],
  ];
  for (const [ms, text] of cases) it(`${ms} ms is ${text}`, () => expect(formatGoDuration(ms)).toBe(text));
});
