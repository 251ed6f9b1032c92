import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@kubesim/api';
import { selectorString } from '../src/commands/rollout-common.js';
import { rfc3339 } from '../src/commands/rollout-restart.js';
import {
  controlledBy,
  equalIgnoreHash,
  historyOf,
  historyTable,
  podTemplateText,
  revisionOf,
  rollbackAnnotations,
  rollbackPatch,
  rollbackTarget,
} from '../src/rollout/history.js';
import { daemonSetStatus, deploymentStatus, statefulSetStatus, statusViewerFor } from '../src/rollout/status.js';

function deployment(generation: number, spec: Record<string, unknown>, status: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation, annotations }, spec, status } as KubeObject;
}

describe('deploymentStatus', () => {
  const cases: { name: string; d: KubeObject; message: string; done: boolean }[] = [
    { name: 'spec not yet observed', d: deployment(2, { replicas: 3 }, { observedGeneration: 1 }), message: 'Waiting for deployment spec update to be observed...\n', done: false },
    {
      name: 'new replicas still being updated',
      d: deployment(2, { replicas: 3 }, { observedGeneration: 2, updatedReplicas: 1, replicas: 3 }),
      message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n',
      done: false,
    },
    {
      name: 'old replicas pending termination',
      d: deployment(2, { replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 4 }),
      message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n',
      done: false,
    },
    {
      name: 'updated replicas not all available',
      d: deployment(2, { replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 }),
      message: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n',
      done: false,
    },
    {
      name: 'everything available',
      d: deployment(2, { replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
      message: 'deployment "web" successfully rolled out\n',
      done: true,
    },
    { name: 'no replicas at all is done', d: deployment(1, { replicas: 0 }, { observedGeneration: 1 }), message: 'deployment "web" successfully rolled out\n', done: true },
  ];
  for (const c of cases) it(c.name, () => expect(deploymentStatus(c.d)).toEqual({ message: c.message, done: c.done }));

  it('fails when the progress deadline is exceeded', () => {
    const d = deployment(1, { replicas: 3 }, { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(() => deploymentStatus(d)).toThrow('deployment "web" exceeded its progress deadline');
  });

  it('fails when a pinned revision is no longer the running one', () => {
    const d = deployment(1, { replicas: 0 }, { observedGeneration: 1 }, { 'deployment.kubernetes.io/revision': '2' });
    expect(() => deploymentStatus(d, 3)).toThrow('desired revision (3) is different from the running revision (2)');
    expect(deploymentStatus(d, 2).done).toBe(true);
  });
});

describe('other status viewers', () => {
  it('judges a DaemonSet by its scheduled and available pods', () => {
    const ds = (status: Record<string, unknown>) => ({ kind: 'DaemonSet', metadata: { name: 'ds', generation: 1 }, spec: {}, status: { observedGeneration: 1, ...status } }) as unknown as KubeObject;
    expect(daemonSetStatus(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 1 })).message).toBe('Waiting for daemon set "ds" rollout to finish: 1 out of 2 new pods have been updated...\n');
    expect(daemonSetStatus(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 }))).toEqual({ message: 'daemon set "ds" successfully rolled out\n', done: true });
  });

  it('judges a StatefulSet by ready replicas and revisions', () => {
    const sts = (status: Record<string, unknown>) => ({ kind: 'StatefulSet', metadata: { name: 's', generation: 1 }, spec: { replicas: 2 }, status }) as unknown as KubeObject;
    expect(statefulSetStatus(sts({})).message).toBe('Waiting for statefulset spec update to be observed...\n');
    expect(statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 1 })).message).toBe('Waiting for 1 pods to be ready...\n');
    expect(statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 2, currentRevision: 'a', updateRevision: 'a', currentReplicas: 2 }))).toEqual({
      message: 'statefulset rolling update complete 2 pods at revision a...\n',
      done: true,
    });
  });

  it('has viewers only for apps workloads', () => {
    expect(statusViewerFor('apps', 'Deployment')).toBe(deploymentStatus);
    expect(statusViewerFor('apps', 'ReplicaSet')).toBeUndefined();
    expect(statusViewerFor('', 'Pod')).toBeUndefined();
  });
});

const OWNER = { metadata: { uid: 'u1', name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'a' } } } as unknown as KubeObject;

function rs(name: string, revision: string | undefined, image: string, extra: Record<string, string> = {}, uid = 'u1'): KubeObject {
  const annotations: Record<string, string> = { ...extra };
  if (revision !== undefined) annotations['deployment.kubernetes.io/revision'] = revision;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, annotations, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid, controller: true }] },
    spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'nginx', image }] } } },
  } as unknown as KubeObject;
}

