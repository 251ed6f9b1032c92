import { describe, expect, it } from 'vitest';
import { RESOURCES, findResourceByKind, type KubeObject, type ResourceInfo } from '@kubesim/api';
import { humanDuration, shortHumanDuration } from '@kubesim/api';
import { toTable } from '../src/http/tables/index.js';

const NOW = new Date('2026-11-25T17:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

function info(apiVersion: string, kind: string): ResourceInfo {
  const found = findResourceByKind(apiVersion, kind);
  if (!found) throw new Error(`no resource ${apiVersion} ${kind}`);
  return found;
}

/** The cells of the one row a single object prints as. */
function cells(apiVersion: string, kind: string, obj: Record<string, unknown>): unknown[] {
  const object = { apiVersion, kind, ...obj, metadata: { name: 'x', creationTimestamp: ago(17), ...(obj.metadata as object) } } as KubeObject;
  return toTable(info(apiVersion, kind), [object], { now: NOW }).rows[0].cells;
}

/** The named column's cell for one object. */
function cell(apiVersion: string, kind: string, column: string, obj: Record<string, unknown>): unknown {
  const table = toTable(info(apiVersion, kind), [], { now: NOW });
  const index = table.columnDefinitions!.findIndex((c) => c.name === column);
  expect(index).toBeGreaterThanOrEqual(0);
  return cells(apiVersion, kind, obj)[index];
}

describe('durations', () => {
  it.each([
    [-5, '<invalid>'],
    [-1.5, '0s'],
    [0, '0s'],
    [59, '59s'],
    [119, '119s'],
    [120, '2m'],
    [5 * 60 + 3, '5m3s'],
    [10 * 60 + 3, '10m'],
    [179 * 60, '179m'],
    [3 * 3600 + 20 * 60, '3h20m'],
    [8 * 3600 + 5 * 60, '8h'],
    [47 * 3600, '47h'],
    [53 * 3600, '2d5h'],
    [3 * 86400, '3d'],
    [400 * 86400, '400d'],
    [3 * 365 * 86400 + 12 * 86400, '3y12d'],
    [9 * 365 * 86400, '9y'],
  ])('HumanDuration(%ss) is %s', (seconds, expected) => {
    expect(humanDuration(seconds * 1000)).toBe(expected);
  });

  it.each([
    [59, '59s'],
    [61, '1m'],
    [3599, '59m'],
    [7200, '2h'],
    [3 * 86400, '3d'],
    [800 * 86400, '2y'],
  ])('ShortHumanDuration(%ss) is %s', (seconds, expected) => {
    expect(shortHumanDuration(seconds * 1000)).toBe(expected);
  });
});

describe('Table shape', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'nginx', namespace: 'default', labels: { run: 'nginx' }, uid: 'u1', creationTimestamp: ago(17), resourceVersion: '1007' },
    spec: { containers: [{ name: 'nginx' }], nodeName: 'node-1' },
    status: { phase: 'Running', podIP: '10.244.0.16', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: { running: {} } }] },
  } as KubeObject;

  it('is a meta.k8s.io/v1 Table with column definitions and PartialObjectMetadata rows', () => {
    const table = toTable(info('v1', 'Pod'), [pod], { now: NOW, resourceVersion: '1007', continue: 'tok' });
    expect(table).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '1007', continue: 'tok' },
      columnDefinitions: expect.any(Array),
      rows: [
        {
          cells: ['nginx', '1/1', 'Running', '0', '17s', '10.244.0.16', 'node-1', '<none>', '<none>'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata },
        },
      ],
    });
    expect(table.columnDefinitions!.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
    for (const c of table.columnDefinitions!) expect(c.description).not.toBe('');
  });

  it('omits the column definitions on request, as later watch events do', () => {
    expect(toTable(info('v1', 'Pod'), [pod], { now: NOW, noHeaders: true }).columnDefinitions).toBeNull();
  });

  it('gives every served resource one cell per column, even for a bare object', () => {
    for (const res of RESOURCES) {
      const obj = { apiVersion: res.group ? `${res.group}/${res.version}` : res.version, kind: res.kind, metadata: { name: 'bare' } } as KubeObject;
      const table = toTable(res, [obj], { now: NOW });
      expect(table.rows[0].cells, res.kind).toHaveLength(table.columnDefinitions!.length);
      expect(table.rows[0].cells[table.columnDefinitions!.findIndex((c) => c.format === 'name')], res.kind).toBe('bare');
    }
  });

  it('prints kinds without a printer as Name and Created At', () => {
    const table = toTable({ group: 'example.com', kind: 'Widget' }, [{ metadata: { name: 'w', creationTimestamp: '2026-11-25T16:00:00.000Z' } } as KubeObject], { now: NOW });
    expect(table.columnDefinitions!.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(table.rows[0].cells).toEqual(['w', '2026-11-25T16:00:00Z']);
  });
});

