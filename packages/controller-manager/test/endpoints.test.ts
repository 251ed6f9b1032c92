import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type KubeObject, type Pod, type Service } from '@kubesim/api';
import { eventually, TestCluster } from '@kubesim/testing';
import { buildSubsets, resolveTargetPort } from '../src/endpoints-build.js';

function pod(name: string, ip: string | undefined, ready: boolean, extra: Partial<Pod['spec']> = {}, phase = 'Running'): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }], nodeName: 'node-1', ...extra },
    status: { phase, podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  } as Pod;
}

const svc = (ports: any[], extra: Partial<Service['spec']> = {}): Service =>
  ({ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports, ...extra } }) as Service;

describe('buildSubsets', () => {
  it.each([
    ['a number', { port: 80, targetPort: 9090 }, 9090],
    ['a numeric string', { port: 80, targetPort: '9090' }, 9090],
    ['a named port the pod declares', { port: 80, targetPort: 'http' }, 8080],
    ['a named port the pod lacks', { port: 80, targetPort: 'metrics' }, undefined],
    ['no targetPort: the port', { port: 80 }, 80],
  ])('resolves a target port given as %s', (_n, port, want) => {
    expect(resolveTargetPort(port as any, pod('a', '127.64.1.2', true))).toBe(want);
  });

  it('lists ready pods under addresses and not-ready ones apart, sorted by IP', () => {
    const subsets = buildSubsets(svc([{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }]), [
      pod('b', '127.64.1.10', true),
      pod('a', '127.64.1.9', true),
      pod('c', '127.64.2.2', false),
      pod('pending', undefined, false),
      pod('done', '127.64.2.3', true, {}, 'Succeeded'),
    ]);
    expect(subsets).toEqual([
      {
        ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
        addresses: [
          { ip: '127.64.1.9', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } },
          { ip: '127.64.1.10', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
        ],
        notReadyAddresses: [{ ip: '127.64.2.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' } }],
      },
    ]);
  });

  it('puts pods whose named ports resolve differently into separate subsets', () => {
    const other = pod('x', '127.64.1.3', true, { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 9000 }] }] });
    const subsets = buildSubsets(svc([{ port: 80, targetPort: 'http' }]), [pod('a', '127.64.1.2', true), other]);
    expect(subsets.map((s) => s.ports[0].port).sort()).toEqual([8080, 9000]);
  });

  it('lists every pod as ready with publishNotReadyAddresses', () => {
    const subsets = buildSubsets(svc([{ port: 80 }], { publishNotReadyAddresses: true }), [pod('a', '127.64.1.2', false)]);
    expect(subsets[0].addresses?.map((a) => a.ip)).toEqual(['127.64.1.2']);
    expect(subsets[0].notReadyAddresses).toBeUndefined();
  });
});

describe('the Endpoints controller on a running cluster', () => {
  const cluster = new TestCluster({ nodes: 2 });
  beforeAll(async () => {
    await cluster.start();
  }, 60_000);
  afterAll(() => cluster.stop());

  const r = (plural: string) => cluster.cp.natsClient.resource(RESOURCES.find((x) => x.plural === plural)!);

  async function endpointIps(): Promise<{ ready: string[]; notReady: string[] }> {
    const ep: any = await r('endpoints').get('default', 'echo').catch(() => undefined);
    const subsets = ep?.subsets ?? [];
    return {
      ready: subsets.flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip)).sort(),
      notReady: subsets.flatMap((s: any) => (s.notReadyAddresses ?? []).map((a: any) => a.ip)).sort(),
    };
  }

  const waitFor = (cond: () => Promise<boolean>, ms = 30_000) => eventually('condition', cond, { timeoutMs: ms });

  it('lists the ready pods of a Deployment behind a Service, and follows a readiness flip and a deletion', async () => {
    await r('services').create({ metadata: { name: 'echo', namespace: 'default' }, spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } as KubeObject);
    await r('deployments').create({
      metadata: { name: 'echo', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'echo' } },
        template: {
          metadata: { labels: { app: 'echo' } },
          spec: {
            containers: [
              {
                name: 'echo',
                image: 'busybox',
                command: ['sh', '-c', 'touch /tmp/ready; while true; do sleep 1; done'],
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
              },
            ],
          },
        },
      },
    } as KubeObject);
    await waitFor(async () => (await endpointIps()).ready.length === 3);
    const pods = (await r('pods').list({ namespace: 'default', labelSelector: 'app=echo' })).items as any[];
    expect((await endpointIps()).ready).toEqual(pods.map((p) => p.status.podIP).sort());
    const ep: any = await r('endpoints').get('default', 'echo');
    expect(ep.subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);

    // Readiness lost (the probe's file removed inside the container): the address moves to notReady.
    const flipped = pods[1];
    fs.rmSync(path.join(cluster.rootDir, flipped.spec.nodeName, 'pods', flipped.metadata.uid, 'containers', 'echo', 'rootfs', 'tmp', 'ready'));
    await waitFor(async () => ((await r('pods').get('default', flipped.metadata.name)) as any).status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'False'));
    const notReadyAt = Date.now();
    await waitFor(async () => (await endpointIps()).notReady.includes(flipped.status.podIP));
    console.log(`Endpoints followed the readiness flip in ${Date.now() - notReadyAt} ms (after the pod's Ready condition changed)`);
    expect((await endpointIps()).ready).not.toContain(flipped.status.podIP);

    // Delete a pod: it leaves the Endpoints and its replacement joins once ready.
    const victim = pods[0];
    await r('pods').delete('default', victim.metadata.name, { gracePeriodSeconds: 0 });
    await waitFor(async () => (await endpointIps()).ready.length === 2 && !(await endpointIps()).ready.includes(victim.status.podIP));
  }, 90_000);
});
