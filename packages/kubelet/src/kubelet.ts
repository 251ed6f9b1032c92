/**
 * The kubelet component: connects to NATS, registers the node, keeps its Lease, runs the pods
 * bound to it and serves their logs. `new Kubelet(config)` validates; `start(signal)` does the I/O.
 * Stopping the kubelet leaves process-runtime containers running: a new kubelet adopts them.
 */
import fs from 'node:fs';
import { connect, type NatsConnection } from 'nats';
import {
  ApiClient,
  EventRecorder,
  NatsTransport,
  findResource,
  parseQuantity,
  realClock,
  stderrLog,
  type Clock,
  type ConfigMap,
  type LogFn,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Secret,
  type Service,
} from '@kubesim/api';
import { resolveImage, runContainer } from '@kubesim/images';
import { nodeIP } from './addresses.js';
import { Backoff } from './backoff.js';
import type { KubeletConfig } from './config.js';
import { PodIpAllocator } from './ipam.js';
import { NodeLayout } from './layout.js';
import { LogService } from './logs.js';
import { ExecService } from './exec-server.js';
import { NodeAgent } from './node.js';
import { PodManager } from './pod-manager.js';
import { ProcessRuntime } from './runtime/process.js';
import { ThreadRuntime } from './runtime/thread.js';
import type { ContainerRuntime, ContainerSpec } from './runtime/types.js';
import type { VolumeSources } from './volumes.js';

export interface KubeletOptions {
  clock?: Clock;
  log?: LogFn;
}

export class Kubelet {
  private readonly clock: Clock;
  private readonly log: LogFn;
  private nc?: NatsConnection;

  constructor(
    readonly config: KubeletConfig,
    options: KubeletOptions = {},
  ) {
    if (!config.nodeName) throw new Error('kubelet: nodeName is required');
    if (!(config.nodeIndex >= 1)) throw new Error('kubelet: nodeIndex must be 1 or more');
    if (parseQuantity(config.cpu) === undefined) throw new Error(`kubelet: cpu is not a quantity: ${config.cpu}`);
    if (parseQuantity(config.memory) === undefined) throw new Error(`kubelet: memory is not a quantity: ${config.memory}`);
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog(`kubelet ${config.nodeName}`);
  }

  /** Connects and starts everything; resolves once pods are being synced. Stops when `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const c = this.config;
    this.nc = await connect({ servers: c.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: `kubesim-kubelet-${c.nodeName}`, noAsyncTraces: true });
    const client = new ApiClient(new NatsTransport(this.nc));
    const layout = new NodeLayout(c.rootDir);
    fs.mkdirSync(layout.podsDir, { recursive: true });
    const node = new NodeAgent({ ...c, client, clock: this.clock, log: this.log });
    await node.register(signal);
    void node.start(signal);
    const runtime: ContainerRuntime = c.runtime === 'thread' ? new ThreadRuntime() : new ProcessRuntime({ clock: this.clock });
    const pods = new PodManager({
      client,
      nodeName: c.nodeName,
      layout,
      log: this.log,
      workerDeps: {
        nodeName: c.nodeName,
        hostIP: nodeIP(c.nodeIndex),
        layout,
        ipam: new PodIpAllocator(layout, c.nodeIndex),
        runtime,
        clock: this.clock,
        events: new EventRecorder(client, { component: 'kubelet', host: c.nodeName, log: this.log }),
        backoff: new Backoff(c.backoff),
        backoffSettings: c.backoff,
        retryMs: c.retryMs,
        sources: volumeSources(client),
        podInfo: {
          allocatable: { cpu: parseQuantity(c.cpu)!, memory: parseQuantity(c.memory)! },
          baseEnv: await apiserverEnv(client, c.apiserverUrl),
        },
        resolveImage: (image) => resolveImage(image),
        pulledImages: new Set(),
        exec: execInImage,
        log: this.log,
      },
    });
    await pods.start(signal);
    new LogService({ nc: this.nc, nodeName: c.nodeName, find: (ns, n) => pods.logTarget(ns, n), runningLogs: () => pods.runningLogs(), clock: this.clock, log: this.log }).start(signal);
    new ExecService({ nc: this.nc, nodeName: c.nodeName, find: (ns, n) => pods.execTarget(ns, n), clock: this.clock, log: this.log }).start(signal);
    signal.addEventListener('abort', () => void this.nc?.drain().catch(() => undefined), { once: true });
    this.log('info', 'kubelet running', { node: c.nodeName, runtime: c.runtime, root: layout.root });
  }
}

/** Reads ConfigMaps, Secrets and claims from the API; a missing one is undefined. */
function volumeSources(client: ApiClient): VolumeSources {
  const get = async <T>(plural: string, group: string, ns: string | undefined, name: string): Promise<T | undefined> => {
    try {
      return (await client.resource(findResource(group, 'v1', plural)!).get(ns, name)) as T;
    } catch (err) {
      if ((err as { code?: string }).code === 'NotFound') return undefined;
      throw err;
    }
  };
  return {
    configMap: (ns, name) => get<ConfigMap>('configmaps', '', ns, name),
    secret: (ns, name) => get<Secret>('secrets', '', ns, name),
    claim: (ns, name) => get<PersistentVolumeClaim>('persistentvolumeclaims', '', ns, name),
    volume: (name) => get<PersistentVolume>('persistentvolumes', '', undefined, name),
    services: async (ns) => (await client.resource<Service>(findResource('', 'v1', 'services')!).list({ namespace: ns })).items,
  };
}

/**
 * KUBERNETES_SERVICE_HOST/PORT for every container: from `--apiserver-url`, else from the
 * `default/kubernetes` Service when there is one.
 */
async function apiserverEnv(client: ApiClient, url: string | undefined): Promise<Record<string, string>> {
  let host: string | undefined;
  let port: string | undefined;
  if (url) {
    const u = new URL(url);
    host = u.hostname;
    port = u.port || (u.protocol === 'https:' ? '443' : '80');
  } else {
    try {
      const svc = await client.resource<Service>(findResource('', 'v1', 'services')!).get('default', 'kubernetes');
      host = svc.spec?.clusterIP;
      port = String(svc.spec?.ports?.[0]?.port ?? 443);
    } catch {
      return {};
    }
  }
  if (!host) return {};
  return { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port!, KUBERNETES_PORT: `tcp://${host}:${port}` };
}

/**
 * Runs a command in a container's image inside the kubelet (exec probes and hooks). The command
 * gets SIGTERM when `timeoutMs` passes (Infinity: never) or `signal` aborts, and is abandoned
 * then: an in-process program may ignore SIGTERM (busybox `sleep`), and the caller must not hang.
 */
async function execInImage(spec: ContainerSpec, timeoutMs: number, signal?: AbortSignal): Promise<{ exitCode: number; output: string }> {
  const chunks: string[] = [];
  const collect = (c: string | Uint8Array) => void chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));
  const ac = new AbortController();
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => ac.abort(), timeoutMs) : undefined;
  const onAbort = () => ac.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) ac.abort();
  const stopped = new Promise<undefined>((resolve) => ac.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
  try {
    const exitCode = await Promise.race([runContainer(spec, { stdout: collect, stderr: collect }, ac.signal), stopped]);
    if (ac.signal.aborted) return { exitCode: 1, output: `command ${JSON.stringify((spec.command ?? []).join(' '))} timed out` };
    return { exitCode: exitCode!, output: chunks.join('') };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
