/**
 * Small builders of API objects for the table-driven tests: just the fields a rule reads.
 */
import type { Deployment, Job, Pod, ReplicaSet } from '@kubesim/api';

export const T0 = Date.parse('2030-01-01T00:00:00Z');

/** RFC 3339 time `s` seconds after T0. */
export function at(s: number): string {
  return new Date(T0 + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface PodShape {
  name?: string;
  node?: string;
  phase?: string;
  /** Seconds after T0 the pod became ready; undefined: not ready. */
  readySince?: number;
  created?: number;
  restarts?: number;
  cost?: number;
  labels?: Record<string, string>;
  finishedAt?: number;
  deleting?: boolean;
}

export function pod(shape: PodShape = {}): Pod {
  const p: Pod = {
    metadata: {
      name: shape.name ?? 'p',
      namespace: 'default',
      creationTimestamp: shape.created === undefined ? undefined : at(shape.created),
      labels: shape.labels,
      annotations: shape.cost === undefined ? undefined : { 'controller.kubernetes.io/pod-deletion-cost': String(shape.cost) },
      deletionTimestamp: shape.deleting ? at(0) : undefined,
    },
    spec: { containers: [{ name: 'c', image: 'x' }], nodeName: shape.node },
    status: { phase: shape.phase ?? 'Running', conditions: [], containerStatuses: [] },
  };
  if (shape.readySince !== undefined) p.status!.conditions!.push({ type: 'Ready', status: 'True', lastTransitionTime: at(shape.readySince) });
  p.status!.containerStatuses!.push({
    name: 'c',
    ready: shape.readySince !== undefined,
    restartCount: shape.restarts ?? 0,
    image: 'x',
    imageID: '',
    state: shape.finishedAt === undefined ? {} : { terminated: { exitCode: 0, finishedAt: at(shape.finishedAt) } },
  });
  return p;
}

export interface RSShape {
  name?: string;
  uid?: string;
  replicas?: number;
  available?: number;
  ready?: number;
  statusReplicas?: number;
  created?: number;
  revision?: number;
  annotations?: Record<string, string>;
  image?: string;
}

export function rs(shape: RSShape = {}): ReplicaSet {
  const annotations: Record<string, string> = { ...(shape.annotations ?? {}) };
  if (shape.revision !== undefined) annotations['deployment.kubernetes.io/revision'] = String(shape.revision);
  return {
    metadata: {
      name: shape.name ?? 'rs',
      uid: shape.uid ?? shape.name ?? 'rs',
      namespace: 'default',
      creationTimestamp: at(shape.created ?? 0),
      annotations,
      generation: 1,
    },
    spec: {
      replicas: shape.replicas ?? 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: shape.image ?? 'web:v1' }] } },
    },
    status: {
      replicas: shape.statusReplicas ?? shape.replicas ?? 0,
      readyReplicas: shape.ready ?? shape.available ?? 0,
      availableReplicas: shape.available ?? 0,
      observedGeneration: 1,
    },
  };
}

export interface DeploymentShape {
  replicas?: number;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  strategy?: 'RollingUpdate' | 'Recreate';
  generation?: number;
  observedGeneration?: number;
  progressDeadlineSeconds?: number;
  status?: Deployment['status'];
  image?: string;
}

export function deployment(shape: DeploymentShape = {}): Deployment {
  const strategy = shape.strategy ?? 'RollingUpdate';
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: shape.generation ?? 1 },
    spec: {
      replicas: shape.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: shape.image ?? 'web:v1' }] } },
      strategy:
        strategy === 'Recreate'
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: shape.maxSurge ?? '25%', maxUnavailable: shape.maxUnavailable ?? '25%' } },
      progressDeadlineSeconds: shape.progressDeadlineSeconds ?? 600,
      revisionHistoryLimit: 10,
    },
    status: shape.status ?? { observedGeneration: shape.observedGeneration ?? 1 },
  };
}

export interface JobShape {
  completions?: number | null;
  parallelism?: number;
  backoffLimit?: number;
  restartPolicy?: 'Never' | 'OnFailure';
  activeDeadlineSeconds?: number;
  startTime?: number;
}

export function job(shape: JobShape = {}): Job {
  return {
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid' },
    spec: {
      completions: shape.completions === null ? undefined : (shape.completions ?? 1),
      parallelism: shape.parallelism ?? 1,
      backoffLimit: shape.backoffLimit ?? 6,
      activeDeadlineSeconds: shape.activeDeadlineSeconds,
      template: { metadata: { labels: { job: 'pi' } }, spec: { restartPolicy: shape.restartPolicy ?? 'Never', containers: [{ name: 'c', image: 'x' }] } },
    },
    status: shape.startTime === undefined ? {} : { startTime: at(shape.startTime) },
  };
}