describe('revision history', () => {
  it('reads revisions: absent is 0, garbage is unreadable', () => {
    expect(revisionOf(rs('a', '3', 'x'))).toBe(3);
    expect(revisionOf(rs('a', undefined, 'x'))).toBe(0);
    expect(revisionOf(rs('a', 'two', 'x'))).toBeUndefined();
  });

  it('keeps only the ReplicaSets the Deployment controls', () => {
    expect(controlledBy([rs('a', '1', 'x'), rs('b', '2', 'x', {}, 'other')], OWNER).map((r) => r.metadata.name)).toEqual(['a']);
  });

  it('prints the REVISION / CHANGE-CAUSE table sorted by revision', () => {
    const history = historyOf([rs('b', '2', 'x'), rs('a', '1', 'y', { 'kubernetes.io/change-cause': 'kubectl set image' })]);
    expect(historyTable(history)).toBe('REVISION  CHANGE-CAUSE\n1         kubectl set image\n2         <none>\n');
    expect(historyTable(new Map())).toBe('No rollout history found.');
  });

  it('prints a revision pod template with its tabs as they are', () => {
    const text = podTemplateText(historyOf([rs('a', '1', 'nginx:1.24')]).get(1));
    expect(text).toBe(
      'Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=a\n  Containers:\n   nginx:\n    Image:\tnginx:1.24\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n',
    );
  });
});

describe('rollback', () => {
  const sets = [rs('a', '1', 'v1'), rs('c', '3', 'v3'), rs('b', '2', 'v2')];
  const cases: { to: number; name?: string; error?: string }[] = [
    { to: 0, name: 'b' },
    { to: 1, name: 'a' },
    { to: 3, name: 'c' },
    { to: 9, error: 'unable to find specified revision 9 in history' },
  ];
  for (const c of cases) {
    it(`--to-revision=${c.to} ${c.error ? 'fails' : `picks ${c.name}`}`, () => {
      if (c.error) expect(() => rollbackTarget(sets, c.to, 'web')).toThrow(c.error);
      else expect(rollbackTarget(sets, c.to, 'web').metadata.name).toBe(c.name);
    });
  }

  it('has nothing to go back to with a single revision', () => {
    expect(() => rollbackTarget([rs('a', '1', 'v1')], 0, 'web')).toThrow('no rollout history found for deployment "web"');
  });

  it('compares templates ignoring the hash label and zero values', () => {
    const dep = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'v1', resources: {} }] } };
    expect(equalIgnoreHash((rs('a', '1', 'v1') as unknown as { spec: { template: unknown } }).spec.template, dep)).toBe(true);
    expect(equalIgnoreHash((rs('a', '1', 'v2') as unknown as { spec: { template: unknown } }).spec.template, dep)).toBe(false);
  });

  it('keeps the Deployment bookkeeping annotations and takes the others from the ReplicaSet', () => {
    expect(rollbackAnnotations(OWNER, rs('a', '1', 'v1', { 'kubernetes.io/change-cause': 'first' }))).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '2',
      'kubernetes.io/change-cause': 'first',
    });
  });

  it('patches the template (without the hash label) and the annotations', () => {
    expect(rollbackPatch(OWNER, rs('a', '1', 'v1'))).toEqual([
      { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'v1' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '2' } },
    ]);
  });
});

describe('helpers', () => {
  const selectors: [Parameters<typeof selectorString>[0], string][] = [
    [{ matchLabels: { tier: 'web', app: 'x' } }, 'app=x,tier=web'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }], matchLabels: { app: 'x' } }, 'app=x,env in (dev,prod)'],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }, { key: 'b', operator: 'Exists' }] }, '!a,b'],
    [undefined, ''],
  ];
  for (const [sel, text] of selectors) it(`writes the selector ${JSON.stringify(sel)} as ${text || '""'}`, () => expect(selectorString(sel)).toBe(text));

  it('writes RFC 3339 times with Z for UTC', () => {
    const offset = new Date('2026-01-02T03:04:05Z').getTimezoneOffset();
    const text = rfc3339(new Date('2026-01-02T03:04:05.678Z'));
    expect(text).toMatch(offset === 0 ? /^2026-01-02T03:04:05Z$/ : /^2026-01-0\dT\d\d:\d\d:05[+-]\d\d:\d\d$/);
  });
});
