/**
 * The apiserver component: connects to NATS, opens the store, fills the watch cache, creates the
 * built-in namespaces, then serves the NATS and HTTP APIs until its AbortSignal fires.
 */
import type { Server } from 'node:http';
import { connect, type NatsConnection } from 'nats';
import { isReason, findResource } from '@kubesim/api';
import type { ApiserverConfig } from './config.js';
import { KvStore } from './store/kv-store.js';
import { WatchCache } from './store/watch-cache.js';
import { Registry } from './registry/registry.js';
import { AllocationLedger } from './registry/allocation-ledger.js';
import { ApiHandler } from './handler.js';
import { NatsApi } from './nats-api.js';
import { closeUpgradedConnections, createHttpServer } from './http/server.js';
import { PodLogs } from './logs.js';
import { PodExec } from './exec.js';

const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class Apiserver {
  private nc?: NatsConnection;
  private http?: Server;
  private natsApi?: NatsApi;
  private cache?: WatchCache;
  private ready = false;

  /** Validates the config; does no I/O. */
  constructor(readonly config: ApiserverConfig) {
    if (!config.natsUrl) throw new Error('apiserver: natsUrl is required');
  }

  /** Starts everything; resolves once serving. Stops when `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const c = this.config;
    this.nc = await connect({ servers: c.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'kubesim-apiserver', noAsyncTraces: true });
    const store = new KvStore(this.nc, { bucket: c.bucket, replicas: c.replicas });
    await store.open();
    this.cache = new WatchCache(store, { historySize: c.watchCacheSize });
    // Service address claims live in a bucket of their own: no watch or list ever sees them.
    const claims = new KvStore(this.nc, { bucket: `${c.bucket}-allocations`, replicas: c.replicas });
    await claims.open();
    const services = findResource('', 'v1', 'services')!;
    let registry: Registry;
    const allocations = new AllocationLedger(claims, (uid) => registry.cached(services).some((s) => s.metadata.uid === uid));
    registry = new Registry({
      store,
      cache: this.cache,
      maxObjectBytes: c.maxObjectBytes,
      now: () => new Date(),
      defaultTolerationSeconds: c.defaultTolerationSeconds,
      allocations,
    });
    const handler = new ApiHandler(registry, new PodLogs(this.nc, registry));
    const settings = {
      bookmarkIntervalMs: c.bookmarkIntervalMs,
      keepaliveSeconds: 15,
      heartbeatSeconds: c.profile === 'fast' ? 1 : 5,
      maxRequestBytes: c.maxRequestBytes,
      ready: () => this.ready,
    };
    this.http = createHttpServer(handler, this.cache, settings, new PodExec(this.nc, registry));
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(c.port, c.bindAddress, () => resolve());
    });
    await this.cache.start(signal);
    await bootstrapNamespaces(registry);
    await bootstrapKubernetesService(registry, c.bindAddress === '0.0.0.0' ? '127.0.0.1' : c.bindAddress, c.port);
    this.natsApi = new NatsApi(this.nc, handler, this.cache, settings);
    this.natsApi.start();
    this.ready = true;
    signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  private async stop(): Promise<void> {
    this.ready = false;
    this.natsApi?.stop();
    this.http?.closeAllConnections();
    if (this.http) closeUpgradedConnections(this.http);
    this.http?.close();
    await this.nc?.drain().catch(() => undefined);
  }
}

async function bootstrapNamespaces(registry: Registry): Promise<void> {
  const info = findResource('', 'v1', 'namespaces')!;
  for (const name of BUILTIN_NAMESPACES) {
    try {
      await registry.create(info, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
    }
  }
}

/**
 * The `default/kubernetes` Service, as every cluster has it: a ClusterIP (the first of the
 * range) on port 443 whose Endpoints are this apiserver. Pods learn it as KUBERNETES_SERVICE_HOST.
 */
async function bootstrapKubernetesService(registry: Registry, address: string, port: number): Promise<void> {
  const services = findResource('', 'v1', 'services')!;
  const endpoints = findResource('', 'v1', 'endpoints')!;
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: '127.128.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
  };
  const ep = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: address }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  };
  // The cluster DNS address is reserved the way kubeadm reserves it: a kube-system/kube-dns
  // Service holding it. The DNS server itself listens on that address.
  const dns = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '127.128.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  };
  try {
    await registry.create(services, 'kube-system', dns);
  } catch (err) {
    if (!isReason(err, 'AlreadyExists')) throw err;
  }
  for (const [info, obj] of [[services, svc], [endpoints, ep]] as const) {
    try {
      await registry.create(info, 'default', obj);
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
      if (info === endpoints) await registry.writeLoop(info, 'default', 'kubernetes', undefined, (cur) => ({ ...cur, subsets: ep.subsets }) as typeof cur);
    }
  }
}
