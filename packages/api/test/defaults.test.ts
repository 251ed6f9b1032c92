import { describe, expect, it } from 'vitest';
import { defaultObject, findResourceByKind, podQOSClass, type KubeObject } from '../src/index.js';

/** Defaults a copy of `obj` as the resource its apiVersion/kind names, and returns it. */
function defaulted(obj: Record<string, any>): any {
  const info = findResourceByKind(obj.apiVersion, obj.kind);
  if (!info) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
  const copy = structuredClone(obj) as KubeObject;
  defaultObject(info, copy);
  return copy;
}

const pod = (spec: Record<string, any>, metadata: Record<string, any> = { name: 'p', namespace: 'default' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec,
});

describe('pod defaults', () => {
  const p = defaulted(pod({ containers: [{ name: 'web', image: 'nginx' }] }));

  it.each([
    ['restartPolicy', 'Always'],
    ['terminationGracePeriodSeconds', 30],
    ['dnsPolicy', 'ClusterFirst'],
    ['schedulerName', 'default-scheduler'],
    ['securityContext', {}],
    ['enableServiceLinks', true],
    ['serviceAccountName', 'default'],
    ['serviceAccount', 'default'],
    ['priority', 0],
    ['preemptionPolicy', 'PreemptLowerPriority'],
  ])('sets spec.%s', (field, value) => {
    expect(p.spec[field]).toEqual(value);
  });

  it('defaults each container', () => {
    expect(p.spec.containers[0]).toEqual({
      name: 'web',
      image: 'nginx',
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
  });

  it('adds the not-ready and unreachable NoExecute tolerations for 300s', () => {
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('starts Pending with a QoS class', () => {
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['app@sha256:abcd', 'IfNotPresent'],
  ])('pulls %s with policy %s', (image, policy) => {
    const d = defaulted(pod({ containers: [{ name: 'c', image }] }));
    expect(d.spec.containers[0].imagePullPolicy).toBe(policy);
  });

  it('keeps what is already set', () => {
    const d = defaulted(
      pod({
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 0,
        serviceAccountName: 'builder',
        containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never' }],
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
      }),
    );
    expect(d.spec.restartPolicy).toBe('Never');
    expect(d.spec.terminationGracePeriodSeconds).toBe(0);
    expect(d.spec.serviceAccountName).toBe('builder');
    expect(d.spec.serviceAccount).toBe('builder');
    expect(d.spec.containers[0].imagePullPolicy).toBe('Never');
    expect(d.spec.tolerations.map((t: any) => [t.key, t.tolerationSeconds])).toEqual([
      ['node.kubernetes.io/not-ready', 10],
      ['node.kubernetes.io/unreachable', 300],
    ]);
  });

  it('adds no default toleration when one tolerates every taint', () => {
    const d = defaulted(pod({ containers: [{ name: 'c', image: 'x' }], tolerations: [{ operator: 'Exists' }] }));
    expect(d.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('defaults ports, env field refs, probes and lifecycle handlers', () => {
    const d = defaulted(
      pod({
        containers: [
          {
            name: 'c',
            image: 'x:1',
            ports: [{ containerPort: 80 }],
            env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            livenessProbe: { httpGet: { port: 80 } },
            readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
            lifecycle: { preStop: { httpGet: { port: 'http' } } },
          },
        ],
      }),
    );
    const c = d.spec.containers[0];
    expect(c.ports[0]).toEqual({ containerPort: 80, protocol: 'TCP' });
    expect(c.env[0].valueFrom.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.name' });
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c.readinessProbe.periodSeconds).toBe(5);
    expect(c.lifecycle.preStop.httpGet).toEqual({ port: 'http', path: '/', scheme: 'HTTP' });
  });

  it('defaults volumes: emptyDir when no source, file modes 420, hostPath type', () => {
    const d = defaulted(
      pod({
        containers: [{ name: 'c', image: 'x' }],
        volumes: [
          { name: 'scratch' },
          { name: 'cfg', configMap: { name: 'app' } },
          { name: 'sec', secret: { secretName: 's' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'host', hostPath: { path: '/data' } },
          { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
        ],
      }),
    );
    expect(d.spec.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'app', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'info', downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
      { name: 'host', hostPath: { path: '/data', type: '' } },
      { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
    ]);
  });

  it('makes requests default to limits', () => {
    const d = defaulted(pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] }));
    expect(d.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(d.status.qosClass).toBe('Burstable');
  });

  it('gives host-network pods host ports equal to their container ports', () => {
    const d = defaulted(pod({ hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] }));
    expect(d.spec.containers[0].ports[0].hostPort).toBe(8080);
  });

  it('gives system priority classes their priority', () => {
    const d = defaulted(pod({ priorityClassName: 'system-node-critical', containers: [{ name: 'c', image: 'x' }] }));
    expect(d.spec.priority).toBe(2000001000);
  });

  it('changes nothing when run twice', () => {
    expect(defaulted(p)).toEqual(p);
  });
});

describe('pod QoS class', () => {
  const withResources = (...resources: Record<string, any>[]) => ({ containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })) });
  it.each([
    ['no requests or limits', withResources({}), 'BestEffort'],
    ['limits equal requests for cpu and memory', withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }), 'Guaranteed'],
    ['limits only (requests default to them)', withResources({ limits: { cpu: '1', memory: '1Gi' } }), 'Burstable'],
    ['a request below the limit', withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } }), 'Burstable'],
    ['one container without limits', withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, {}), 'Burstable'],
    ['only a cpu limit', withResources({ limits: { cpu: '1' }, requests: { cpu: '1' } }), 'Burstable'],
    ['zero quantities', withResources({ requests: { cpu: '0' } }), 'BestEffort'],
    ['other resources only', withResources({ requests: { 'ephemeral-storage': '1Gi' } }), 'BestEffort'],
  ])('%s → %s', (_name, spec, qos) => {
    expect(podQOSClass(spec)).toBe(qos);
  });

  it('is computed after requests default to limits', () => {
    const d = defaulted(pod(withResources({ limits: { cpu: '1', memory: '1Gi' } })));
    expect(d.status.qosClass).toBe('Guaranteed');
  });
});

