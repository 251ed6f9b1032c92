/**
 * The EndpointSlice controller in the controller-manager process against a real control plane:
 * pods are created with their status written directly (no kubelets), and the stock kubectl reads
 * the slices for `describe service` and `get endpointslices`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Pod, Service } from '@kubesim/api';
import { TestControlPlane, writeKubeconfig, type TestProcess } from '@kubesim/testing';
import { eventually, namespace, res, startControllerManager } from './harness.js';

const run = promisify(execFile);

describe('the EndpointSlice controller', () => {
  let cp: TestControlPlane;
  let cm: TestProcess;
  let dir: string;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    // Only this controller: slices of a deleted Service must go without the garbage collector.
    cm = startControllerManager(cp, ['--controllers', 'endpointslice']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-slices-'));
    writeKubeconfig(path.join(dir, 'kubeconfig'), cp.apiserver.url);
  });

  afterAll(async () => {
    await cm?.kill();
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const pods = () => res<Pod>(cp.natsClient, 'pods');
  const services = () => res<Service>(cp.natsClient, 'services');
  const slicesClient = () => res<EndpointSlice>(cp.natsClient, 'endpointslices');

  async function kubectl(ns: string, ...args: string[]): Promise<string> {
    const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), '-n', ns, ...args], {
      timeout: 30_000,
    });
    return stdout;
  }

  async function slicesOf(ns: string, svc: string): Promise<EndpointSlice[]> {
    return (await slicesClient().list({ namespace: ns, labelSelector: `kubernetes.io/service-name=${svc}` })).items;
  }

  /** Address → ready condition, over every slice of the Service. */
  async function readiness(ns: string, svc: string): Promise<Record<string, boolean | undefined>> {
    const out: Record<string, boolean | undefined> = {};
    for (const s of await slicesOf(ns, svc)) for (const e of s.endpoints ?? []) out[e.addresses[0]] = e.conditions?.ready;
    return out;
  }

  /** A Running pod on node-1 with the given IP and readiness, its status written as a kubelet would. */
  async function runningPod(ns: string, name: string, ip: string, ready: boolean): Promise<Pod> {
    const pod = await pods().create({
      metadata: { name, namespace: ns, labels: { app: 'web' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'kubesim/web:v1', ports: [{ name: 'http', containerPort: 8080 }] }] },
    } as Pod);
    return setReady(pod, ip, ready);
  }

  async function setReady(pod: Pod, ip: string, ready: boolean): Promise<Pod> {
    const status = { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() };
    const fresh = await pods().get(pod.metadata.namespace, pod.metadata.name!);
    return pods().updateStatus({ ...fresh, status: { ...fresh.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [status] } });
  }

  it('keeps one slice per Service listing its pods, follows readiness within a second, and goes with the Service', async () => {
    const ns = await namespace(cp.natsClient, 'slices');
    const svc = await services().create({
      metadata: { name: 'web', namespace: ns, labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    } as Service);
    const a = await runningPod(ns, 'web-a', '127.64.1.2', true);
    await runningPod(ns, 'web-b', '127.64.1.3', true);
    await runningPod(ns, 'web-c', '127.64.1.4', false);

    await eventually(async () => Object.keys(await readiness(ns, 'web')).length === 3, 'three endpoints');
    const [slice, ...others] = await slicesOf(ns, 'web');
    expect(others).toEqual([]);
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints[0]).toEqual({
      addresses: ['127.64.1.2'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'node-1',
      targetRef: { kind: 'Pod', namespace: ns, name: 'web-a', uid: a.metadata.uid },
    });
    expect(await readiness(ns, 'web')).toEqual({ '127.64.1.2': true, '127.64.1.3': true, '127.64.1.4': false });

    const flippedAt = Date.now();
    await setReady(a, '127.64.1.2', false);
    await eventually(async () => (await readiness(ns, 'web'))['127.64.1.2'] === false, 'the readiness flip', 1_000);
    console.log(`EndpointSlice followed the readiness flip in ${Date.now() - flippedAt} ms`);

    await pods().delete(ns, 'web-b', { gracePeriodSeconds: 0 });
    await eventually(async () => !('127.64.1.3' in (await readiness(ns, 'web'))), 'the deleted pod leaving');

    await services().delete(ns, 'web');
    await eventually(async () => (await slicesOf(ns, 'web')).length === 0, 'the slices going with the Service');
  }, 60_000);

  it('spreads 130 pods arriving at once over two slices, each listed once', async () => {
    const ns = await namespace(cp.natsClient, 'many');
    await services().create({ metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } as Service);
    const ips = Array.from({ length: 130 }, (_, i) => `127.64.${3 + Math.floor(i / 100)}.${2 + (i % 100)}`);
    await Promise.all(ips.map((ip, i) => runningPod(ns, `web-${i}`, ip, true)));
    await eventually(async () => Object.keys(await readiness(ns, 'web')).length === 130, '130 endpoints');
    // Settled: a late duplicate slice would show up here.
    await new Promise((r) => setTimeout(r, 500));
    const slices = await slicesOf(ns, 'web');
    expect(slices.map((s) => s.endpoints.length).sort((x, y) => y - x)).toEqual([100, 30]);
    expect(slices.flatMap((s) => s.endpoints.map((e) => e.addresses[0])).sort()).toEqual([...ips].sort());
  }, 60_000);

  it('keeps an empty placeholder slice for a Service without pods', async () => {
    const ns = await namespace(cp.natsClient, 'empty');
    await services().create({ metadata: { name: 'lonely', namespace: ns }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } } as Service);
    const [slice] = await eventually(async () => {
      const found = await slicesOf(ns, 'lonely');
      return found.length > 0 ? found : undefined;
    }, 'a placeholder slice');
    expect(slice.endpoints ?? []).toEqual([]);
    expect(slice.ports ?? []).toEqual([]);
  });

  it('shows the endpoints to the stock kubectl in describe service and get endpointslices', async () => {
    const ns = await namespace(cp.natsClient, 'kubectl');
    await services().create({ metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } as Service);
    await runningPod(ns, 'web-a', '127.64.2.2', true);
    await runningPod(ns, 'web-b', '127.64.2.3', true);
    await eventually(async () => Object.keys(await readiness(ns, 'web')).length === 2, 'two endpoints');

    const described = await kubectl(ns, 'describe', 'service', 'web');
    expect(described).toMatch(/^Endpoints:\s+127\.64\.2\.2:8080,127\.64\.2\.3:8080$/m);

    const table = await kubectl(ns, 'get', 'endpointslices');
    expect(table).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m);
    expect(table).toMatch(/^web-[a-z0-9]{5}\s+IPv4\s+8080\s+127\.64\.2\.2,127\.64\.2\.3\s+\d+s$/m);
  }, 60_000);
});
