import { describe, expect, it } from 'vitest';
import { allocateAddress, inRange, parseRange } from '@kubesim/lb';

describe('parseRange', () => {
  it.each([
    { cidr: '127.200.0.0/16', first: '127.200.0.1', last: '127.200.255.254' },
    { cidr: '127.200.7.9/24', first: '127.200.7.1', last: '127.200.7.254', normalized: '127.200.7.0/24' },
    { cidr: '10.0.0.4/30', first: '10.0.0.5', last: '10.0.0.6' },
    { cidr: '10.0.0.4/31', first: '10.0.0.4', last: '10.0.0.5' },
    { cidr: '10.0.0.4/32', first: '10.0.0.4', last: '10.0.0.4' },
  ])('$cidr spans $first to $last', ({ cidr, first, last, normalized }) => {
    const r = parseRange(cidr);
    expect(r.cidr).toBe(normalized ?? cidr);
    expect(allocateAddress(r, new Set())).toBe(first);
    expect(inRange(r, first) && inRange(r, last)).toBe(true);
  });

  it.each(['127.200.0.0', '127.200.0.0/7', '127.200.0.0/33', '300.1.1.1/16', 'fe80::/64', ''])('refuses %j', (cidr) => {
    expect(() => parseRange(cidr)).toThrow(TypeError);
  });
});

describe('allocateAddress', () => {
  const r = parseRange('127.200.0.0/30'); // 127.200.0.1 and .2
  it.each([
    { name: 'the lowest free address', taken: [], want: '127.200.0.1' },
    { name: 'skips taken ones', taken: ['127.200.0.1'], want: '127.200.0.2' },
    { name: 'keeps the current address', taken: [], current: '127.200.0.2', want: '127.200.0.2' },
    { name: 'gives up a current address someone else holds', taken: ['127.200.0.2'], current: '127.200.0.2', want: '127.200.0.1' },
    { name: 'ignores a current address outside the range', taken: [], current: '127.201.0.2', want: '127.200.0.1' },
    { name: 'honours a free requested address', taken: [], current: '127.200.0.1', requested: '127.200.0.2', want: '127.200.0.2' },
    { name: 'cannot give a requested address that is taken', taken: ['127.200.0.2'], requested: '127.200.0.2', want: undefined },
    { name: 'cannot give a requested address outside the range', taken: [], requested: '127.200.1.1', want: undefined },
    { name: 'nothing when the range is full', taken: ['127.200.0.1', '127.200.0.2'], want: undefined },
  ])('$name', ({ taken, current, requested, want }) => {
    expect(allocateAddress(r, new Set(taken), current, requested)).toBe(want);
  });
});
