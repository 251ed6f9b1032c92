import { describe, expect, it } from 'vitest';
import type { Pod } from '@kubesim/api';
import { formatLog, rfc3339Nano, timeAt } from '../src/log-format.js';
import { pickContainer } from '../src/logs.js';

const buf = Buffer.from('one\ntwo\nthree\nfour');
// "one\ntwo\n" seen at t=1000, "three\n" at t=5000, "four" after the last stamp
const index = [
  { offset: 8, ms: 1_000 },
  { offset: 14, ms: 5_000 },
];

describe('log formatting', () => {
  it.each([
    ['everything', {}, 'one\ntwo\nthree\nfour'],
    ['the last two lines', { tailLines: 2 }, 'three\nfour'],
    ['no lines', { tailLines: 0 }, ''],
    ['lines newer than 6 s', { sinceSeconds: 6 }, 'three\nfour'],
    ['at most 6 bytes', { limitBytes: 6 }, 'one\ntw'],
    ['since and tail together', { sinceSeconds: 10, tailLines: 1 }, 'four'],
  ])('shows %s', (_name, opts, want) => {
    expect(formatLog(buf, index, opts, 10_000, 9_000)).toBe(want);
  });

  it('prefixes each line with the time it was seen', () => {
    expect(formatLog(Buffer.from('a\nb\n'), [{ offset: 2, ms: 0 }, { offset: 4, ms: 1_500 }], { timestamps: true }, 0, 0)).toBe(
      '1970-01-01T00:00:00.000000000Z a\n1970-01-01T00:00:01.500000000Z b\n',
    );
  });

  it.each([
    [0, 1_000],
    [7, 1_000],
    [8, 5_000],
    [14, 42],
  ])('the byte at %i was seen at %i', (offset, ms) => {
    expect(timeAt(index, offset, 42)).toBe(ms);
  });

  it('writes RFC 3339 with nanoseconds', () => {
    expect(rfc3339Nano(Date.UTC(2025, 0, 2, 3, 4, 5, 678))).toBe('2025-01-02T03:04:05.678000000Z');
  });
});

describe('which container a log request means', () => {
  const pod = (names: string[], inits: string[] = []): Pod => ({
    metadata: { name: 'web' },
    spec: { containers: names.map((name) => ({ name })), initContainers: inits.map((name) => ({ name })) },
  });

  it('takes the only container when none is named', () => {
    expect(pickContainer(pod(['app']), undefined)).toBe('app');
  });

  it('takes a named app or init container', () => {
    expect(pickContainer(pod(['a', 'b'], ['setup']), 'setup')).toBe('setup');
  });

  it.each([
    [['a', 'b'], [], undefined, 'a container name must be specified for pod web, choose one of: [a b]'],
    [['a', 'b'], ['setup'], undefined, 'a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [setup]'],
    [['a'], [], 'c', 'container c is not valid for pod web'],
  ])('refuses %j %j %s', (names, inits, requested, message) => {
    expect(() => pickContainer(pod(names, inits), requested)).toThrow(message);
  });
});
