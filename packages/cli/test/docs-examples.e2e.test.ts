/**
 * The Kubernetes documentation's probe and command examples, applied unchanged with the stock
 * kubectl to a cluster from `kubesim up`, behave as the documentation describes.
 * (kubernetes.io: configure-liveness-readiness-startup-probes, define-command-argument-container,
 * environment-variable-expose-pod-information.)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@kubesim/api';
import { UpCluster, waitFor } from './up-cluster.js';

const MANIFESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'manifests');
const PODS = RESOURCES.find((r) => r.plural === 'pods')!;
const EVENTS = RESOURCES.find((r) => r.plural === 'events')!;
const cluster = new UpCluster();

beforeAll(async () => {
  await cluster.start(2);
  for (const f of ['exec-liveness', 'http-liveness', 'tcp-liveness-readiness', 'commands', 'dapi-envars-pod']) {
    cluster.kubectl('apply', '-f', path.join(MANIFESTS, `${f}.yaml`));
  }
}, 120_000);

afterAll(() => cluster.stop());

async function pod(name: string): Promise<any> {
  return cluster.client.resource(PODS).get('default', name);
}

async function events(name: string): Promise<any[]> {
  return (await cluster.client.resource(EVENTS).list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` })).items;
}

describe('the documentation examples', () => {
  it('commands: printenv prints the pod name and KUBERNETES_PORT, then the pod completes', async () => {
    await waitFor('command-demo Succeeded', async () => (await pod('command-demo')).status?.phase === 'Succeeded');
    const logs = cluster.kubectl('logs', 'command-demo').trim().split('\n');
    expect(logs[0]).toBe('command-demo');
    expect(logs[1]).toMatch(/^tcp:\/\/127\.128\.0\.1:443$/);
  });

  it('dapi-envars: the container sees its node, name, namespace, IP and service account', async () => {
    await waitFor('dapi-envars-fieldref Running with output', async () => cluster.kubectl('logs', 'dapi-envars-fieldref').includes('default'));
    const p = await pod('dapi-envars-fieldref');
    const lines = cluster.kubectl('logs', 'dapi-envars-fieldref').split('\n').filter((l) => l.trim() !== '');
    expect(lines.slice(0, 5)).toEqual([p.spec.nodeName, 'dapi-envars-fieldref', 'default', p.status.podIP, 'default']);
  });

  it('tcp-liveness-readiness: goproxy becomes Ready after the initial delay and is never restarted', async () => {
    await waitFor('goproxy Ready', async () => (await pod('goproxy')).status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'), 40_000);
    const p = await pod('goproxy');
    const readyAt = Date.parse(p.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime);
    expect(readyAt - Date.parse(p.status.startTime)).toBeGreaterThanOrEqual(14_000);
    expect(p.status.containerStatuses[0].restartCount).toBe(0);
  }, 60_000);

  it('http-liveness: after 10 s /healthz answers 500 and the kubelet restarts the container', async () => {
    await waitFor('liveness-http restarted', async () => (await pod('liveness-http')).status?.containerStatuses?.[0]?.restartCount >= 1, 60_000);
    const evs = await events('liveness-http');
    expect(evs.some((e) => e.reason === 'Unhealthy' && e.message === 'Liveness probe failed: HTTP probe failed with statuscode: 500')).toBe(true);
    expect(evs.some((e) => e.reason === 'Killing' && e.message === 'Container liveness failed liveness probe, will be restarted')).toBe(true);
  }, 70_000);

  it('exec-liveness: once /tmp/healthy is removed the probe fails and the container is restarted', async () => {
    await waitFor('liveness-exec restarted', async () => (await pod('liveness-exec')).status?.containerStatuses?.[0]?.restartCount >= 1, 80_000);
    const evs = await events('liveness-exec');
    expect(evs.some((e) => e.reason === 'Unhealthy' && e.message.startsWith("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"))).toBe(true);
    expect(cluster.kubectl('get', 'pod', 'liveness-exec')).toMatch(/^liveness-exec\s+1\/1\s+Running\s+1 \(/m);
  }, 90_000);
});
