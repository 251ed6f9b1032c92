/**
 * Builders for the Node and Pod objects the scheduler tests use, shaped as the apiserver
 * stores them.
 */
import type { Node, Pod, Taint, Toleration } from '@kubesim/api';
import { SchedulerCache } from '../src/cache.js';
import { NodeInfo } from '../src/node-info.js';
import { newPodInfo, type PodInfo } from '../src/pod-info.js';

export interface NodeSpecOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  /** Status of the Ready condition; `none` leaves conditions out. */
  ready?: 'True' | 'False' | 'Unknown' | 'none';
}

/** A node with allocatable cpu/memory/pods and a Ready condition (Ready by default). */
export function node(name: string, o: NodeSpecOptions = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  const ready = o.ready ?? 'True';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: ready === 'none' ? [] : [{ type: 'Ready', status: ready, reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

export interface PodSpecOptions {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: Record<string, unknown>;
  ownerUid?: string;
  nodeName?: string;
  priority?: number;
  schedulerName?: string;
}

/** A single-container pod requesting `cpu`/`memory` when given. */
export function pod(name: string, o: PodSpecOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      labels: o.labels ?? { app: name },
      ...(o.ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.ownerUid, controller: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'sleep', ...(Object.keys(requests).length ? { resources: { requests } } : {}) }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
    },
    status: { phase: 'Pending' },
  };
}

/** A NodeInfo for `n` holding `pods` (which get `nodeName` set). */
export function nodeInfo(n: Node, pods: Pod[] = []): NodeInfo {
  const info = new NodeInfo(n.metadata.name!);
  info.setNode(n);
  for (const p of pods) info.addPod(newPodInfo({ ...p, spec: { ...p.spec!, nodeName: n.metadata.name } }));
  return info;
}

/** A cache holding `nodes`, and `pods` bound as their spec.nodeName says. */
export function cacheWith(nodes: Node[], pods: Pod[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of pods) cache.updatePod(`${p.metadata.namespace}/${p.metadata.name}`, p);
  return cache;
}

export function info(p: Pod): PodInfo {
  return newPodInfo(p);
}
