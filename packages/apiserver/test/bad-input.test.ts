import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS, decode, encode, type ApiResponse } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { res, sample } from './fixtures.js';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await new TestControlPlane().start();
});
afterAll(async () => {
  await cp?.stop();
});

async function http(method: string, path: string, body?: string | Buffer, contentType = 'application/json') {
  const r = await fetch(`${cp.apiserver.url}${path}`, { method, body, headers: body !== undefined ? { 'Content-Type': contentType } : {} });
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { code: r.status, json };
}

async function configmapCount(): Promise<number> {
  return (await cp.httpClient.resource(res('configmaps')).list({ namespace: 'default' })).items.length;
}

const CM = '/api/v1/namespaces/default/configmaps';

describe('bad input over HTTP gets a Status and changes nothing', () => {
  const cases: [string, string, string, string | Buffer, string, number, string][] = [
    ['malformed JSON', 'POST', CM, '{"metadata": {"name": "x"', 'application/json', 400, 'BadRequest'],
    ['malformed YAML', 'POST', CM, 'metadata:\n  name: [x\n', 'application/yaml', 400, 'BadRequest'],
    ['a body over 3 MiB', 'POST', CM, JSON.stringify({ metadata: { name: 'big' }, data: { k: 'x'.repeat(3.2 * 1024 * 1024) } }), 'application/json', 413, 'RequestEntityTooLarge'],
    ['an unknown kind', 'POST', '/api/v1/namespaces/default/widgets', '{"metadata":{"name":"x"}}', 'application/json', 404, 'NotFound'],
    ['a kind that does not match the path', 'POST', CM, '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}}', 'application/json', 400, 'BadRequest'],
    ['a name that breaks DNS-1123', 'POST', CM, '{"metadata":{"name":"Bad_Name!"}}', 'application/json', 422, 'Invalid'],
    ['wrong types', 'POST', '/apis/apps/v1/namespaces/default/deployments', '{"metadata":{"name":"wt"},"spec":{"replicas":"three","selector":"x","template":7}}', 'application/json', 422, 'Invalid'],
    ['a JSON array where an object belongs', 'POST', CM, '[1,2,3]', 'application/json', 400, 'BadRequest'],
    ['a protobuf body', 'POST', CM, Buffer.from('k8s\0garbage'), 'application/vnd.kubernetes.protobuf', 415, 'UnsupportedMediaType'],
    ['a malformed JSON patch', 'PATCH', `${CM}/kube-root`, '{"op":"add"}', 'application/json-patch+json', 400, 'BadRequest'],
    ['an unknown patch type', 'PATCH', `${CM}/kube-root`, '{}', 'text/plain', 415, 'UnsupportedMediaType'],
    ['a bad label selector', 'GET', `${CM}?labelSelector=a%20in%20(b`, '', 'application/json', 400, 'BadRequest'],
    ['an unsupported field selector', 'GET', `${CM}?fieldSelector=spec.foo%3Dbar`, '', 'application/json', 400, 'BadRequest'],
  ];

  it.each(cases)('%s', async (_name, method, path, body, type, code, reason) => {
    const before = await configmapCount();
    const r = await http(method, path, method === 'GET' ? undefined : body, type);
    expect(r.code).toBe(code);
    expect(r.json?.kind).toBe('Status');
    expect(r.json?.reason).toBe(reason);
    expect(await configmapCount()).toBe(before);
  });

  it('reports every invalid field with its path', async () => {
    const r = await http(
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      JSON.stringify({ metadata: { name: 'inv' }, spec: { replicas: -1, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c' }] } } } }),
    );
    expect(r.code).toBe(422);
    const fields = r.json.details.causes.map((c: any) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['spec.replicas', 'spec.template.metadata.labels', 'spec.template.spec.containers[0].image']));
  });

  it('stays up after all of it', async () => {
    expect((await fetch(`${cp.apiserver.url}/healthz`)).status).toBe(200);
    expect(cp.apiserver.proc.running).toBe(true);
  });
});

describe('bad input over NATS gets a Status and changes nothing', () => {
  async function natsRaw(payload: Uint8Array): Promise<ApiResponse> {
    const m = await cp.nc.request(SUBJECTS.request, payload, { timeout: 5000 });
    return decode<ApiResponse>(m.data);
  }

  it.each([
    ['garbage bytes', new Uint8Array([0xc1, 0xff, 0x00, 0x13, 0x37]), 400],
    ['a msgpack number instead of a request', encode(42), 400],
    ['an unknown resource', encode({ verb: 'create', group: '', version: 'v1', resource: 'widgets', namespace: 'default', body: { metadata: { name: 'x' } } }), 404],
    ['an unknown verb', encode({ verb: 'explode', group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }), 405],
    ['a body of the wrong shape', encode({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: 'hello' }), 400],
    ['a name that breaks DNS-1123', encode({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: { metadata: { name: '-bad-' } } }), 422],
    ['a request over 3 MiB', encode({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'big' }, data: { k: 'x'.repeat(3.2 * 1024 * 1024) } } }), 413],
  ])('%s', async (_name, payload, code) => {
    const before = await configmapCount();
    const r = await natsRaw(payload as Uint8Array);
    expect(r.code).toBe(code);
    expect((r.body as any).kind).toBe('Status');
    expect(await configmapCount()).toBe(before);
  });

  it.each([
    // A ConfigMap's data is capped at 1 MiB by validation (422), as in Kubernetes.
    ['configmaps', { metadata: { name: 'huge' }, data: { k: 'x'.repeat(2 * 1024 * 1024) } }, 422],
    // An Event has no such rule: the store's 1.5 MiB object limit answers (413).
    ['events', { metadata: { name: 'huge' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'R', message: 'x'.repeat(2 * 1024 * 1024), type: 'Normal' }, 413],
  ])('rejects a %s object too large to store and writes nothing', async (resource, body, code) => {
    const r = await natsRaw(encode({ verb: 'create', group: '', version: 'v1', resource, namespace: 'default', body }));
    expect(r.code).toBe(code);
    const got = await natsRaw(encode({ verb: 'get', group: '', version: 'v1', resource, namespace: 'default', name: 'huge' }));
    expect(got.code).toBe(404);
  });

  it('garbage on the watch subject gets a Status too', async () => {
    const m = await cp.nc.request(SUBJECTS.watch, new Uint8Array([1, 2, 3]), { timeout: 5000 });
    expect(decode<ApiResponse>(m.data).code).toBe(400);
    expect(cp.apiserver.proc.running).toBe(true);
  });

  it('still serves after all of it', async () => {
    const cm = await cp.natsClient.resource(res('configmaps')).create(sample('configmaps', 'after-bad-input'));
    expect(cm.metadata.uid).toBeDefined();
  });
});
