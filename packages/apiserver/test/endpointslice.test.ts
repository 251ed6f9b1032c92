/**
 * discovery.k8s.io/v1 EndpointSlices as the apiserver serves them: discovery, CRUD and watch,
 * defaults, validation, and the `kubectl get endpointslices` table, through our clients and the
 * stock kubectl.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidError, NotFoundError, findResource, type EndpointSlice, type KubeObject } from '@kubesim/api';
import { TestControlPlane, writeKubeconfig } from '@kubesim/testing';
import { toTable } from '../src/http/tables/index.js';

const run = promisify(execFile);
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const NOW = new Date('2026-11-25T17:00:00Z');

function slice(name: string, extra: Partial<EndpointSlice> = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.64.1.2'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    ...extra,
  };
}

describe('the EndpointSlice table', () => {
  const row = (obj: Partial<EndpointSlice>) =>
    toTable(SLICES, [{ ...slice('x'), ...obj, metadata: { name: 'x', creationTimestamp: '2026-11-25T16:59:00Z' } } as KubeObject], { now: NOW }).rows[0].cells;

  it('has the columns kubectl prints', () => {
    expect(toTable(SLICES, [], { now: NOW }).columnDefinitions!.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['AddressType', 0],
      ['Ports', 0],
      ['Endpoints', 0],
      ['Age', 0],
    ]);
  });

  it.each([
    ['one port and one address', [{ port: 8080 }], [['127.64.1.2']], '8080', '127.64.1.2'],
    ['a port without number by its name', [{ name: 'http' }], [['127.64.1.2']], 'http', '127.64.1.2'],
    ['a port with neither as *', [{}], [], '*', '<unset>'],
    ['no ports and no endpoints as <unset>', [], [], '<unset>', '<unset>'],
    [
      'more than three of each as "+ N more..."',
      [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }, { port: 5 }],
      [['127.64.1.2', '127.64.1.3'], ['127.64.1.4'], ['127.64.1.5', '127.64.1.6']],
      '1,2,3 + 2 more...',
      '127.64.1.2,127.64.1.3,127.64.1.4 + 2 more...',
    ],
  ])('prints %s', (_name, ports, addresses, wantPorts, wantEndpoints) => {
    const cells = row({ ports, endpoints: addresses.map((a) => ({ addresses: a })) });
    expect(cells).toEqual(['x', 'IPv4', wantPorts, wantEndpoints, '60s']);
  });
});

describe('EndpointSlices on the apiserver', () => {
  let cp: TestControlPlane;
  let dir: string;
  beforeAll(async () => {
    cp = await new TestControlPlane().start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-slices-'));
    writeKubeconfig(path.join(dir, 'kubeconfig'), cp.apiserver.url);
  });
  afterAll(async () => {
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const slices = () => cp.httpClient.resource<EndpointSlice>(SLICES);

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), ...args], { timeout: 30_000 });
    return stdout;
  }

  it('creates, lists by label, watches, updates and deletes a slice, filling port defaults', async () => {
    const watch = await cp.natsClient.resource<EndpointSlice>(SLICES).watch({ namespace: 'default' });
    const created = await slices().create(slice('crud', { ports: [{ port: 8080 }] }));
    expect(created.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    const listed = await slices().list({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' });
    expect(listed.items.map((s) => s.metadata.name)).toContain('crud');
    const first = await watch[Symbol.asyncIterator]().next();
    expect(first.value).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'crud' } } });
    await watch.close();
    const updated = await slices().update({ ...created, endpoints: [{ addresses: ['127.64.1.3'] }] });
    expect(updated.endpoints[0].addresses).toEqual(['127.64.1.3']);
    await slices().delete('default', 'crud');
    await expect(slices().get('default', 'crud')).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ['addressType missing', { addressType: '' }, 'addressType: Required value'],
    ['addressType unknown', { addressType: 'IPv5' }, 'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'],
    ['an endpoint without addresses', { endpoints: [{ addresses: [] }] }, 'endpoints[0].addresses: Required value: must contain at least 1 address'],
    [
      'an endpoint with 101 addresses',
      { endpoints: [{ addresses: Array.from({ length: 101 }, (_, i) => `127.64.${i}.2`) }] },
      'endpoints[0].addresses: Too many: 101: must have at most 100 items',
    ],
    ['an address of the wrong type', { endpoints: [{ addresses: ['web.example'] }] }, 'endpoints[0].addresses[0]: Invalid value: "web.example": must be a valid IPv4 address'],
    ['an unsupported protocol', { ports: [{ port: 80, protocol: 'HTTP' }] }, 'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ['a port name that is no DNS label', { ports: [{ name: 'Web_Port', port: 80 }] }, 'ports[0].name: Invalid value: "Web_Port"'],
    ['two ports of one name', { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }, 'ports[1].name: Duplicate value: "a"'],
  ])('refuses %s', async (_name, extra, message) => {
    const err = await slices()
      .create(slice('bad', extra as Partial<EndpointSlice>))
      .catch((e) => e);
    expect(err).toBeInstanceOf(InvalidError);
    expect(err.message).toContain(message);
  });

  it('keeps addressType immutable', async () => {
    const created = await slices().create(slice('immutable'));
    const err = await slices()
      .update({ ...created, addressType: 'FQDN', endpoints: [{ addresses: ['web.example.com'] }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(InvalidError);
    expect(err.message).toContain('addressType: Invalid value: "FQDN": field is immutable');
  });

  it('is discovered by the stock kubectl and printed with its columns', async () => {
    expect(await kubectl('api-resources', '--api-group', 'discovery.k8s.io')).toMatch(/^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/m);
    await slices().create(slice('printed', { endpoints: [{ addresses: ['127.64.1.2'] }, { addresses: ['127.64.1.3'] }] }));
    const out = await kubectl('get', 'endpointslices');
    expect(out).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m);
    expect(out).toMatch(/^printed\s+IPv4\s+8080\s+127\.64\.1\.2,127\.64\.1\.3\s+\d+s$/m);
    const yaml = await kubectl('get', 'endpointslice', 'printed', '-o', 'jsonpath={.addressType} {.endpoints[*].addresses[0]}');
    expect(yaml).toBe('IPv4 127.64.1.2 127.64.1.3');
  });

  it('takes a manifest from the stock kubectl apply and describes it', async () => {
    const file = path.join(dir, 'slice.yaml');
    fs.writeFileSync(
      file,
      `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: applied
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
ports:
- {name: http, port: 8080}
endpoints:
- addresses: [127.64.1.7]
  conditions: {ready: true}
  nodeName: node-1
`,
    );
    expect(await kubectl('apply', '-f', file)).toMatch(/endpointslice\.discovery\.k8s\.io\/applied created/);
    const described = await kubectl('describe', 'endpointslice', 'applied');
    expect(described).toMatch(/^AddressType:\s+IPv4$/m);
    expect(described).toMatch(/^\s+http\s+8080\s+TCP$/m);
    expect(described).toMatch(/^\s+- Addresses:\s+127\.64\.1\.7$/m);
  });
});