const running = { running: { startedAt: ago(100) } };
type PodCase = [string, Record<string, unknown>, Record<string, unknown>, string[] | undefined, Record<string, unknown>?];
const podCases: PodCase[] = [
  ['Pending without statuses', { containers: [{ name: 'a' }] }, { phase: 'Pending' }, ['0/1', 'Pending', '0']],
  ['ContainerCreating', { containers: [{ name: 'a' }] }, { phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }] }, ['0/1', 'ContainerCreating', '0']],
  ['ErrImagePull', { containers: [{ name: 'a' }] }, { phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ErrImagePull' } } }] }, ['0/1', 'ErrImagePull', '0']],
  [
    'CrashLoopBackOff with the last restart',
    { containers: [{ name: 'a' }] },
    { phase: 'Running', containerStatuses: [{ name: 'a', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(125) } } }] },
    ['0/1', 'CrashLoopBackOff', '3 (2m5s ago)'],
  ],
  ['Completed', { containers: [{ name: 'a' }] }, { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, ['0/1', 'Completed', '0']],
  ['an exit code without a reason', { containers: [{ name: 'a' }] }, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] }, ['0/1', 'ExitCode:2', '0']],
  ['a signal without a reason', { containers: [{ name: 'a' }] }, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } }] }, ['0/1', 'Signal:9', '0']],
  [
    'Running when a completed container sits beside a ready one',
    { containers: [{ name: 'a' }, { name: 'b' }] },
    { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', ready: true, state: running }] },
    ['1/2', 'Running', '0'],
  ],
  [
    'NotReady when that pod lacks the Ready condition',
    { containers: [{ name: 'a' }, { name: 'b' }] },
    { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', ready: true, state: running }] },
    ['1/2', 'NotReady', '0'],
  ],
  ['Init:0/1 while the init container runs', { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: running }] }, ['0/1', 'Init:0/1', '0']],
  ['Init:1/2 after the first init container', { initContainers: [{ name: 'i' }, { name: 'j' }], containers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 0 } } }, { name: 'j', state: { waiting: { reason: 'PodInitializing' } } }] }, ['0/1', 'Init:1/2', '0']],
  ['Init:CrashLoopBackOff', { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, ['0/1', 'Init:CrashLoopBackOff', '2']],
  ['Init:Error', { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, ['0/1', 'Init:Error', '0']],
  [
    'a started sidecar counted as a container',
    { initContainers: [{ name: 'side', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
    { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ name: 'side', started: true, ready: true, restartCount: 1, state: running }], containerStatuses: [{ name: 'a', ready: true, state: running }] },
    ['2/2', 'Running', '1'],
  ],
  ['Terminating', { containers: [{ name: 'a' }] }, { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: running }] }, ['1/1', 'Terminating', '0'], { deletionTimestamp: ago(1) }],
  ['Unknown for a deleted pod on a lost node', { containers: [{ name: 'a' }] }, { phase: 'Running', reason: 'NodeLost' }, ['0/1', 'Unknown', '0'], { deletionTimestamp: ago(1) }],
  ['NodeLost', { containers: [{ name: 'a' }] }, { phase: 'Running', reason: 'NodeLost' }, ['0/1', 'NodeLost', '0']],
  ['Evicted', { containers: [{ name: 'a' }] }, { phase: 'Failed', reason: 'Evicted' }, ['0/1', 'Evicted', '0']],
  ['SchedulingGated', { containers: [{ name: 'a' }] }, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }, ['0/1', 'SchedulingGated', '0']],
  ['not Terminating once it has succeeded', { containers: [{ name: 'a' }] }, { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, ['0/1', 'Completed', '0'], { deletionTimestamp: ago(1) }],
];

