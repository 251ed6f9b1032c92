import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/canonical-json.js';
import { computeHash, equalIgnoreHash, fnv32a, safeEncodeString } from '../src/template-hash.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('fnv32a', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the FNV-1a reference value', (input, want) => {
    expect(fnv32a(bytes(input))).toBe(want);
  });
});

describe('safeEncodeString', () => {
  it.each([
    ['0123456789', '456789bcdf'],
    ['', ''],
  ])('maps %j to %j', (input, want) => {
    expect(safeEncodeString(input)).toBe(want);
  });
});

describe('computeHash', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'kubesim/web:v1' }] } };

  it('gives a short name made of the safe alphabet', () => {
    expect(computeHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('is stable whatever the key order or explicit nulls', () => {
    const reordered = { spec: { containers: [{ image: 'kubesim/web:v1', name: 'web' }] }, metadata: { creationTimestamp: null, labels: { app: 'web' } } };
    expect(computeHash(reordered as never)).toBe(computeHash(template));
  });

  it('changes with the template', () => {
    const v2 = { ...template, spec: { containers: [{ name: 'web', image: 'kubesim/web:v2' }] } };
    expect(computeHash(v2)).not.toBe(computeHash(template));
  });

  it('changes with the collision count, and count 0 differs from none', () => {
    const hashes = new Set([computeHash(template), computeHash(template, 0), computeHash(template, 1), computeHash(template, 2)]);
    expect(hashes.size).toBe(4);
  });
});

describe('equalIgnoreHash', () => {
  const base = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'v1' }] } };
  it.each([
    ['ignores the pod-template-hash label', { ...base, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } }, true],
    ['ignores a null creationTimestamp', { ...base, metadata: { creationTimestamp: null, labels: { app: 'web' } } }, true],
    ['ignores empty resources, as kubectl rollout undo writes them', { ...base, spec: { containers: [{ name: 'web', image: 'v1', resources: {} }] } }, true],
    ['sees another image', { ...base, spec: { containers: [{ name: 'web', image: 'v2' }] } }, false],
    ['sees another label', { ...base, metadata: { labels: { app: 'api' } } }, false],
    ['sees a template annotation', { ...base, metadata: { labels: { app: 'web' }, annotations: { a: 'b' } } }, false],
  ])('%s', (_name, other, equal) => {
    expect(equalIgnoreHash(base, other as never)).toBe(equal);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops nulls', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: [{ z: 1, y: 2 }] } })).toBe('{"a":{"c":[{"y":2,"z":1}]},"b":1}');
  });
});