describe('deployment defaults', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } };
  const deployment = (spec: Record<string, any>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });

  it('fills replicas, strategy, history limit and deadline', () => {
    const d = defaulted(deployment({ selector: { matchLabels: { app: 'web' } }, template }));
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
  });

  it('defaults an empty strategy the same way', () => {
    const d = defaulted(deployment({ strategy: {}, template }));
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  });

  it('leaves a Recreate strategy without rolling update parameters', () => {
    const d = defaulted(deployment({ strategy: { type: 'Recreate' }, template }));
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps replicas 0', () => {
    expect(defaulted(deployment({ replicas: 0, template })).spec.replicas).toBe(0);
  });

  it('defaults the pod template like a pod spec, without the pod-only fields', () => {
    const spec = defaulted(deployment({ template })).spec.template.spec;
    expect(spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
    expect(spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(spec.enableServiceLinks).toBeUndefined();
    expect(spec.tolerations).toBeUndefined();
    expect(spec.serviceAccountName).toBeUndefined();
  });
});

describe('replicaset and job defaults', () => {
  it('defaults ReplicaSet replicas to 1', () => {
    const rs = defaulted({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { selector: {} } });
    expect(rs.spec.replicas).toBe(1);
  });

  const job = (spec: Record<string, any>, metadata: Record<string, any> = { name: 'pi', uid: 'u-1' }) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } }, ...spec },
  });

  it('fills completions, parallelism, backoff, mode, suspend and replacement policy', () => {
    expect(defaulted(job({})).spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
  });

  it('leaves completions unset when only parallelism is given', () => {
    const spec = defaulted(job({ parallelism: 3 })).spec;
    expect(spec.parallelism).toBe(3);
    expect(spec.completions).toBeUndefined();
  });

  it('generates the selector and labels from the uid', () => {
    const d = defaulted(job({}));
    const labels = { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi' };
    expect(d.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    expect(d.spec.template.metadata.labels).toEqual(labels);
    expect(d.metadata.labels).toEqual(labels);
    expect(d.spec.manualSelector).toBeUndefined();
  });

  it('keeps the job labels it has and generates nothing without a uid', () => {
    const d = defaulted(job({}, { name: 'pi', labels: { team: 'a' } }));
    expect(d.spec.selector).toBeUndefined();
    expect(d.metadata.labels).toEqual({ team: 'a' });
  });

  it('generates nothing with manualSelector', () => {
    const d = defaulted(job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } }));
    expect(d.spec.selector).toEqual({ matchLabels: { a: 'b' } });
  });
});

