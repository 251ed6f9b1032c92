import { describe, expect, it } from 'vitest';
import { describeObject, smartLabel } from '../src/printers/describe/describers.js';
import { rfc1123z } from '../src/printers/time.js';

const NOW = Date.parse('2024-01-01T00:10:00Z');

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web',
    namespace: 'default',
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n', note: 'hi' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    serviceAccountName: 'default',
    containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] }],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  },
  status: {
    phase: 'Pending',
    hostIP: '127.1.0.1',
    podIP: '127.64.0.5',
    podIPs: [{ ip: '127.64.0.5' }],
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    qosClass: 'BestEffort',
    containerStatuses: [{ name: 'web', ready: false, restartCount: 0, image: 'nginx', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }],
  },
};

const EVENTS = [
  { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to node-1', source: { component: 'default-scheduler' }, firstTimestamp: '2024-01-01T00:05:00Z', lastTimestamp: '2024-01-01T00:05:00Z', count: 1 },
  { type: 'Warning', reason: 'BackOff', message: 'Back-off  ', reportingController: 'kubelet', firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:08:00Z', count: 4 },
];

describe('describeObject', () => {
  it('describes a Pod the way kubectl does', () => {
    expect(describeObject(POD as never, { events: EVENTS, now: NOW })).toBe(`Name:             web
Namespace:        default
Service Account:  default
Node:             node-1/127.1.0.1
Labels:           app=web
Annotations:      note: hi
Status:           Pending
IP:               127.64.0.5
IPs:
  IP:           127.64.0.5
Controlled By:  ReplicaSet/web-abc
Containers:
  web:
    Container ID:   
    Image:          nginx
    Image ID:       
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       ContainerCreating
    Ready:          False
    Restart Count:  0
    Environment:
      A:     1
    Mounts:  <none>
Conditions:
  Type           Status
  PodScheduled   True 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Scheduled  5m                default-scheduler  Successfully assigned default/web to node-1
  Warning  BackOff    2m (x4 over 10m)  kubelet            Back-off
`);
  });

  it('describes a Deployment with its new and old ReplicaSets', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:2' }] } };
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', uid: 'd1', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, template },
      status: { replicas: 2, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }] },
    };
    const owner = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }];
    const rsNew = { metadata: { name: 'web-2', ownerReferences: owner }, spec: { replicas: 2, template: { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': '2' } } } }, status: { replicas: 2 } };
    const rsOld = { metadata: { name: 'web-1', ownerReferences: owner }, spec: { replicas: 0, template: { ...template, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } }, status: { replicas: 0 } };
    const text = describeObject(dep as never, { replicaSets: [rsOld, rsNew] as never, events: [], now: NOW });
    expect(text).toContain(`CreationTimestamp:      ${rfc1123z('2024-01-01T00:00:00Z')}\n`);
    expect(text).toContain('Selector:               app=web\n');
    expect(text).toContain('Replicas:               2 desired | 2 updated | 2 total | 1 available | 1 unavailable\n');
    expect(text).toContain('RollingUpdateStrategy:  25% max unavailable, 25% max surge\n');
    expect(text).toContain('Pod Template:\n  Labels:  app=web\n  Containers:\n   web:\n    Image:         nginx:2\n');
    expect(text).toContain('Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      False   MinimumReplicasUnavailable\n');
    expect(text).toContain('OldReplicaSets:  web-1 (0/0 replicas created)\nNewReplicaSet:   web-2 (2/2 replicas created)\nEvents:          <none>\n');
  });

  it('describes other kinds generically', () => {
    const obj = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns', uid: 'x1', managedFields: [{}] }, spec: { backoffLimit: 6, template: { spec: { containers: [{ name: 'c', args: ['a', 'b'] }] } } } };
    expect(describeObject(obj as never, {})).toBe(`Name:         j
Namespace:    ns
Labels:       <none>
Annotations:  <none>
API Version:  batch/v1
Kind:         Job
Metadata:
  UID:  x1
Spec:
  Backoff Limit:  6
  Template:
    Spec:
      Containers:
        Args:
          a
          b
        Name:  c
`);
  });

  it('describes a Namespace', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { 'kubernetes.io/metadata.name': 'demo' } }, status: { phase: 'Active' } };
    expect(describeObject(ns as never, {})).toBe('Name:         demo\nLabels:       kubernetes.io/metadata.name=demo\nAnnotations:  <none>\nStatus:       Active\n');
  });
});

describe('smartLabel', () => {
  const cases: [string, string][] = [
    ['apiVersion', 'API Version'],
    ['creationTimestamp', 'Creation Timestamp'],
    ['uid', 'UID'],
    ['podIP', 'Pod IP'],
    ['HTTPServer', 'HTTP Server'],
    ['app.kubernetes.io/name', 'app.kubernetes.io/name'],
  ];
  for (const [field, want] of cases) it(`labels ${field} as ${want}`, () => expect(smartLabel(field)).toBe(want));
});
