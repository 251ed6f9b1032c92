import { describe, expect, it } from 'vitest';
import { lastAppliedValue, LAST_APPLIED, readLastApplied, withLastApplied } from '../src/apply/last-applied.js';
import { threeWayMergePatch } from '../src/apply/three-way.js';

describe('threeWayMergePatch', () => {
  const container = { name: 'web', image: 'nginx:1.25' };
  const liveContainer = { ...container, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' };
  const cases: { name: string; original: unknown; modified: unknown; current: unknown; patch: Record<string, unknown> }[] = [
    {
      name: 'nothing changed, server defaults ignored',
      original: { spec: { replicas: 2, containers: [container] } },
      modified: { spec: { replicas: 2, containers: [container] } },
      current: { spec: { replicas: 2, containers: [liveContainer], strategy: { type: 'RollingUpdate' } }, status: { replicas: 2 } },
      patch: {},
    },
    {
      name: 'a changed scalar',
      original: { spec: { replicas: 2 } },
      modified: { spec: { replicas: 3 } },
      current: { spec: { replicas: 2 } },
      patch: { spec: { replicas: 3 } },
    },
    {
      name: 'a field removed from the manifest is deleted',
      original: { metadata: { labels: { a: '1', b: '2' } } },
      modified: { metadata: { labels: { a: '1' } } },
      current: { metadata: { labels: { a: '1', b: '2', c: 'other-writer' } } },
      patch: { metadata: { labels: { b: null } } },
    },
    {
      name: 'a field someone else changed is restored',
      original: { spec: { replicas: 2 } },
      modified: { spec: { replicas: 2 } },
      current: { spec: { replicas: 7 } },
      patch: { spec: { replicas: 2 } },
    },
    {
      name: 'a list changed in the manifest is sent whole',
      original: { spec: { containers: [container] } },
      modified: { spec: { containers: [{ ...container, image: 'nginx:1.26' }] } },
      current: { spec: { containers: [liveContainer] } },
      patch: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } },
    },
    {
      name: 'a list item dropped from the manifest is sent whole',
      original: { spec: { containers: [container, { name: 'side', image: 'busybox' }] } },
      modified: { spec: { containers: [container] } },
      current: { spec: { containers: [liveContainer, { name: 'side', image: 'busybox' }] } },
      patch: { spec: { containers: [container] } },
    },
    {
      name: 'a field removed inside a list item is sent whole',
      original: { spec: { containers: [{ ...container, command: ['run'] }] } },
      modified: { spec: { containers: [container] } },
      current: { spec: { containers: [{ ...liveContainer, command: ['run'] }] } },
      patch: { spec: { containers: [container] } },
    },
    {
      name: 'first apply over an object created otherwise (no original)',
      original: undefined,
      modified: { metadata: { labels: { a: '1' } }, spec: { replicas: 1 } },
      current: { metadata: { labels: { a: '1' } }, spec: { replicas: 1 } },
      patch: {},
    },
    {
      name: 'a new nested object',
      original: { spec: {} },
      modified: { spec: { strategy: { type: 'Recreate' } } },
      current: { spec: {} },
      patch: { spec: { strategy: { type: 'Recreate' } } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(threeWayMergePatch(c.original, c.modified, c.current)).toEqual(c.patch);
    });
  }
});

describe('last-applied-configuration', () => {
  const manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', labels: { app: 'app' } }, spec: { replicas: 1 } };

  it('is compact sorted JSON with the namespace and empty annotations filled in, plus a newline', () => {
    expect(lastAppliedValue(manifest, 'default')).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"app"},"name":"app","namespace":"default"},"spec":{"replicas":1}}\n',
    );
  });

  it('is carried by the object sent, and read back from the live object', () => {
    const sent = withLastApplied(manifest, 'default');
    expect(sent.metadata.annotations?.[LAST_APPLIED]).toBe(lastAppliedValue(manifest, 'default'));
    expect(readLastApplied(sent)).toEqual({ ...manifest, metadata: { ...manifest.metadata, annotations: {}, namespace: 'default' } });
  });

  it('does not record itself when the manifest already carries it', () => {
    const again = withLastApplied(withLastApplied(manifest, 'default'), 'default');
    expect(again.metadata.annotations?.[LAST_APPLIED]).toBe(lastAppliedValue(manifest, 'default'));
  });
});
