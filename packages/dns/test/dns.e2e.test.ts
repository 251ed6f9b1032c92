import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource, type ApiClient, type Endpoints, type EndpointSubset, type Pod, type Service } from '@kubesim/api';
import { freePort, repoPath, TestControlPlane, TestProcess } from '@kubesim/testing';
import { queryDns } from '../src/client.js';
import { decodeMessage } from '../src/wire/decode.js';
import type { DnsMessage, RecordTypeName } from '../src/wire/message.js';
import { eventually as poll } from '@kubesim/testing';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
const PODS = findResource('', 'v1', 'pods')!;

/** Not the cluster DNS address: this suite's server must not clash with a real cluster's. */
const ADDRESS = '127.53.0.1';
const D = 'default.svc.cluster.local';

/** Polls `fn` every 20 ms until it returns something truthy; throws after `ms` with `what`. */
function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  return poll(what, fn, { timeoutMs: ms, intervalMs: 20 });
}

/** The addresses of the A records in an answer, sorted. */
function addresses(msg: DnsMessage): string[] {
  return msg.answers.flatMap((r) => (r.type === 'A' ? [r.address] : [])).sort();
}

function subset(ready: string[], notReady: string[] = [], ports = [{ name: 'http', port: 8080, protocol: 'TCP' }]): EndpointSubset {
  return { addresses: ready.map((ip) => ({ ip })), notReadyAddresses: notReady.map((ip) => ({ ip })), ports };
}

