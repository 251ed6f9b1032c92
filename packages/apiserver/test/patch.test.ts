import { describe, expect, it } from 'vitest';
import { BadRequestError, ConflictError, InvalidError, type KubeObject, type PatchType } from '@kubesim/api';
import {
  BEFORE_FIRST_APPLY,
  applyJsonPatch,
  applyMergePatch,
  applyPatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  updateManagedFields,
} from '../src/http/patch/index.js';

const NOW = new Date('2026-11-25T17:00:00.000Z');

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '7',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'A', value: '1' }],
              imagePullPolicy: 'IfNotPresent',
            },
            { name: 'sidecar', image: 'busybox' },
          ],
          tolerations: [{ key: 'a', operator: 'Exists' }],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
    status: { replicas: 3 },
  } as KubeObject;
}

const spec = (o: unknown) => (o as any).spec;
const containers = (o: unknown) => (o as any).spec.template.spec.containers;

function expectApiError(fn: () => unknown, cls: new (...args: any[]) => Error, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(cls);
  if (message) expect((caught as Error).message).toMatch(message);
}

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: 1, 'x/y': 2, 'm~n': 3 }, list: [1, 2, 3] };
  it.each([
    ['adds a key', [{ op: 'add', path: '/a/c', value: 4 }], { a: { b: 1, 'x/y': 2, 'm~n': 3, c: 4 }, list: [1, 2, 3] }],
    ['inserts into an array', [{ op: 'add', path: '/list/1', value: 9 }], { ...doc, list: [1, 9, 2, 3] }],
    ['appends with -', [{ op: 'add', path: '/list/-', value: 4 }], { ...doc, list: [1, 2, 3, 4] }],
    ['replaces a value', [{ op: 'replace', path: '/a/b', value: 'z' }], { ...doc, a: { ...doc.a, b: 'z' } }],
    ['removes an array element', [{ op: 'remove', path: '/list/0' }], { ...doc, list: [2, 3] }],
    ['unescapes ~1 and ~0', [{ op: 'remove', path: '/a/x~1y' }, { op: 'remove', path: '/a/m~0n' }], { ...doc, a: { b: 1 } }],
    ['moves a value', [{ op: 'move', from: '/a/b', path: '/moved' }], { ...doc, a: { 'x/y': 2, 'm~n': 3 }, moved: 1 }],
    ['copies a value', [{ op: 'copy', from: '/list', path: '/copy' }], { ...doc, copy: [1, 2, 3] }],
    ['passes a matching test', [{ op: 'test', path: '/a', value: { 'm~n': 3, b: 1, 'x/y': 2 } }], doc],
    ['replaces the whole document', [{ op: 'replace', path: '', value: { z: 1 } }], { z: 1 }],
    ['adds a null value', [{ op: 'add', path: '/n', value: null }], { ...doc, n: null }],
  ])('%s', (_name, ops, expected) => {
    expect(applyJsonPatch(doc, ops)).toEqual(expected);
  });

  it.each([
    ['a failed test', [{ op: 'test', path: '/a/b', value: 2 }], /test failed/],
    ['replacing a missing key', [{ op: 'replace', path: '/a/zz', value: 1 }], /missing/],
    ['removing a missing key', [{ op: 'remove', path: '/nope' }], /missing/],
    ['a path through a missing parent', [{ op: 'add', path: '/no/such', value: 1 }], /missing/],
    ['an index out of bounds', [{ op: 'add', path: '/list/7', value: 1 }], /out of bounds/],
    ['a non-numeric index', [{ op: 'replace', path: '/list/x', value: 1 }], /invalid array index/],
    ['moving into its own child', [{ op: 'move', from: '/a', path: '/a/b/c' }], /own child/],
  ])('rejects %s with 422 Invalid', (_name, ops, message) => {
    expectApiError(() => applyJsonPatch(doc, ops), InvalidError, message);
  });

  it.each([
    ['a body that is not a list', { op: 'add' }],
    ['an unknown op', [{ op: 'frob', path: '/a' }]],
    ['a missing path', [{ op: 'add', value: 1 }]],
    ['a missing value', [{ op: 'replace', path: '/a' }]],
    ['a missing from', [{ op: 'copy', path: '/a' }]],
    ['a pointer without a leading slash', [{ op: 'remove', path: 'a' }]],
  ])('rejects %s with 400 BadRequest', (_name, ops) => {
    expectApiError(() => applyJsonPatch(doc, ops), BadRequestError);
  });

  it('applies all operations or none, and never modifies its input', () => {
    const input = deployment();
    const before = structuredClone(input);
    expectApiError(
      () => applyJsonPatch(input, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/spec/replicas', value: 3 }]),
      InvalidError,
    );
    applyJsonPatch(input, [{ op: 'replace', path: '/spec/replicas', value: 9 }]);
    expect(input).toEqual(before);
  });

  it('applies the body kubectl rollout undo sends', () => {
    const template = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: {} }] } };
    const out = applyJsonPatch(deployment(), [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '2' } },
    ]) as any;
    expect(out.spec.template).toEqual(template);
    expect(out.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2' });
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it.each([
    ['merges nested objects', { a: { b: 1, c: 2 } }, { a: { c: 3 } }, { a: { b: 1, c: 3 } }],
    ['deletes keys set to null', { a: { b: 1, c: 2 } }, { a: { b: null } }, { a: { c: 2 } }],
    ['replaces arrays whole', { l: [1, 2, 3] }, { l: [4] }, { l: [4] }],
    ['replaces a scalar with an object', { a: 1 }, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
    ['replaces the document with a non-object patch', { a: 1 }, [1], [1]],
    ['ignores deleting a missing key', { a: 1 }, { z: null }, { a: 1 }],
  ])('%s', (_name, doc, patch, expected) => {
    expect(applyMergePatch(doc, patch)).toEqual(expected);
  });

  it('applies kubectl label and scale bodies without touching the input', () => {
    const input = deployment();
    const labelled = applyMergePatch(input, { metadata: { labels: { tier: 'front', app: null } } }) as KubeObject;
    expect(labelled.metadata.labels).toEqual({ tier: 'front' });
    expect(spec(applyMergePatch(input, { spec: { replicas: 5 } })).replicas).toBe(5);
    expect(input.metadata.labels).toEqual({ app: 'web' });
  });
});