describe('service defaults', () => {
  const service = (spec: Record<string, any>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });

  it('defaults a ClusterIP service', () => {
    expect(defaulted(service({ selector: { app: 'web' }, ports: [{ port: 80 }] })).spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('defaults a NodePort service with externalTrafficPolicy Cluster and keeps a named target port', () => {
    const spec = defaulted(service({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] })).spec;
    expect(spec.externalTrafficPolicy).toBe('Cluster');
    expect(spec.ports[0].targetPort).toBe('http');
    expect(spec.ports[0].nodePort).toBeUndefined();
    expect(spec.clusterIP).toBeUndefined();
  });

  it('defaults a LoadBalancer service to allocate node ports', () => {
    const spec = defaulted(service({ type: 'LoadBalancer', ports: [{ port: 80 }] })).spec;
    expect(spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
  });

  it('gives ClientIP affinity its 3-hour timeout', () => {
    const spec = defaulted(service({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })).spec;
    expect(spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });

  it('gives an ExternalName service no IP families', () => {
    const spec = defaulted(service({ type: 'ExternalName', externalName: 'example.com' })).spec;
    expect(spec.ipFamilies).toBeUndefined();
    expect(spec.ipFamilyPolicy).toBeUndefined();
  });

  it('defaults endpoint port protocols', () => {
    const ep = defaulted({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '127.64.0.2' }], ports: [{ port: 80 }] }] });
    expect(ep.subsets[0].ports[0].protocol).toBe('TCP');
  });
});

describe('defaults of the other kinds', () => {
  it.each([
    [
      'a Namespace gets its name label, finalizer and phase',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
      { metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
    ],
    [
      'a PersistentVolumeClaim gets Filesystem and Pending',
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } },
      { spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
    ],
    [
      'a PersistentVolume gets Retain, Filesystem and Pending',
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { hostPath: { path: '/d' } } },
      { spec: { hostPath: { path: '/d' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
    ],
    ['a Secret gets type Opaque', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }, { type: 'Opaque' }],
    [
      'a StorageClass gets Delete and Immediate',
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'kubesim.io/hostpath' },
      { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
    ],
    [
      'a Node reports its capacity as allocatable',
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '4', pods: '110' } } },
      { status: { capacity: { cpu: '4', pods: '110' }, allocatable: { cpu: '4', pods: '110' } } },
    ],
    [
      'an autoscaling/v2 HPA gets minReplicas 1 and a cpu 80% target',
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5 } },
      { spec: { minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] } },
    ],
    [
      'an autoscaling/v1 HPA gets minReplicas 1',
      { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5 } },
      { spec: { minReplicas: 1, maxReplicas: 5 } },
    ],
  ])('%s', (_name, input, expected) => {
    expect(defaulted(input)).toMatchObject(expected);
  });

  it('merges a Secret stringData into base64 data', () => {
    const s = defaulted({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { b: 'hello' } });
    expect(s.data).toEqual({ a: 'YQ==', b: 'aGVsbG8=' });
    expect(s.stringData).toBeUndefined();
  });

  it('keeps a namespace finalized during deletion finalized', () => {
    const ns = defaulted({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', deletionTimestamp: '2024-01-01T00:00:00Z' }, spec: { finalizers: [] } });
    expect(ns.spec.finalizers).toEqual([]);
  });

  it('fills HPA behavior rules when behavior is given', () => {
    const hpa = defaulted({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    expect(hpa.spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it.each([
    ['Lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' }, spec: { holderIdentity: 'n1' } }],
    ['PodDisruptionBudget', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1 } }],
    ['ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }],
  ])('leaves a %s as it is', (_kind, obj) => {
    expect(defaulted(obj)).toEqual(obj);
  });
});

describe('defaulting garbage', () => {
  it.each([
    ['a string spec', { spec: 'nope' }],
    ['containers as an object', { spec: { containers: { name: 'c' } } }],
    ['a container as a string', { spec: { containers: ['c'] } }],
    ['tolerations as a string', { spec: { containers: [], tolerations: 'all' } }],
    ['probes as numbers', { spec: { containers: [{ name: 'c', livenessProbe: 5, ports: 'x', env: [null, 3] }] } }],
    ['a null status', { spec: { containers: [] }, status: null }],
  ])('does not throw on a pod with %s', (_name, body) => {
    expect(() => defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, ...body })).not.toThrow();
  });

  it.each([
    ['Deployment', 'apps/v1', { spec: { strategy: 'fast', template: [] } }],
    ['Job', 'batch/v1', { metadata: { name: 'j', uid: 'u' }, spec: { template: { metadata: 'x' }, selector: 'y' } }],
    ['Service', 'v1', { spec: { ports: [1, 'x', null], sessionAffinityConfig: 'z' } }],
    ['Namespace', 'v1', { metadata: { name: 'n', labels: 'x' }, spec: { finalizers: 'kubernetes' } }],
    ['HorizontalPodAutoscaler', 'autoscaling/v2', { spec: { behavior: { scaleUp: 'fast' } } }],
    ['Secret', 'v1', { stringData: { a: 1 } }],
  ])('does not throw on a garbage %s', (kind, apiVersion, body) => {
    expect(() => defaulted({ apiVersion, kind, metadata: { name: 'x' }, ...body })).not.toThrow();
  });
});
