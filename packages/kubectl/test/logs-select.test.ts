import { describe, expect, it } from 'vitest';
import { podSelectorOf } from '../src/commands/logs-pods.js';
import { allContainerNames, chooseContainers, compareForLogging, logQuery, type LogFlags } from '../src/commands/logs-select.js';

function pod(name: string, opts: { node?: string; phase?: string; ready?: string; restarts?: number; created?: string } = {}) {
  return {
    metadata: { name, creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z' },
    spec: { nodeName: opts.node ?? 'node-1', containers: [{ name: 'c' }] },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: opts.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: opts.ready }] : [],
      containerStatuses: [{ name: 'c', restartCount: opts.restarts ?? 0 }],
    },
  };
}

describe('compareForLogging picks the pod kubectl logs reads', () => {
  const cases: { name: string; pods: ReturnType<typeof pod>[]; first: string }[] = [
    { name: 'scheduled before unscheduled', pods: [pod('a', { node: '' }), pod('b')], first: 'b' },
    { name: 'Running before Pending', pods: [pod('a', { phase: 'Pending' }), pod('b')], first: 'b' },
    { name: 'Unknown before Pending', pods: [pod('a', { phase: 'Pending' }), pod('b', { phase: 'Unknown' })], first: 'b' },
    { name: 'ready before not ready', pods: [pod('a'), pod('b', { ready: '2026-01-01T00:00:00Z' })], first: 'b' },
    { name: 'ready longer first', pods: [pod('a', { ready: '2026-01-01T00:05:00Z' }), pod('b', { ready: '2026-01-01T00:01:00Z' })], first: 'b' },
    { name: 'more restarts first', pods: [pod('a', { restarts: 1 }), pod('b', { restarts: 4 })], first: 'b' },
    { name: 'older first', pods: [pod('a', { created: '2026-01-02T00:00:00Z' }), pod('b', { created: '2026-01-01T00:00:00Z' })], first: 'b' },
  ];
  for (const c of cases) it(c.name, () => expect([...c.pods].sort(compareForLogging)[0].metadata.name).toBe(c.first));
});

describe('chooseContainers', () => {
  const multi = {
    metadata: { name: 'p', annotations: {} as Record<string, string> },
    spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'main' }, { name: 'side' }] },
  };
  const cases: { name: string; pod: unknown; container: string; all: boolean; containers: string[]; notices: string[] }[] = [
    { name: 'a single container needs no notice', pod: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }, container: '', all: false, containers: ['c'], notices: [] },
    { name: 'several containers default to the first, with a notice', pod: multi, container: '', all: false, containers: ['main'], notices: ['Defaulted container "main" out of: main, side, setup (init)'] },
    { name: 'a named container is used as is', pod: multi, container: 'side', all: false, containers: ['side'], notices: [] },
    { name: 'all containers, init ones first', pod: multi, container: '', all: true, containers: ['setup', 'main', 'side'], notices: [] },
    {
      name: 'the default-container annotation wins',
      pod: { ...multi, metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/default-container': 'side' } } },
      container: '',
      all: false,
      containers: ['side'],
      notices: [],
    },
  ];
  for (const c of cases) it(c.name, () => expect(chooseContainers(c.pod, c.container, c.all)).toEqual({ containers: c.containers, notices: c.notices }));

  it('rejects a container the pod does not have', () => {
    expect(() => chooseContainers(multi, 'nope', false)).toThrow('container nope is not valid for pod p');
  });

  it('lists containers, ephemeral and init ones marked', () => {
    expect(allContainerNames({ spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'i' }], ephemeralContainers: [{ name: 'e' }] } })).toBe('a, e (ephem), i (init)');
  });
});

describe('logQuery', () => {
  const base: LogFlags = { follow: false, previous: false, timestamps: false, tail: -1, tailSet: false, bySelector: false, sinceMs: 0, sinceTime: '', limitBytes: 0 };
  const cases: { name: string; flags: Partial<LogFlags>; query: Record<string, string> }[] = [
    { name: 'only the container by default', flags: {}, query: { container: 'c' } },
    {
      name: 'every flag, in client-go order',
      flags: { follow: true, previous: true, timestamps: true, tail: 5, tailSet: true, sinceMs: 4500, limitBytes: 100 },
      query: { container: 'c', follow: 'true', limitBytes: '100', previous: 'true', sinceSeconds: '5', tailLines: '5', timestamps: 'true' },
    },
    { name: 'a selector defaults the tail to 10 lines', flags: { bySelector: true }, query: { container: 'c', tailLines: '10' } },
    { name: 'an explicit --tail=-1 with a selector shows everything', flags: { bySelector: true, tailSet: true }, query: { container: 'c' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const q = logQuery('c', { ...base, ...c.flags });
      expect(q).toEqual(c.query);
      expect(Object.keys(q)).toEqual(Object.keys(c.query));
    });
  }
});

describe('podSelectorOf', () => {
  const cases: { name: string; obj: unknown; selector?: string; error?: string }[] = [
    { name: 'a Deployment by its label selector', obj: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { selector: { matchLabels: { app: 'web' } } } }, selector: 'app=web' },
    { name: 'a Service by its selector map', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { b: '2', a: '1' } } }, selector: 'a=1,b=2' },
    {
      name: 'a Service without a selector',
      obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} },
      error: "cannot get the logs from *v1.Service: invalid service 's': Service is defined without a selector",
    },
    { name: 'a ConfigMap', obj: { apiVersion: 'v1', kind: 'ConfigMap' }, error: 'cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not implemented' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) expect(() => podSelectorOf(c.obj)).toThrow(c.error);
      else expect(podSelectorOf(c.obj)).toBe(c.selector);
    });
  }
});