describe('strategic merge patch', () => {
  it('applies the body kubectl set image sends', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } } },
      'Deployment',
    );
    expect(containers(out)).toEqual([{ ...containers(deployment())[0], image: 'nginx:1.26' }, containers(deployment())[1]]);
  });

  it('applies the body kubectl rollout restart sends', () => {
    const out = applyStrategicMergePatch(deployment(), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T17:02:55Z' } } } } }, 'Deployment') as any;
    expect(out.spec.template.metadata).toEqual({ labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T17:02:55Z' } });
    expect(containers(out)).toEqual(containers(deployment()));
  });

  it('applies the bodies kubectl cordon and uncordon send', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24' } } as KubeObject;
    const cordoned = applyStrategicMergePatch(node, { spec: { unschedulable: true } }, 'Node');
    expect(spec(cordoned)).toEqual({ podCIDR: '10.0.0.0/24', unschedulable: true });
    expect(spec(applyStrategicMergePatch(cordoned, { spec: { unschedulable: null } }, 'Node'))).toEqual({ podCIDR: '10.0.0.0/24' });
  });

  it("applies client-side apply's three-way patch with $setElementOrder", () => {
    const lastApplied = '{"apiVersion":"apps/v1","kind":"Deployment"}\n';
    const out = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
        spec: { replicas: 2, template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } },
      },
      'Deployment',
    ) as any;
    expect(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(lastApplied);
    expect(out.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(out.spec.replicas).toBe(2);
    expect(containers(out).map((c: any) => [c.name, c.image])).toEqual([
      ['sidecar', 'busybox'],
      ['nginx', 'nginx:1.26'],
    ]);
    expect(containers(out)[1].imagePullPolicy).toBe('IfNotPresent');
  });

  type Case = [string, string, unknown, (out: any) => unknown, unknown];
  const cases: Case[] = [
    ['merges a new container at the end', 'Deployment', { spec: { template: { spec: { containers: [{ name: 'extra', image: 'x' }] } } } }, (o) => containers(o).map((c: any) => c.name), ['nginx', 'sidecar', 'extra']],
    ['merges env by name inside a container', 'Deployment', { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'B', value: '2' }, { name: 'A', value: '9' }] }] } } } }, (o) => containers(o)[0].env, [{ name: 'A', value: '9' }, { name: 'B', value: '2' }]],
    ['merges container ports by containerPort', 'Deployment', { spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'http' }] }] } } } }, (o) => containers(o)[0].ports, [{ containerPort: 80, protocol: 'TCP', name: 'http' }]],
    ['deletes a list element with $patch: delete', 'Deployment', { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }, (o) => containers(o).map((c: any) => c.name), ['nginx']],
    ['replaces a merge list with $patch: replace', 'Deployment', { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } }, (o) => containers(o), [{ name: 'only', image: 'x' }]],
    ['replaces a map with $patch: replace', 'Deployment', { spec: { selector: { $patch: 'replace', matchLabels: { run: 'x' } } } }, (o) => o.spec.selector, { matchLabels: { run: 'x' } }],
    ['deletes a map with $patch: delete', 'Deployment', { spec: { template: { metadata: { $patch: 'delete' } } } }, (o) => o.spec.template.metadata, undefined],
    ['keeps $patch: merge a plain merge', 'Deployment', { metadata: { $patch: 'merge', labels: { b: '2' } } }, (o) => o.metadata.labels, { app: 'web', b: '2' }],
    ['replaces tolerations, which have no merge key', 'Deployment', { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } }, (o) => o.spec.template.spec.tolerations, [{ key: 'b', operator: 'Exists' }]],
    ['deletes a key set to null', 'Deployment', { metadata: { labels: { app: null } } }, (o) => o.metadata.labels, {}],
    ['clears fields $retainKeys does not list', 'Deployment', { spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] } } } }, (o) => o.spec.template.spec.volumes, [{ name: 'data', hostPath: { path: '/x' } }]],
    ['orders elements with $setElementOrder alone', 'Deployment', { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } } } }, (o) => containers(o).map((c: any) => c.name), ['sidecar', 'nginx']],
    ['strips directives from newly added maps', 'Deployment', { spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: null } } } }, (o) => o.spec.strategy, { rollingUpdate: { maxSurge: 1 } }],
  ];
  it.each(cases)('%s', (_name, kind, patch, pick, expected) => {
    expect(pick(applyStrategicMergePatch(deployment(), patch, kind))).toEqual(expected);
  });

  it('interleaves server-only elements by their server position, as strategicpatch does', () => {
    const pod = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }, { name: 'server' }, { name: 'b' }] } } as KubeObject;
    const out = applyStrategicMergePatch(pod, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'new' }], containers: [{ name: 'new' }] } }, 'Pod');
    expect(spec(out).containers.map((c: any) => c.name)).toEqual(['server', 'b', 'a', 'new']);
  });

  it('merges finalizers as a set and removes with $deleteFromPrimitiveList', () => {
    const obj = { kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a', 'b'] } } as KubeObject;
    const added = applyStrategicMergePatch(obj, { metadata: { finalizers: ['b', 'c'] } }, 'ConfigMap') as KubeObject;
    expect(added.metadata.finalizers).toEqual(['a', 'b', 'c']);
    const removed = applyStrategicMergePatch(added, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'c'] } }, 'ConfigMap') as KubeObject;
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('merges owner references by uid', () => {
    const obj = { kind: 'Pod', metadata: { name: 'p', ownerReferences: [{ uid: '1', name: 'a', kind: 'ReplicaSet', apiVersion: 'apps/v1' }] } } as KubeObject;
    const out = applyStrategicMergePatch(obj, { metadata: { ownerReferences: [{ uid: '2', name: 'b', kind: 'ReplicaSet', apiVersion: 'apps/v1' }] } }, 'Pod') as KubeObject;
    expect(out.metadata.ownerReferences!.map((r) => r.uid)).toEqual(['1', '2']);
  });

  it('merges service ports by port and replaces node taints whole', () => {
    const svc = { kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, nodePort: 31086, protocol: 'TCP' }] } } as KubeObject;
    const patched = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 443, protocol: 'TCP' }] } }, 'Service');
    expect(spec(patched).ports).toEqual([{ port: 80, nodePort: 31086, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }]);
    const node = { kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } } as KubeObject;
    const tainted = applyStrategicMergePatch(node, { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } }, 'Node');
    expect(spec(tainted).taints).toEqual([{ key: 'b', effect: 'NoExecute' }]);
  });

  it('merges node conditions and addresses by type', () => {
    const node = { kind: 'Node', metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'False' }], addresses: [{ type: 'InternalIP', address: '1' }] } } as KubeObject;
    const out = applyStrategicMergePatch(node, { status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'n' }] } }, 'Node') as any;
    expect(out.status.conditions).toEqual([{ type: 'Ready', status: 'True' }]);
    expect(out.status.addresses).toEqual([{ type: 'InternalIP', address: '1' }, { type: 'Hostname', address: 'n' }]);
  });

  it('replaces lists of kinds it has no merge metadata for', () => {
    const cm = { kind: 'Widget', metadata: { name: 'w' }, spec: { items: [{ name: 'a' }] } } as KubeObject;
    expect(spec(applyStrategicMergePatch(cm, { spec: { items: [{ name: 'b' }] } }, 'Widget')).items).toEqual([{ name: 'b' }]);
  });

  it.each([
    ['an element without its merge key', { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, BadRequestError],
    ['an unknown $patch value', { spec: { $patch: 'explode' } }, BadRequestError],
    ['a $setElementOrder that is not a list', { spec: { template: { spec: { '$setElementOrder/containers': 'nginx' } } } }, BadRequestError],
    ['a $retainKeys that is not a list', { spec: { $retainKeys: 'x' } }, BadRequestError],
    ['content $retainKeys does not list', { spec: { $retainKeys: ['replicas'], paused: true } }, InvalidError],
    ['a patch that is not an object', ['x'], BadRequestError],
  ])('rejects %s', (_name, patch, cls) => {
    expectApiError(() => applyStrategicMergePatch(deployment(), patch, 'Deployment'), cls);
  });
});

