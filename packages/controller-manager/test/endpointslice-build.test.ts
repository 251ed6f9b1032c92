import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Pod, Service } from '@kubesim/api';
import { endpointPorts, planSlices, podToEndpoint, sliceLabels, type SlicePlan } from '../src/endpointslice-build.js';

const SVC_UID = 'svc-uid';

function pod(name: string, ip: string | undefined, ready: boolean, extra: { spec?: Partial<Pod['spec']>; phase?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(extra.deleting ? { deletionTimestamp: '2026-11-25T17:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }], nodeName: 'node-1', ...extra.spec },
    status: { phase: extra.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  } as Pod;
}

function svc(extra: Partial<Service['spec']> = {}, labels: Record<string, string> = {}): Service {
  return {
    metadata: { name: 'web', namespace: 'default', uid: SVC_UID, labels },
    spec: { selector: { app: 'web' }, clusterIP: '127.128.0.10', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...extra },
  } as Service;
}

const OWNER = { apiVersion: 'v1', kind: 'Service', name: 'web', uid: SVC_UID, controller: true, blockOwnerDeletion: true };
const LABELS = { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' };
const HTTP = [{ name: 'http', port: 8080, protocol: 'TCP' }];

/** A slice as the apiserver returns it, holding endpoints for the given pods. */
function existing(name: string, pods: Pod[], extra: Partial<EndpointSlice> = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', labels: LABELS, ownerReferences: [OWNER] },
    addressType: 'IPv4',
    endpoints: pods.map((p) => podToEndpoint(svc(), p)!),
    ports: HTTP,
    ...extra,
  };
}

/** The plan as names and addresses, for compact expectations. */
function summary(plan: SlicePlan) {
  const ips = (s: EndpointSlice) => s.endpoints.map((e) => e.addresses[0]);
  return {
    create: plan.create.map(ips),
    update: plan.update.map((s) => [s.metadata.name, ips(s)]),
    delete: plan.delete.map((s) => s.metadata.name),
  };
}

const pods = (n: number, from = 2) => Array.from({ length: n }, (_, i) => pod(`p${from + i}`, `127.64.${Math.floor((from + i) / 250)}.${(from + i) % 250}`, true));

describe('podToEndpoint', () => {
  it.each([
    ['a ready pod', pod('a', '127.64.1.2', true), { ready: true, serving: true, terminating: false }],
    ['a pod that is not ready', pod('a', '127.64.1.2', false), { ready: false, serving: false, terminating: false }],
    ['a ready pod being deleted', pod('a', '127.64.1.2', true, { deleting: true }), { ready: false, serving: true, terminating: true }],
    ['a pod being deleted that is not ready', pod('a', '127.64.1.2', false, { deleting: true }), { ready: false, serving: false, terminating: true }],
  ])('gives %s the conditions upstream defines', (_name, p, conditions) => {
    expect(podToEndpoint(svc(), p)).toEqual({
      addresses: ['127.64.1.2'],
      conditions,
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
      nodeName: 'node-1',
    });
  });

  it('marks every endpoint ready when the Service publishes not-ready addresses', () => {
    expect(podToEndpoint(svc({ publishNotReadyAddresses: true }), pod('a', '127.64.1.2', false))?.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it('sets the hostname of a pod whose subdomain is the Service', () => {
    expect(podToEndpoint(svc(), pod('a', '127.64.1.2', true, { spec: { hostname: 'a-0', subdomain: 'web' } }))?.hostname).toBe('a-0');
    expect(podToEndpoint(svc(), pod('a', '127.64.1.2', true, { spec: { hostname: 'a-0', subdomain: 'other' } }))?.hostname).toBeUndefined();
  });
});

describe('endpointPorts', () => {
  it.each([
    ['a named target port', [{ name: 'http', port: 80, targetPort: 'http' }], [{ name: 'http', port: 8080, protocol: 'TCP' }]],
    ['a numeric target port, unnamed', [{ port: 80, targetPort: 9090 }], [{ name: '', port: 9090, protocol: 'TCP' }]],
    ['a named port the pod lacks', [{ name: 'metrics', port: 9100, targetPort: 'metrics' }], []],
    ['an appProtocol', [{ name: 'h2', port: 80, targetPort: 8080, appProtocol: 'kubernetes.io/h2c' }], [{ name: 'h2', port: 8080, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' }]],
  ])('resolves %s per pod', (_name, ports, want) => {
    expect(endpointPorts(svc({ ports: ports as any }), pod('a', '127.64.1.2', true))).toEqual(want);
  });
});

describe('sliceLabels', () => {
  it.each([
    ['adds the service name and manager to the Service labels', svc({}, { app: 'web' }), { app: 'web', ...LABELS }],
    [
      'overrides reserved labels the Service carries',
      svc({}, { 'kubernetes.io/service-name': 'other', 'endpointslice.kubernetes.io/managed-by': 'me', 'service.kubernetes.io/headless': '' }),
      LABELS,
    ],
    ['marks a headless Service', svc({ clusterIP: 'None' }), { 'service.kubernetes.io/headless': '', ...LABELS }],
  ])('%s', (_name, service, want) => {
    expect(sliceLabels(service)).toEqual(want);
  });
});

describe('planSlices', () => {
  it('creates one slice owned by the Service listing its serving pods, sorted by address', () => {
    const plan = planSlices(svc({}, { tier: 'front' }), [pod('b', '127.64.1.10', true), pod('a', '127.64.1.9', false), pod('pending', undefined, false), pod('done', '127.64.1.4', true, { phase: 'Succeeded' })], []);
    expect(plan.update).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.create).toEqual([
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { generateName: 'web-', namespace: 'default', labels: { tier: 'front', ...LABELS }, ownerReferences: [OWNER] },
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['127.64.1.9'], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' }, nodeName: 'node-1' },
          { addresses: ['127.64.1.10'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' }, nodeName: 'node-1' },
        ],
        ports: HTTP,
      },
    ]);
  });

  it.each([
    ['nothing when the slice already matches', [pod('a', '127.64.1.2', true)], [existing('web-1', [pod('a', '127.64.1.2', true)])], { create: [], update: [], delete: [] }],
    [
      'an update when a pod turns not ready',
      [pod('a', '127.64.1.2', false)],
      [existing('web-1', [pod('a', '127.64.1.2', true)])],
      { create: [], update: [['web-1', ['127.64.1.2']]], delete: [] },
    ],
    [
      'new pods into the slice that has room',
      [pod('a', '127.64.1.2', true), pod('b', '127.64.1.3', true)],
      [existing('web-1', [pod('a', '127.64.1.2', true)])],
      { create: [], update: [['web-1', ['127.64.1.2', '127.64.1.3']]], delete: [] },
    ],
    [
      'a slice whose pods are all gone deleted, the others kept',
      [pod('b', '127.64.1.3', true)],
      [existing('web-1', [pod('a', '127.64.1.2', true)]), existing('web-2', [pod('b', '127.64.1.3', true)])],
      { create: [], update: [], delete: ['web-1'] },
    ],
    [
      'the last pod gone: the slice kept empty as the placeholder',
      [],
      [existing('web-1', [pod('a', '127.64.1.2', true)])],
      { create: [], update: [['web-1', []]], delete: [] },
    ],
    ['no pods and an empty placeholder: nothing', [], [existing('web-1', [], { ports: [] })], { create: [], update: [], delete: [] }],
    ['no pods and no slices: a placeholder created', [], [], { create: [[]], update: [], delete: [] }],
    [
      'slices of an earlier Service of the same name deleted',
      [pod('a', '127.64.1.2', true)],
      [existing('web-old', [pod('a', '127.64.1.2', true)], { metadata: { ...existing('x', []).metadata, name: 'web-old', ownerReferences: [{ ...OWNER, uid: 'old' }] } })],
      { create: [['127.64.1.2']], update: [], delete: ['web-old'] },
    ],
    [
      'a slice with the old ports replaced when the target port changes',
      [pod('a', '127.64.1.2', true, { spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 9090 }] }] } })],
      [existing('web-1', [pod('a', '127.64.1.2', true)])],
      { create: [['127.64.1.2']], update: [], delete: ['web-1'] },
    ],
  ])('plans %s', (_name, podList, slices, want) => {
    expect(summary(planSlices(svc(), podList, slices))).toEqual(want);
  });

  it('restores labels changed by someone else, keeping other owners', () => {
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm-uid' };
    const tampered = existing('web-1', [pod('a', '127.64.1.2', true)], {});
    tampered.metadata = { ...tampered.metadata, labels: { ...LABELS, extra: 'x' }, ownerReferences: [OWNER, other] };
    const [updated] = planSlices(svc(), [pod('a', '127.64.1.2', true)], [tampered]).update;
    expect(updated.metadata.labels).toEqual(LABELS);
    expect(updated.metadata.ownerReferences).toEqual([OWNER, other]);
    expect(updated.metadata.resourceVersion).toBe('7');
  });

  it('spreads more than maxPerSlice endpoints over several slices, filling existing ones first', () => {
    const plan = planSlices(svc(), pods(250), []);
    expect(plan.create.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    const grown = planSlices(svc(), pods(260), [existing('web-1', pods(100)), existing('web-2', pods(100, 102)), existing('web-3', pods(50, 202))]);
    expect(grown.create).toEqual([]);
    expect(grown.update.map((s) => [s.metadata.name, s.endpoints.length])).toEqual([['web-3', 60]]);
  });

  it('keeps pods whose named ports resolve differently in separate slices', () => {
    const other = pod('x', '127.64.1.3', true, { spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 9000 }] }] } });
    const plan = planSlices(svc(), [pod('a', '127.64.1.2', true), other], []);
    expect(plan.create.map((s) => [s.ports, s.endpoints.map((e) => e.addresses[0])])).toEqual([
      [HTTP, ['127.64.1.2']],
      [[{ name: 'http', port: 9000, protocol: 'TCP' }], ['127.64.1.3']],
    ]);
  });
});