describe('Pod printer', () => {
  it.each(podCases)('shows %s', (_name, spec, status, expected, metadata) => {
    expect(cells('v1', 'Pod', { spec, status, metadata }).slice(1, 4)).toEqual(expected);
  });

  it('fills the wide columns: IP, Node, Nominated Node and Readiness Gates', () => {
    const row = cells('v1', 'Pod', {
      spec: { containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'g1' }, { conditionType: 'g2' }] },
      status: { phase: 'Pending', podIPs: [{ ip: '127.64.0.5' }], nominatedNodeName: 'n2', conditions: [{ type: 'g1', status: 'True' }] },
    });
    expect(row.slice(5)).toEqual(['127.64.0.5', '<none>', 'n2', '1/2']);
  });

  it('marks finished pods with a Completed row condition', () => {
    const table = toTable(info('v1', 'Pod'), [{ metadata: { name: 'p' }, status: { phase: 'Succeeded' } } as KubeObject], { now: NOW });
    expect(table.rows[0].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });
});

describe('Node printer', () => {
  const status = (ready?: string) => ({
    conditions: ready ? [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready }] : [],
    addresses: [{ type: 'InternalIP', address: '127.1.0.1' }, { type: 'Hostname', address: 'n1' }],
    nodeInfo: { kubeletVersion: 'v1.31.9', osImage: 'kubesim', kernelVersion: '6.1', containerRuntimeVersion: 'kubesim://process' },
  });
  it.each([
    ['Ready', status('True'), {}, {}, 'Ready', '<none>'],
    ['NotReady', status('False'), {}, {}, 'NotReady', '<none>'],
    ['Unknown without a Ready condition', status(), {}, {}, 'Unknown', '<none>'],
    ['Ready,SchedulingDisabled when cordoned', status('True'), { unschedulable: true }, {}, 'Ready,SchedulingDisabled', '<none>'],
    ['roles from labels', status('True'), {}, { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' }, 'Ready', 'control-plane,edge,worker'],
  ])('shows %s', (_name, st, sp, labels, expectedStatus, roles) => {
    expect(cells('v1', 'Node', { spec: sp, status: st, metadata: { labels } })).toEqual([
      'x',
      expectedStatus,
      roles,
      '17s',
      'v1.31.9',
      '127.1.0.1',
      '<none>',
      'kubesim',
      '6.1',
      'kubesim://process',
    ]);
  });
});

describe('Service and Endpoints printers', () => {
  it.each([
    ['ClusterIP', { type: 'ClusterIP', clusterIP: '127.128.0.1', clusterIPs: ['127.128.0.1'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } }, {}, ['ClusterIP', '127.128.0.1', '<none>', '80/TCP', '17s', 'app=web']],
    ['NodePort', { type: 'NodePort', clusterIPs: ['127.128.0.2'], ports: [{ port: 80, nodePort: 31086, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }, {}, ['NodePort', '127.128.0.2', '<none>', '80:31086/TCP,443/TCP', '17s', '<none>']],
    ['a pending LoadBalancer', { type: 'LoadBalancer', clusterIPs: ['127.128.0.3'], ports: [{ port: 80, nodePort: 30001 }] }, {}, ['LoadBalancer', '127.128.0.3', '<pending>', '80:30001/TCP', '17s', '<none>']],
    ['a LoadBalancer with ingress', { type: 'LoadBalancer', clusterIPs: ['127.128.0.3'], ports: [] }, { loadBalancer: { ingress: [{ ip: '127.200.0.2' }, { ip: '127.200.0.1' }] } }, ['LoadBalancer', '127.128.0.3', '127.200.0.1,127.200.0.2', '<none>', '17s', '<none>']],
    ['a headless service', { clusterIP: 'None', ports: [{ port: 53, protocol: 'UDP' }] }, {}, ['ClusterIP', 'None', '<none>', '53/UDP', '17s', '<none>']],
    ['an ExternalName', { type: 'ExternalName', externalName: 'example.com' }, {}, ['ExternalName', '<none>', 'example.com', '<none>', '17s', '<none>']],
  ])('shows %s', (_name, spec, status, expected) => {
    expect(cells('v1', 'Service', { spec, status }).slice(1)).toEqual(expected);
  });

  it.each([
    ['no subsets', [], '<none>'],
    ['addresses with a port', [{ addresses: [{ ip: '127.64.0.5' }, { ip: '127.64.1.3' }], ports: [{ port: 80 }] }], '127.64.0.5:80,127.64.1.3:80'],
    ['more than three', [{ addresses: [{ ip: 'a' }, { ip: 'b' }, { ip: 'c' }, { ip: 'd' }], ports: [{ port: 80 }] }], 'a:80,b:80,c:80 + 1 more...'],
    ['a headless subset without ports', [{ addresses: [{ ip: '127.64.0.5' }] }], '127.64.0.5'],
  ])('formats endpoints with %s', (_name, subsets, expected) => {
    expect(cell('v1', 'Endpoints', 'Endpoints', { subsets })).toBe(expected);
  });
});

describe('workload printers', () => {
  const template = { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } };
  const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'env', operator: 'DoesNotExist' }] };

  it('prints a Deployment', () => {
    expect(cells('apps/v1', 'Deployment', { spec: { replicas: 3, selector, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } })).toEqual([
      'x',
      '2/3',
      3,
      2,
      '17s',
      'nginx,side',
      'nginx:1.25,busybox',
      'app=web,!env,tier in (a,b)',
    ]);
  });

  it('prints a ReplicaSet', () => {
    expect(cells('apps/v1', 'ReplicaSet', { spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template }, status: { replicas: 3, readyReplicas: 1 } })).toEqual([
      'x',
      3,
      3,
      1,
      '17s',
      'nginx,side',
      'nginx:1.25,busybox',
      'app=web,pod-template-hash=abc',
    ]);
  });

  it.each([
    ['a complete job', { completions: 1 }, { succeeded: 1, startTime: ago(60), completionTime: ago(48), conditions: [{ type: 'Complete', status: 'True' }] }, ['Complete', '1/1', '12s']],
    ['a running job', {}, { startTime: ago(30) }, ['Running', '0/1', '30s']],
    ['a parallel job', { parallelism: 3 }, {}, ['Running', '0/1 of 3', '']],
    ['a failed job', { completions: 2 }, { succeeded: 1, conditions: [{ type: 'Failed', status: 'True' }] }, ['Failed', '1/2', '']],
    ['a suspended job', {}, { conditions: [{ type: 'Suspended', status: 'True' }] }, ['Suspended', '0/1', '']],
  ])('prints %s', (_name, spec, status, expected) => {
    expect(cells('batch/v1', 'Job', { spec: { ...spec, template, selector: { matchLabels: { 'job-name': 'x' } } }, status }).slice(1, 4)).toEqual(expected);
  });
});