describe('applyPatch', () => {
  it.each([
    ['json', [{ op: 'replace', path: '/spec/replicas', value: 4 }]],
    ['merge', { spec: { replicas: 4 } }],
    ['strategic', { spec: { replicas: 4 } }],
  ] as [PatchType, unknown][])('dispatches a %s patch', (type, patch) => {
    expect(spec(applyPatch(type, deployment(), patch, 'Deployment')).replicas).toBe(4);
  });

  it('dispatches an apply patch when given a field manager', () => {
    const out = applyPatch('apply', undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, 'ConfigMap', { manager: 'kubectl' }) as KubeObject;
    expect(out.metadata.managedFields?.[0]?.manager).toBe('kubectl');
  });

  it('rejects an apply patch without a field manager and results that are not objects', () => {
    expectApiError(() => applyPatch('apply', deployment(), {}, 'Deployment'), BadRequestError, /fieldManager/);
    expectApiError(() => applyPatch('merge', deployment(), 'scalar', 'Deployment'), BadRequestError);
    expectApiError(() => applyPatch('json', deployment(), [{ op: 'replace', path: '', value: 3 }], 'Deployment'), BadRequestError);
  });
});

function appliedDeployment(replicas: number, extra: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', ...extra } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    },
  } as KubeObject;
}

