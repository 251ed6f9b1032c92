/**
 * End-to-end fixtures: kubesim-proxy and kubesim-lb as real processes against a real control
 * plane, and the API objects the endpoints controller and kubelets would write.
 */
import { findResource, type ApiClient, type Endpoints, type EndpointAddress, type KubeObject, type Node, type ResourceClient, type Service } from '@kubesim/api';
import { repoPath, TestProcess, type TestControlPlane } from '@kubesim/testing';
import { get, randomInt } from './helpers.js';

export function res<T extends KubeObject>(client: ApiClient, plural: string): ResourceClient<T> {
  return client.resource<T>(findResource('', 'v1', plural)!);
}

/** A kubesim-proxy process with the fast profile. */
export function startProxy(cp: TestControlPlane, name: string, args: string[]): TestProcess {
  return new TestProcess(name, process.execPath, [repoPath('packages/lb/dist/proxy-main.js'), '--nats-url', cp.nats.url, '--profile', 'fast', ...args]);
}

/** A kubesim-lb process with the fast profile. */
export function startLb(cp: TestControlPlane, range: string): TestProcess {
  return new TestProcess('lb', process.execPath, [repoPath('packages/lb/dist/lb-main.js'), '--nats-url', cp.nats.url, '--profile', 'fast', '--address-range', range]);
}

/** A fresh namespace. */
export async function namespace(client: ApiClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await res(client, 'namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
  return name;
}

/** A Node as its kubelet registers it: Ready, with its InternalIP. */
export function readyNode(name: string, ip: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
    },
  };
}

export function service(ns: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ...spec } };
}

/** Endpoints as the endpoints controller writes them: one subset, the named port resolved to `port`. */
export function endpoints(ns: string, name: string, port: { name?: string; port: number }, ready: EndpointAddress[], notReady: EndpointAddress[] = []): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: ns },
    subsets: [{ addresses: ready, ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports: [{ ...port, protocol: 'TCP' }] }],
  };
}

/**
 * Addresses of one suite, random within the conventions so that suites and clusters running
 * at the same time on this machine do not meet: node i at 127.1.<n>.i, pods at 127.<p>.<q>.x.
 */
export function suiteAddresses(): { nodeIP: (i: number) => string; podIP: (x: number) => string; lbRange: string } {
  const n = randomInt(100, 250);
  const p = randomInt(90, 126);
  const q = randomInt(1, 254);
  return {
    nodeIP: (i) => `127.1.${n}.${i}`,
    podIP: (x) => `127.${p}.${q}.${x}`,
    lbRange: `127.200.${randomInt(100, 255)}.0/24`,
  };
}

/** Waits until a node proxy reports healthy on its health port. */
export async function proxyHealthy(nodeIP: string): Promise<boolean> {
  try {
    return (await get(nodeIP, 10256, { path: '/healthz', timeoutMs: 1000 })).status === 200;
  } catch {
    return false;
  }
}