describe('Event printer', () => {
  it('prints the shown and the wide columns', () => {
    const event = {
      metadata: { name: 'web.1234', creationTimestamp: ago(300) },
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      involvedObject: { kind: 'Deployment', name: 'web', fieldPath: '' },
      source: { component: 'deployment-controller' },
      message: 'Scaled up replica set web-abc to 3 ',
      firstTimestamp: ago(300),
      lastTimestamp: ago(65),
      count: 2,
    };
    expect(cells('v1', 'Event', event)).toEqual(['65s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-abc to 3', '5m', 2, 'web.1234']);
  });

  it('falls back to eventTime, reporting controller and a count of one', () => {
    const event = { eventTime: ago(30), reportingController: 'kubelet', reportingInstance: 'node-1', involvedObject: { kind: 'Node' }, type: 'Warning', reason: 'R', message: 'm' };
    expect(cells('v1', 'Event', event)).toEqual(['30s', 'Warning', 'R', 'node', '', 'kubelet, node-1', 'm', '30s', 1, 'x']);
  });
});

describe('printers of the smaller kinds', () => {
  it.each([
    ['v1', 'Namespace', { status: { phase: 'Active' } }, ['x', 'Active', '17s']],
    ['v1', 'ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, ['x', 3, '17s']],
    ['v1', 'Secret', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }, ['x', 'kubernetes.io/tls', 2, '17s']],
    ['v1', 'ServiceAccount', { secrets: [{ name: 's' }] }, ['x', 1, '17s']],
    [
      'v1',
      'PersistentVolume',
      { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } },
      ['x', '1Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '17s', 'Filesystem'],
    ],
    [
      'v1',
      'PersistentVolumeClaim',
      { spec: { volumeName: 'pv-1', storageClassName: 'standard' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } },
      ['x', 'Bound', 'pv-1', '1Gi', 'RWO', 'standard', '<unset>', '17s', '<unset>'],
    ],
    ['v1', 'PersistentVolumeClaim', { spec: {}, status: { phase: 'Pending' } }, ['x', 'Pending', '', '', '', '', '<unset>', '17s', '<unset>']],
    [
      'storage.k8s.io/v1',
      'StorageClass',
      { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'kubesim.io/hostpath' },
      ['x (default)', 'kubesim.io/hostpath', 'Delete', 'Immediate', false, '17s'],
    ],
    ['coordination.k8s.io/v1', 'Lease', { spec: { holderIdentity: 'controller-manager-1' } }, ['x', 'controller-manager-1', '17s']],
    ['policy/v1', 'PodDisruptionBudget', { spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }, ['x', '50%', 'N/A', 1, '17s']],
  ])('prints a %s %s', (apiVersion, kind, obj, expected) => {
    expect(cells(apiVersion, kind, obj)).toEqual(expected);
  });
});