describe('server-side apply', () => {
  it('creates the object with an Apply entry in FieldsV1 notation', () => {
    const out = applyServerSideApply(undefined, appliedDeployment(3), { manager: 'kubectl', now: NOW });
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-11-25T17:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': { 'f:matchLabels': { 'f:app': {} } },
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
    expect(spec(out).replicas).toBe(3);
  });

  it('ignores status in the applied configuration and rejects managedFields in it', () => {
    const out = applyServerSideApply(undefined, { ...appliedDeployment(1), status: { replicas: 9 } } as KubeObject, { manager: 'm' });
    expect((out as any).status).toBeUndefined();
    const withFields = appliedDeployment(1);
    withFields.metadata.managedFields = [{ manager: 'x' }];
    expectApiError(() => applyServerSideApply(undefined, withFields, { manager: 'm' }), BadRequestError, /managedFields/);
    expectApiError(() => applyServerSideApply(undefined, appliedDeployment(1), { manager: '' }), BadRequestError, /fieldManager/);
  });

  it('removes fields the manager applied before and leaves out now', () => {
    const first = applyServerSideApply(undefined, appliedDeployment(3, { tier: 'front' }), { manager: 'kubectl' });
    const second = applyServerSideApply(first, appliedDeployment(3), { manager: 'kubectl' });
    expect(second.metadata.labels).toEqual({ app: 'web' });
  });

  it('keeps fields it leaves out when another manager owns them', () => {
    const first = applyServerSideApply(undefined, appliedDeployment(3, { tier: 'front' }), { manager: 'kubectl' });
    const labelled = applyServerSideApply(first, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { tier: 'front' } } } as KubeObject, { manager: 'other' });
    const second = applyServerSideApply(labelled, appliedDeployment(3), { manager: 'kubectl' });
    expect(second.metadata.labels).toEqual({ app: 'web', tier: 'front' });
  });

  it('reports a conflict when another manager owns a changed field', () => {
    const created = updateManagedFields(undefined, { ...appliedDeployment(3), metadata: { ...appliedDeployment(3).metadata } }, 'kubectl-client-side-apply', 'Update', { now: NOW });
    let caught: unknown;
    try {
      applyServerSideApply(created, appliedDeployment(5), { manager: 'kubectl' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConflictError);
    const err = caught as ConflictError;
    expect(err.httpCode).toBe(409);
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(err.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
  });

  it('lists every conflict, grouped by manager', () => {
    const created = updateManagedFields(undefined, appliedDeployment(3), 'kubectl-create', 'Update');
    const changed = appliedDeployment(5);
    (changed as any).spec.template.spec.containers[0].image = 'nginx:1.26';
    expectApiError(
      () => applyServerSideApply(created, changed, { manager: 'kubectl' }),
      ConflictError,
      /^Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps\/v1:\n- \.spec\.replicas\n- \.spec\.template\.spec\.containers\[name="nginx"\]\.image$/,
    );
  });

  it('takes over conflicting fields with force', () => {
    const created = updateManagedFields(undefined, appliedDeployment(3), 'kubectl-client-side-apply', 'Update');
    const out = applyServerSideApply(created, appliedDeployment(5), { manager: 'kubectl', force: true });
    expect(spec(out).replicas).toBe(5);
    const csa = out.metadata.managedFields!.find((e) => e.manager === 'kubectl-client-side-apply')!;
    expect((csa.fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();
    const mine = out.metadata.managedFields!.find((e) => e.manager === 'kubectl')!;
    expect((mine.fieldsV1 as any)['f:spec']['f:replicas']).toEqual({});
  });

  it('shares fields applied with the value they already have', () => {
    const created = updateManagedFields(undefined, appliedDeployment(3), 'kubectl-create', 'Update');
    const out = applyServerSideApply(created, appliedDeployment(3), { manager: 'kubectl' });
    expect(out.metadata.managedFields!.map((e) => [e.manager, e.operation])).toEqual([
      ['kubectl-create', 'Update'],
      ['kubectl', 'Apply'],
    ]);
  });

  it('treats an object without managedFields as owned by before-first-apply', () => {
    const live = appliedDeployment(3);
    expectApiError(() => applyServerSideApply(live, appliedDeployment(4), { manager: 'kubectl' }), ConflictError, new RegExp(`"${BEFORE_FIRST_APPLY}"`));
  });

  it('merges applied list elements by key, leaving elements other managers own', () => {
    const created = updateManagedFields(undefined, appliedDeployment(3), 'kubectl-create', 'Update');
    const withSidecar = appliedDeployment(3);
    (withSidecar as any).spec.template.spec.containers = [{ name: 'sidecar', image: 'busybox' }];
    const out = applyServerSideApply(created, withSidecar, { manager: 'kubectl' });
    expect(containers(out).map((c: any) => c.name)).toEqual(['nginx', 'sidecar']);
  });
});

describe('updateManagedFields', () => {
  it('gives the creator every field', () => {
    const out = updateManagedFields(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd', uid: 'u' }, data: { a: '1' } } as KubeObject, 'kubectl-create', 'Update', { now: NOW });
    expect(out.metadata.managedFields).toEqual([
      { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2026-11-25T17:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
    ]);
  });

  it('moves changed fields to the writer and drops fields that are gone', () => {
    const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } } as KubeObject;
    const created = updateManagedFields(undefined, base, 'creator');
    const next = { ...created, data: { a: '9' } } as KubeObject;
    const out = updateManagedFields(created, next, 'editor');
    expect(out.metadata.managedFields!.map((e) => [e.manager, e.fieldsV1])).toEqual([['editor', { 'f:data': { 'f:a': {} } }]]);
  });

  it('keeps the stored entries when the written object carries none', () => {
    const created = updateManagedFields(undefined, appliedDeployment(3), 'creator');
    const { managedFields: _, ...meta } = created.metadata;
    const next = { ...created, metadata: meta, spec: { ...spec(created), replicas: 4 } } as KubeObject;
    const out = updateManagedFields(created, next, 'scaler');
    expect(out.metadata.managedFields!.map((e) => e.manager)).toEqual(['creator', 'scaler']);
    expect((out.metadata.managedFields![1].fieldsV1 as any)).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });
});
