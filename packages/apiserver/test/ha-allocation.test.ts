/**
 * Two apiservers on one store (as `kubesim up --ha` runs them) never give one Service address
 * to two Services: each picks from its own cache, and the claim in the shared allocation
 * ledger decides. Real nats-server, two real apiserver processes, creates racing over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, HttpTransport, RESOURCES, isReason, type KubeObject } from '@kubesim/api';
import { ApiserverProcess, TestControlPlane } from '@kubesim/testing';

const SERVICES = RESOURCES.find((r) => r.plural === 'services')!;
let cp: TestControlPlane;
let second: ApiserverProcess;
let a: ApiClient;
let b: ApiClient;

beforeAll(async () => {
  cp = await new TestControlPlane().start();
  second = new ApiserverProcess({ natsUrl: () => cp.nats.url });
  await second.start();
  a = cp.httpClient;
  b = new ApiClient(new HttpTransport({ server: second.url }));
});
afterAll(async () => {
  await b?.close();
  await second?.stop();
  await cp?.stop();
});

function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } } as KubeObject;
}

/** Creates both at the same moment, one through each apiserver; the outcome of each. */
async function race(x: KubeObject, y: KubeObject): Promise<PromiseSettledResult<any>[]> {
  return Promise.allSettled([a.resource(SERVICES).create(x), b.resource(SERVICES).create(y)]);
}

describe('Service addresses with two apiservers', () => {
  it('gives a requested ClusterIP to exactly one of two Services created at once, the other a 422', async () => {
    for (let i = 0; i < 10; i++) {
      const ip = `127.128.200.${10 + i}`;
      const [x, y] = await race(service(`ip-a-${i}`, { clusterIP: ip }), service(`ip-b-${i}`, { clusterIP: ip }));
      const won = [x, y].filter((r) => r.status === 'fulfilled');
      expect(won, `round ${i}`).toHaveLength(1);
      const lost = [x, y].find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(isReason(lost.reason, 'Invalid')).toBe(true);
      expect(String(lost.reason.message)).toContain('provided IP is already allocated');
    }
  });

  it('gives a requested nodePort to exactly one of two Services created at once', async () => {
    for (let i = 0; i < 10; i++) {
      const ports = [{ port: 80, nodePort: 31000 + i }];
      const [x, y] = await race(service(`np-a-${i}`, { type: 'NodePort', ports }), service(`np-b-${i}`, { type: 'NodePort', ports }));
      expect([x, y].filter((r) => r.status === 'fulfilled'), `round ${i}`).toHaveLength(1);
      const lost = [x, y].find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(String(lost.reason.message)).toContain('provided port is already allocated');
    }
  });

  it('hands out distinct ClusterIPs and nodePorts to many Services created concurrently through both', async () => {
    const creates = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).resource(SERVICES).create(service(`many-${i}`, { type: 'NodePort' })));
    const made = (await Promise.all(creates)) as any[];
    const ips = made.map((s) => s.spec.clusterIP);
    const nodePorts = made.map((s) => s.spec.ports[0].nodePort);
    expect(new Set(ips).size).toBe(60);
    expect(new Set(nodePorts).size).toBe(60);
  });

  it('lets an address go with its Service: deleted through one apiserver, requested again through the other', async () => {
    await a.resource(SERVICES).create(service('reuse-1', { clusterIP: '127.128.201.1', type: 'NodePort', ports: [{ port: 80, nodePort: 31500 }] }));
    await a.resource(SERVICES).delete('default', 'reuse-1');
    const again = (await b.resource(SERVICES).create(service('reuse-2', { clusterIP: '127.128.201.1', type: 'NodePort', ports: [{ port: 80, nodePort: 31500 }] }))) as any;
    expect(again.spec.clusterIP).toBe('127.128.201.1');
    expect(again.spec.ports[0].nodePort).toBe(31500);
  });

  it('moves a claim when an update changes the nodePort, freeing the old one', async () => {
    const svc = (await a.resource(SERVICES).create(service('move', { type: 'NodePort', ports: [{ port: 80, nodePort: 31600 }] }))) as any;
    svc.spec.ports[0].nodePort = 31601;
    await b.resource(SERVICES).update(svc);
    const taker = (await a.resource(SERVICES).create(service('taker', { type: 'NodePort', ports: [{ port: 80, nodePort: 31600 }] }))) as any;
    expect(taker.spec.ports[0].nodePort).toBe(31600);
    await expect(b.resource(SERVICES).create(service('clash', { type: 'NodePort', ports: [{ port: 80, nodePort: 31601 }] }))).rejects.toThrow(/provided port is already allocated/);
  });

  it('does not claim anything on a dry run', async () => {
    await a.resource(SERVICES).create(service('dry', { clusterIP: '127.128.202.1' }), { dryRun: true });
    const real = (await b.resource(SERVICES).create(service('wet', { clusterIP: '127.128.202.1' }))) as any;
    expect(real.spec.clusterIP).toBe('127.128.202.1');
  });
});