describe('HorizontalPodAutoscaler printer', () => {
  const ref = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
  const cpu = (target: Record<string, unknown>) => ({ type: 'Resource', resource: { name: 'cpu', target } });
  it.each([
    ['v2 without current metrics', 'autoscaling/v2', { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, metrics: [cpu({ type: 'Utilization', averageUtilization: 80 })] }, {}, 'cpu: <unknown>/80%'],
    ['v2 with a current value', 'autoscaling/v2', { scaleTargetRef: ref, maxReplicas: 5, metrics: [cpu({ type: 'Utilization', averageUtilization: 80 })] }, { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }] }, 'cpu: 30%/80%'],
    ['v1 with a current value', 'autoscaling/v1', { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 }, { currentReplicas: 2, currentCPUUtilizationPercentage: 30 }, 'cpu: 30%/80%'],
    ['average values and more than two metrics', 'autoscaling/v2', { scaleTargetRef: ref, maxReplicas: 5, metrics: [cpu({ type: 'AverageValue', averageValue: '500m' }), { type: 'Pods', pods: { target: { averageValue: '1k' } } }, { type: 'External', external: { target: { value: '10' } } }] }, {}, 'cpu: <unknown>/500m, <unknown>/1k + 1 more...'],
    ['no metrics', 'autoscaling/v2', { scaleTargetRef: ref, maxReplicas: 5 }, {}, '<none>'],
  ])('prints %s', (_name, apiVersion, spec, status, targets) => {
    const row = cells(apiVersion, 'HorizontalPodAutoscaler', { spec, status });
    expect(row[1]).toBe('Deployment/web');
    expect(row[2]).toBe(targets);
    expect(row[3]).toBe('minReplicas' in spec ? String(spec.minReplicas) : '<unset>');
    expect(row[4]).toBe(5);
  });
});
