import { ApiClient, ConflictError, HttpTransport, findResource, type ConfigMap } from '@kubesim/api';
import { ApiserverProcess } from '@kubesim/testing';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;

// The store as the compose cluster has it: JetStream in the nats image, the apiserver outside.
describe('the apiserver with its store in a NATS container', () => {
  let nats: StartedTestContainer;
  let apiserver: ApiserverProcess;
  let client: ApiClient;
  const configMaps = () => client.resource<ConfigMap>(CONFIGMAPS);

  beforeAll(async () => {
    nats = await new GenericContainer('nats:2.9.10')
      .withCommand(['-js', '-sd', '/data'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    apiserver = new ApiserverProcess({ natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}` });
    await apiserver.start();
    client = new ApiClient(new HttpTransport({ server: apiserver.url, timeoutMs: 10_000 }));
  });

  afterAll(async () => {
    await client?.close();
    await apiserver?.stop();
    await nats?.stop();
  });

  it('creates an object and reads it back', async () => {
    const created = await configMaps().create(configMap('settings', { mode: 'fast' }));
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    const got = await configMaps().get('default', 'settings');
    expect(got.data).toEqual({ mode: 'fast' });
    expect(got.metadata.uid).toBe(created.metadata.uid);
    expect((await configMaps().list({ namespace: 'default' })).items.map((c) => c.metadata.name)).toContain('settings');
  });

  it('refuses an update from a stale resourceVersion', async () => {
    const first = await configMaps().create(configMap('counter', { n: '1' }));
    await configMaps().update({ ...first, data: { n: '2' } });
    await expect(configMaps().update({ ...first, data: { n: '3' } })).rejects.toBeInstanceOf(ConflictError);
    expect((await configMaps().get('default', 'counter')).data).toEqual({ n: '2' });
  });

  it('streams changes after a resourceVersion to a watch', async () => {
    const start = (await configMaps().list({ namespace: 'default' })).metadata.resourceVersion;
    const watch = await configMaps().watch({ namespace: 'default', resourceVersion: start });
    const created = await configMaps().create(configMap('watched', { a: '1' }));
    await configMaps().update({ ...created, data: { a: '2' } });
    await configMaps().delete('default', 'watched');
    const seen: string[] = [];
    for await (const event of watch) {
      if (event.type === 'BOOKMARK') continue;
      const obj = event.object as ConfigMap;
      seen.push(`${event.type} ${obj.metadata.name} ${obj.data?.a}`);
      if (event.type === 'DELETED') break;
    }
    watch.close();
    expect(seen).toEqual(['ADDED watched 1', 'MODIFIED watched 2', 'DELETED watched 2']);
  });

  it('keeps acknowledged writes when the apiserver restarts', async () => {
    await configMaps().create(configMap('durable', { kept: 'yes' }));
    await apiserver.stop('SIGKILL');
    await apiserver.start();
    expect((await configMaps().get('default', 'durable')).data).toEqual({ kept: 'yes' });
  });
});

function configMap(name: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}
