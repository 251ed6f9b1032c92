import type { Pod } from '@kubesim/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setAddressOverrides } from '../src/addresses.js';
import { buildContainerSpec } from '../src/container-spec.js';
import type { VolumeSources } from '../src/volumes.js';

const none = async () => undefined;
const sources: VolumeSources = { configMap: none, secret: none, claim: none, volume: none };
const info = { podIP: '10.244.1.2', hostIP: '10.211.0.11', allocatable: { cpu: 4, memory: 8 * 2 ** 30 }, baseEnv: {} };
const place = { rootfs: '/tmp/rootfs', podIP: '10.244.1.2', volumeDirs: new Map<string, string>() };

function pod(spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { containers: [{ name: 'web', image: 'kubesim/echo' }], ...spec },
  } as Pod;
}

async function resolvConfOf(p: Pod): Promise<string | undefined> {
  const spec = await buildContainerSpec(p, p.spec!.containers[0]!, place, sources, info);
  if ('error' in spec) throw new Error(spec.error);
  return spec.resolvConf;
}

describe("pods' resolver", () => {
  afterEach(() => setAddressOverrides({}));

  it('is the cluster DNS Service address by default', async () => {
    expect(await resolvConfOf(pod())).toContain('nameserver 127.128.0.10\n');
  });

  it('is the given cluster DNS address on a node that has one', async () => {
    setAddressOverrides({ clusterDNS: '10.211.0.10' });
    const conf = await resolvConfOf(pod());
    expect(conf).toContain('nameserver 10.211.0.10\n');
    expect(conf).toContain('search shop.svc.cluster.local svc.cluster.local cluster.local');
  });

  it('is left alone for a pod with dnsPolicy Default', async () => {
    setAddressOverrides({ clusterDNS: '10.211.0.10' });
    expect(await resolvConfOf(pod({ dnsPolicy: 'Default' }))).toBeUndefined();
  });
});
