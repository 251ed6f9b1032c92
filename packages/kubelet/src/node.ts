/**
 * The kubelet's Node: registration (create, or update an existing one), the Lease in
 * kube-node-lease renewed every `renewIntervalMs`, and the conditions' heartbeat through the
 * status subresource every `heartbeatIntervalMs`. The node lifecycle controller reads both.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import {
  findResource,
  isReason,
  type ApiClient,
  type Clock,
  type DeepReadonly,
  type Lease,
  type LogFn,
  type Node,
  type NodeCondition,
  type NodeStatus,
} from '@kubesim/api';
import { nodeIP, podCIDR } from './addresses.js';
import type { RuntimeName } from './config.js';
import { apiTime } from './status.js';

const NODES = findResource('', 'v1', 'nodes')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;

export const KUBELET_VERSION = 'v1.31.9-kubesim';

export interface NodeAgentOptions {
  client: ApiClient;
  nodeName: string;
  nodeIndex: number;
  cpu: string;
  memory: string;
  maxPods: number;
  runtime: RuntimeName;
  leaseSeconds: number;
  renewIntervalMs: number;
  heartbeatIntervalMs: number;
  clock: Clock;
  log: LogFn;
}

/** The labels, spec and status the kubelet registers its node with. Pure. */
export function desiredNode(o: Pick<NodeAgentOptions, 'nodeName' | 'nodeIndex' | 'cpu' | 'memory' | 'maxPods' | 'runtime'>, now: Date, bootID: string): Node {
  const resources = { cpu: o.cpu, memory: o.memory, pods: String(o.maxPods), 'ephemeral-storage': '100Gi' };
  const cidr = podCIDR(o.nodeIndex);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.nodeName,
      labels: {
        'kubernetes.io/hostname': o.nodeName,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kubesim',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr] },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      conditions: nodeConditions(now, []),
      addresses: [
        { type: 'InternalIP', address: nodeIP(o.nodeIndex) },
        { type: 'Hostname', address: o.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: o.nodeName,
        systemUUID: o.nodeName,
        bootID,
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: `kubesim://${o.runtime}`,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** The four kubelet conditions, all healthy, keeping each transition time that did not change. */
export function nodeConditions(now: Date, old: readonly DeepReadonly<NodeCondition>[]): NodeCondition[] {
  const t = apiTime(now);
  const make = (type: string, status: string, reason: string, message: string): NodeCondition => {
    const prev = old.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : t, reason, message };
  };
  return [
    make('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    make('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    make('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1];
  } catch {
    // not Linux, or no os-release
  }
  return 'Linux';
}

/** Registers the node and keeps its Lease and heartbeat fresh. */
export class NodeAgent {
  private readonly bootID = randomUUID();
  private node?: Node;
  private lease?: Lease;

  constructor(private readonly o: NodeAgentOptions) {}

  /** Creates or updates the Node; retries until it succeeds or `signal` aborts. */
  async register(signal: AbortSignal): Promise<void> {
    for (let delay = 200; !signal.aborted; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.registerOnce();
        return;
      } catch (err) {
        this.o.log('warn', 'node registration failed, retrying', { error: (err as Error).message });
        await this.o.clock.sleep(delay, signal);
      }
    }
  }

  /** Renews the Lease and beats the heartbeat until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    await Promise.all([this.every(this.o.renewIntervalMs, () => this.renewLease(), signal), this.every(this.o.heartbeatIntervalMs, () => this.heartbeat(), signal)]);
  }

  /** The registered node's uid, for the Lease's owner reference. */
  get uid(): string | undefined {
    return this.node?.metadata.uid;
  }

  private async registerOnce(): Promise<void> {
    const nodes = this.o.client.resource<Node>(NODES);
    const want = desiredNode(this.o, new Date(this.o.clock.now()), this.bootID);
    let node: Node;
    try {
      node = await nodes.create(want);
      this.o.log('info', 'node registered', { node: this.o.nodeName });
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
      const cur = await nodes.get(undefined, this.o.nodeName);
      cur.metadata.labels = { ...cur.metadata.labels, ...want.metadata.labels };
      cur.metadata.annotations = { ...cur.metadata.annotations, ...want.metadata.annotations };
      cur.spec = { ...cur.spec, ...want.spec };
      const updated = await nodes.update(cur);
      updated.status = { ...want.status, conditions: nodeConditions(new Date(this.o.clock.now()), updated.status?.conditions ?? []) };
      node = await nodes.updateStatus(updated);
      this.o.log('info', 'node updated', { node: this.o.nodeName });
    }
    this.node = node;
  }

  private async heartbeat(): Promise<void> {
    const nodes = this.o.client.resource<Node>(NODES);
    try {
      const cur = await nodes.get(undefined, this.o.nodeName);
      const want = desiredNode(this.o, new Date(this.o.clock.now()), this.bootID).status as NodeStatus;
      cur.status = { ...cur.status, ...want, conditions: nodeConditions(new Date(this.o.clock.now()), cur.status?.conditions ?? []) };
      this.node = await nodes.updateStatus(cur);
    } catch (err) {
      // A deleted node registers again, so the cluster gets it back.
      if (isReason(err, 'NotFound')) await this.registerOnce();
      else throw err;
    }
  }

  private async renewLease(): Promise<void> {
    const leases = this.o.client.resource<Lease>(LEASES);
    const now = microTime(new Date(this.o.clock.now()));
    if (!this.lease) {
      try {
        this.lease = await leases.get('kube-node-lease', this.o.nodeName);
      } catch (err) {
        if (!isReason(err, 'NotFound')) throw err;
        this.lease = await leases.create(this.newLease(now));
        return;
      }
    }
    const next: Lease = { ...this.lease, spec: { ...this.lease.spec, holderIdentity: this.o.nodeName, leaseDurationSeconds: this.o.leaseSeconds, renewTime: now } };
    if (!next.metadata.ownerReferences?.length && this.uid) next.metadata = { ...next.metadata, ownerReferences: this.ownerRefs() };
    try {
      this.lease = await leases.update(next);
    } catch (err) {
      this.lease = undefined; // re-read (or re-create) on the next tick
      throw err;
    }
  }

  private newLease(now: string): Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.o.nodeName, namespace: 'kube-node-lease', ...(this.uid ? { ownerReferences: this.ownerRefs() } : {}) },
      spec: { holderIdentity: this.o.nodeName, leaseDurationSeconds: this.o.leaseSeconds, renewTime: now },
    };
  }

  private ownerRefs() {
    return [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: this.uid! }];
  }

  private async every(ms: number, fn: () => Promise<void>, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await fn();
      } catch (err) {
        this.o.log('warn', 'node status update failed', { error: (err as Error).message });
      }
      await this.o.clock.sleep(ms, signal);
    }
  }
}
