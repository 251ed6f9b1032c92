import { describe, expect, it } from 'vitest';
import { BackendPicker, type Backend } from '@kubesim/lb';

const A: Backend = { host: '127.64.1.2', port: 8080 };
const B: Backend = { host: '127.64.1.3', port: 8080 };
const C: Backend = { host: '127.64.2.2', port: 8080 };
const hosts = (bs: Backend[]) => bs.map((b) => b.host);

describe('BackendPicker', () => {
  it.each([
    { name: 'no backends give no candidates', backends: [], picks: 2, want: [[], []] },
    { name: 'one backend is always first', backends: [A], picks: 3, want: [[A.host], [A.host], [A.host]] },
    {
      name: 'round robin starts one further each time and lists the rest as fallbacks',
      backends: [A, B, C],
      picks: 4,
      want: [
        [A.host, B.host, C.host],
        [B.host, C.host, A.host],
        [C.host, A.host, B.host],
        [A.host, B.host, C.host],
      ],
    },
    { name: 'duplicates count once', backends: [A, { ...A }, B], picks: 2, want: [[A.host, B.host], [B.host, A.host]] },
  ])('$name', ({ backends, picks, want }) => {
    const p = new BackendPicker(backends);
    const got = Array.from({ length: picks }, () => hosts(p.order('10.0.0.1', 0)));
    expect(got).toEqual(want);
  });

  it('spreads many connections evenly without affinity', () => {
    const p = new BackendPicker([A, B, C]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const first = p.order(`10.0.0.${i % 7}`, i)[0].host;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([100, 100, 100]);
  });

  it('keeps a client on its backend while affinity holds, and others still spread', () => {
    const p = new BackendPicker([A, B, C], 60);
    const first = p.order('10.0.0.1', 0)[0];
    p.remember('10.0.0.1', first, 0);
    for (let t = 1000; t <= 50_000; t += 7000) {
      const got = p.order('10.0.0.1', t)[0];
      expect(got).toBe(first);
      p.remember('10.0.0.1', got, t);
    }
    const others = new Set(Array.from({ length: 6 }, (_, i) => p.order(`10.0.1.${i}`, 60_000)[0].host));
    expect(others.size).toBe(3);
  });

  it.each([
    { name: 'expires after the timeout since the last connection', remembered: 0, at: 60_001, sticky: false },
    { name: 'holds right up to the timeout', remembered: 0, at: 60_000, sticky: true },
    { name: 'is refreshed by each connection', remembered: 50_000, at: 100_000, sticky: true },
  ])('affinity $name', ({ remembered, at, sticky }) => {
    const p = new BackendPicker([A, B, C], 60);
    p.remember('10.0.0.1', C, remembered);
    // Round robin would start with A: only affinity puts C first.
    expect(p.order('10.0.0.1', at)[0] === C).toBe(sticky);
  });

  it('moves a client whose backend went away, then keeps it on the new one', () => {
    const p = new BackendPicker([A, B], 3600);
    p.remember('10.0.0.1', B, 0);
    p.setBackends([A, C]);
    const next = p.order('10.0.0.1', 10)[0];
    expect([A, C]).toContain(next);
    p.remember('10.0.0.1', next, 10);
    for (let i = 0; i < 5; i++) expect(p.order('10.0.0.1', 20 + i)[0]).toBe(next);
  });

  it('forgets every client when affinity is turned off', () => {
    const p = new BackendPicker([A, B], 3600);
    p.remember('10.0.0.1', B, 0);
    p.setAffinity(0);
    expect(hosts([p.order('10.0.0.1', 1)[0], p.order('10.0.0.1', 2)[0]])).toEqual([A.host, B.host]);
  });
});
