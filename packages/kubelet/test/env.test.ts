import { describe, expect, it } from 'vitest';
import type { ConfigMap, Container, Pod, Secret } from '@kubesim/api';
import { expandVars, resolveEnv, type EnvSources } from '../src/env.js';

const pod: Pod = {
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } },
  spec: {
    nodeName: 'node-1',
    serviceAccountName: 'default',
    containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } } }],
  },
};
const cm: ConfigMap = { metadata: { name: 'cfg' }, data: { MODE: 'fast', 'bad key': 'x', LEVEL: 'debug' } };
const secret: Secret = { metadata: { name: 'creds' }, data: { PASSWORD: Buffer.from('hunter2').toString('base64') } };
const sources: EnvSources = { configMaps: new Map([['cfg', cm], ['gone', undefined]]), secrets: new Map([['creds', secret]]) };
const info = { podIP: '127.64.1.2', hostIP: '127.1.0.1', allocatable: { cpu: 4, memory: 8 * 2 ** 30 }, baseEnv: { HOSTNAME: 'web-1', KUBERNETES_SERVICE_HOST: '127.128.0.1' } };

const env = (c: Partial<Container>) => resolveEnv(pod, { name: 'app', image: 'nginx', ...c, resources: pod.spec!.containers[0].resources }, sources, info);

describe('container environment', () => {
  it.each<[string, Partial<Container>, Record<string, string>]>([
    ['plain values', { env: [{ name: 'A', value: '1' }] }, { A: '1' }],
    ['$(VAR) from earlier variables', { env: [{ name: 'A', value: 'x' }, { name: 'B', value: '$(A)-$(HOSTNAME)-$(NOPE)' }] }, { B: 'x-web-1-$(NOPE)' }],
    ['pod fields', { env: [
      { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    ] }, { NAME: 'web-1', NS: 'shop', UID: 'u-1', APP: 'web', NODE: 'node-1', SA: 'default', IP: '127.64.1.2', HOST: '127.1.0.1' }],
    ['resources, rounded up in the divisor, unset limits from the node', { env: [
      { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'CPU_LIM', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'MEM_LIM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU_CORES', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
    ] }, { CPU_REQ: '250', CPU_LIM: '4', MEM_LIM: '128', CPU_CORES: '1' }],
    ['ConfigMap and Secret keys', { env: [
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
      { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'gone', key: 'x', optional: true } } },
    ] }, { MODE: 'fast', PW: 'hunter2' }],
    ['envFrom with a prefix, skipping invalid names, env overriding', {
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }],
      env: [{ name: 'CFG_MODE', value: 'slow' }],
    }, { CFG_MODE: 'slow', CFG_LEVEL: 'debug', PASSWORD: 'hunter2' }],
  ])('resolves %s', (_name, c, want) => {
    const r = env(c);
    expect(r).toHaveProperty('env');
    if (!('env' in r)) return;
    expect(r.env).toMatchObject({ HOSTNAME: 'web-1', KUBERNETES_SERVICE_HOST: '127.128.0.1', ...want });
    expect(Object.keys(r.env)).not.toContain('CFG_bad key');
    if (_name.startsWith('ConfigMap')) expect(r.env).not.toHaveProperty('OPT');
  });

  it.each<[string, Partial<Container>, string]>([
    ['a missing ConfigMap', { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'gone', key: 'x' } } }] }, 'configmap "gone" not found'],
    ['a missing key', { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE' } } }] }, "couldn't find key NOPE in ConfigMap shop/cfg"],
    ['a missing Secret', { envFrom: [{ secretRef: { name: 'other' } }] }, 'secret "other" not found'],
    ['a missing Secret key', { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'USER' } } }] }, "couldn't find key USER in Secret shop/creds"],
  ])('refuses %s', (_name, c, error) => {
    expect(env(c)).toEqual({ error });
  });

  it.each([
    ['$(A)', 'a'],
    ['$$(A)', '$(A)'],
    ['x$(B)y', 'xy'],
    ['$(MISSING)', '$(MISSING)'],
    ['plain', 'plain'],
  ])('expands %s to %s', (input, out) => {
    expect(expandVars(input, { A: 'a', B: '' })).toBe(out);
  });
});