describe('kubesim-dns against a real control plane', () => {
  let cp: TestControlPlane;
  let dns: TestProcess;
  let port: number;
  let client: ApiClient;

  const ask = (name: string, type: RecordTypeName = 'A', tcp = false) => queryDns(ADDRESS, port, name, type, { tcp });
  const services = () => client.resource<Service>(SERVICES);
  const endpointsClient = () => client.resource<Endpoints>(ENDPOINTS);

  async function createService(name: string, spec: Service['spec']): Promise<Service> {
    return services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
  }

  async function createEndpoints(name: string, subsets: EndpointSubset[]): Promise<Endpoints> {
    return endpointsClient().create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' }, subsets });
  }

  /** Waits until `name` answers with `rcode` and resolves with the answer and the wait in ms. */
  async function until(name: string, type: RecordTypeName, ok: (m: DnsMessage) => boolean): Promise<{ msg: DnsMessage; ms: number }> {
    const start = Date.now();
    const msg = await eventually(`${name} ${type} to change`, async () => {
      const m = await ask(name, type);
      return ok(m) && m;
    });
    return { msg, ms: Date.now() - start };
  }

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    client = cp.natsClient;
    port = await freePort(ADDRESS);
    dns = new TestProcess('dns', process.execPath, [
      repoPath('packages/dns/dist/main.js'),
      '--nats-url',
      cp.nats.url,
      '--address',
      ADDRESS,
      '--port',
      String(port),
      '--profile',
      'fast',
    ]);
    await eventually('the DNS server to sync', async () => {
      if (!dns.running) throw new Error(`dns exited:\n${dns.log}`);
      return dns.log.includes('caches synced; serving');
    }, 20_000);
  });

  afterAll(async () => {
    await dns?.kill('SIGTERM');
    await cp?.stop();
  });

  it('resolves a Service to its ClusterIP over UDP and TCP', async () => {
    const svc = await createService('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    const ip = svc.spec!.clusterIP!;
    expect(ip).toMatch(/^127\.128\./);
    const { msg, ms } = await until(`web.${D}`, 'A', (m) => m.rcode === 'NOERROR');
    expect(ms).toBeLessThan(1000);
    expect(msg).toMatchObject({ aa: true, tc: false });
    expect(msg.answers).toEqual([{ name: `web.${D}`, type: 'A', class: 1, ttl: 5, address: ip }]);
    expect(addresses(await ask(`web.${D}`, 'A', true))).toEqual([ip]);
  });

  it('answers NXDOMAIN with the SOA for a missing Service, over UDP and TCP', async () => {
    for (const tcp of [false, true]) {
      const msg = await ask(`missing.${D}`, 'A', tcp);
      expect(msg.rcode).toBe('NXDOMAIN');
      expect(msg.answers).toEqual([]);
      expect(msg.authorities).toMatchObject([{ type: 'SOA', name: 'cluster.local', mname: 'ns.dns.cluster.local' }]);
    }
  });

  it('refuses names outside the cluster domain', async () => {
    expect((await ask('example.com')).rcode).toBe('REFUSED');
  });

  it('answers SRV for named ports with the address in the additional section', async () => {
    const svc = await createService('api', {
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'metrics', port: 9090, protocol: 'TCP' },
      ],
    });
    const ip = svc.spec!.clusterIP!;
    const { msg } = await until(`_metrics._tcp.api.${D}`, 'SRV', (m) => m.rcode === 'NOERROR');
    expect(msg.answers).toEqual([{ name: `_metrics._tcp.api.${D}`, type: 'SRV', class: 1, ttl: 5, priority: 0, weight: 100, port: 9090, target: `api.${D}` }]);
    expect(msg.additionals).toEqual([{ name: `api.${D}`, type: 'A', class: 1, ttl: 5, address: ip }]);
    const tcp = await ask(`_http._tcp.api.${D}`, 'SRV', true);
    expect(tcp.answers).toMatchObject([{ type: 'SRV', port: 80, target: `api.${D}` }]);
    expect((await ask(`_grpc._tcp.api.${D}`, 'SRV')).rcode).toBe('NXDOMAIN');
  });

  it('answers a headless Service with one record per ready address', async () => {
    await createService('db', { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] });
    await createEndpoints('db', [subset(['127.64.1.2', '127.64.1.3'], ['127.64.1.4'])]);
    const { msg } = await until(`db.${D}`, 'A', (m) => m.answers.length > 0);
    expect(addresses(msg)).toEqual(['127.64.1.2', '127.64.1.3']);
    const srv = await ask(`_http._tcp.db.${D}`, 'SRV', true);
    expect(srv.answers.map((r) => (r.type === 'SRV' ? r.target : '')).sort()).toEqual([`127-64-1-2.db.${D}`, `127-64-1-3.db.${D}`]);
    expect(addresses({ ...srv, answers: srv.additionals })).toEqual(['127.64.1.2', '127.64.1.3']);
    expect(addresses(await ask(`127-64-1-3.db.${D}`))).toEqual(['127.64.1.3']);
    expect((await ask(`127-64-1-4.db.${D}`)).rcode).toBe('NXDOMAIN');
  });

  it('answers an ExternalName Service with a CNAME', async () => {
    await createService('ext', { type: 'ExternalName', externalName: 'db.example.com' });
    const { msg } = await until(`ext.${D}`, 'A', (m) => m.rcode === 'NOERROR');
    expect(msg.answers).toEqual([{ name: `ext.${D}`, type: 'CNAME', class: 1, ttl: 5, target: 'db.example.com' }]);
  });

  it('shows Endpoints and Service changes within a second', async () => {
    await createService('pool', { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] });
    const ep = await createEndpoints('pool', [subset(['127.64.2.2'])]);
    await until(`pool.${D}`, 'A', (m) => addresses(m).length === 1);

    await endpointsClient().update({ ...ep, subsets: [subset(['127.64.2.2', '127.64.2.3'], ['127.64.2.4'])] });
    const grown = await until(`pool.${D}`, 'A', (m) => addresses(m).length === 2);
    expect(grown.ms).toBeLessThan(1000);
    expect(addresses(grown.msg)).toEqual(['127.64.2.2', '127.64.2.3']);

    await services().delete('default', 'pool');
    const gone = await until(`pool.${D}`, 'A', (m) => m.rcode === 'NXDOMAIN');
    expect(gone.ms).toBeLessThan(1000);
  });

  it('resolves pods by dashed IP and by hostname and subdomain', async () => {
    const pods = client.resource<Pod>(PODS);
    await createService('sts', { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] });
    const created = await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sts-0', namespace: 'default' },
      spec: { hostname: 'sts-0', subdomain: 'sts', containers: [{ name: 'app', image: 'echo' }] },
    });
    await pods.updateStatus({
      ...created,
      status: { phase: 'Running', podIP: '127.64.5.2', podIPs: [{ ip: '127.64.5.2' }], conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const byIp = await until('127-64-5-2.default.pod.cluster.local', 'A', (m) => m.rcode === 'NOERROR');
    expect(addresses(byIp.msg)).toEqual(['127.64.5.2']);
    expect(addresses(await ask(`sts-0.sts.${D}`))).toEqual(['127.64.5.2']);
    expect((await ask('127-64-5-9.default.pod.cluster.local')).rcode).toBe('NXDOMAIN');
  });

  it('serves Node’s own resolver (c-ares), which falls back to TCP on truncation', async () => {
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`${ADDRESS}:${port}`]);
    const web = await services().get('default', 'web');
    expect(await resolver.resolve4(`web.${D}`)).toEqual([web.spec!.clusterIP]);
    expect(await resolver.resolveSrv(`_http._tcp.web.${D}`)).toEqual([{ name: `web.${D}`, port: 80, priority: 0, weight: 100 }]);
    expect(await resolver.resolveCname(`ext.${D}`)).toEqual(['db.example.com']);
    await expect(resolver.resolve4(`missing.${D}`)).rejects.toMatchObject({ code: 'ENOTFOUND' });

    const ips = Array.from({ length: 50 }, (_, i) => `127.64.9.${i + 2}`);
    await createService('wide', { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] });
    await createEndpoints('wide', [subset(ips)]);
    const udp = (await until(`wide.${D}`, 'A', (m) => m.answers.length > 0)).msg;
    expect(udp.tc).toBe(true);
    expect(addresses(await ask(`wide.${D}`, 'A', true))).toEqual([...ips].sort());
    expect((await resolver.resolve4(`wide.${D}`)).sort()).toEqual([...ips].sort());
  });

  it('answers garbage with FORMERR or silence and keeps serving', async () => {
    const junk = [Buffer.from([1, 2, 3]), Buffer.from('00070100000100000000000003777777c0ff', 'hex'), Buffer.alloc(600, 0xc0)];
    const replies = await Promise.all(junk.map((packet) => sendUdp(ADDRESS, port, packet)));
    expect(replies[0]).toBeUndefined();
    expect(replies[1] && decodeMessage(replies[1])).toMatchObject({ id: 7, qr: true, rcode: 'FORMERR' });

    await sendTcpGarbage(ADDRESS, port, Buffer.from('0005ffffffffff0000', 'hex'));
    expect(dns.running).toBe(true);
    expect((await ask(`web.${D}`)).rcode).toBe('NOERROR');
    expect((await ask(`web.${D}`, 'A', true)).rcode).toBe('NOERROR');
  });
});

/** Sends one datagram; resolves with the reply, or undefined after 300 ms of silence. */
function sendUdp(host: string, port: number, packet: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, 300);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.send(packet, port, host);
  });
}

/** Writes bytes on a TCP connection, then half-closes and waits for the server to hang up. */
function sendTcpGarbage(host: string, port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => socket.end(bytes));
    socket.on('data', () => undefined);
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}
