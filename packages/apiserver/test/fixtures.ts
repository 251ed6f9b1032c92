import { RESOURCES, type KubeObject, type ResourceInfo } from '@kubesim/api';

/** The preferred-version resource for a plural name. */
export function res(plural: string, version?: string): ResourceInfo {
  const info = RESOURCES.find((r) => r.plural === plural && (!version || r.version === version));
  if (!info) throw new Error(`no resource ${plural}`);
  return info;
}

const podSpec = { containers: [{ name: 'app', image: 'kubesim/echo:v1', ports: [{ containerPort: 8080 }] }] };
const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };

/** A minimal valid object of every served kind, named `name`. */
export function sample(plural: string, name: string, namespace = 'default'): KubeObject {
  const m = { name, namespace, labels: { app: 'web' } };
  const cm = { name, labels: { app: 'web' } };
  const objects: Record<string, any> = {
    namespaces: { metadata: cm },
    nodes: { metadata: cm, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } },
    pods: { metadata: m, spec: podSpec },
    services: { metadata: m, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    endpoints: { metadata: m, subsets: [{ addresses: [{ ip: '127.64.0.2' }], ports: [{ port: 8080 }] }] },
    endpointslices: { metadata: m, addressType: 'IPv4', endpoints: [{ addresses: ['127.64.0.2'] }], ports: [{ port: 8080 }] },
    events: {
      metadata: m,
      involvedObject: { kind: 'Pod', name: 'web', namespace },
      reason: 'Started',
      message: 'started',
      type: 'Normal',
      source: { component: 'test' },
    },
    configmaps: { metadata: m, data: { key: 'value' } },
    secrets: { metadata: m, stringData: undefined, data: { key: Buffer.from('value').toString('base64') } },
    serviceaccounts: { metadata: m },
    persistentvolumes: {
      metadata: cm,
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv' } },
    },
    persistentvolumeclaims: { metadata: m, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    deployments: { metadata: m, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template } },
    replicasets: { metadata: m, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template } },
    jobs: {
      metadata: m,
      spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } },
    },
    leases: { metadata: m, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } },
    storageclasses: { metadata: cm, provisioner: 'kubesim.io/hostpath' },
    horizontalpodautoscalers: {
      metadata: m,
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5 },
    },
    poddisruptionbudgets: { metadata: m, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } },
  };
  const obj = objects[plural];
  if (!obj) throw new Error(`no sample for ${plural}`);
  if (plural === 'secrets') delete obj.stringData;
  return structuredClone(obj);
}

/** Plurals of the preferred version of every served resource. */
export const ALL_PLURALS = [...new Set(RESOURCES.map((r) => r.plural))];
