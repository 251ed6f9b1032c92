import { afterEach, describe, expect, it } from 'vitest';
import { clusterDNS, nodeIP, podCIDR } from '../src/addresses.js';
import { parseConfig, parseDuration } from '../src/config.js';

describe('kubelet flags', () => {
  it('fills defaults and takes the node index from the name', () => {
    const c = parseConfig(['--node-name', 'node-3'], {});
    expect(c).toMatchObject({
      nodeName: 'node-3',
      nodeIndex: 3,
      cpu: '4',
      memory: '8Gi',
      maxPods: 110,
      runtime: 'process',
      rootDir: '.kubesim/nodes/node-3',
      leaseSeconds: 40,
      renewIntervalMs: 10_000,
      heartbeatIntervalMs: 10_000,
      backoff: { initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 },
    });
  });

  it('scales timers down with the fast profile', () => {
    const c = parseConfig(['--node-name', 'node-1', '--profile', 'fast'], {});
    expect(c).toMatchObject({ renewIntervalMs: 1_000, heartbeatIntervalMs: 2_000, backoff: { initialMs: 1_000, maxMs: 30_000, resetMs: 60_000 } });
  });

  it('reads KUBESIM_* variables, flags winning', () => {
    const env = { KUBESIM_NODE_NAME: 'edge', KUBESIM_NODE_INDEX: '7', KUBESIM_RUNTIME: 'thread', KUBESIM_NATS_URL: 'nats://x:1' };
    expect(parseConfig([], env)).toMatchObject({ nodeName: 'edge', nodeIndex: 7, runtime: 'thread', natsUrl: 'nats://x:1' });
    expect(parseConfig(['--runtime', 'process', '--renew-interval', '3s'], env)).toMatchObject({ runtime: 'process', renewIntervalMs: 3_000 });
  });

  it.each([
    [[], 'node-name is required'],
    [['--node-name', 'edge'], 'node-index is required'],
    [['--node-name', 'n1', '--runtime', 'docker'], 'runtime must be process or thread'],
    [['--node-name', 'n1', '--max-pods', '-1'], 'max-pods'],
    [['--node-name', 'n1', '--renew-interval', 'soon'], 'renew-interval'],
    [['--node-name', 'n1', '--node-ip', 'node-1.local'], '--node-ip: not an IPv4 address'],
    [['--node-name', 'n1', '--pod-cidr', '10.244.0.0/16'], '--pod-cidr: must be a /24'],
    [['--node-name', 'n1', '--cluster-dns', '10.0.0'], '--cluster-dns: not an IPv4 address'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(message);
  });

  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['250', 250],
    ['ten', undefined],
  ])('parses the duration %s', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  describe('node addresses', () => {
    afterEach(() => parseConfig(['--node-name', 'node-1'], {}));

    it('derives them from the node index by default, as on the host', () => {
      const c = parseConfig(['--node-name', 'node-2'], {});
      expect(c).not.toHaveProperty('nodeIP');
      expect(c).not.toHaveProperty('podCIDR');
      expect(c).not.toHaveProperty('clusterDNS');
      expect([nodeIP(2), podCIDR(2), clusterDNS()]).toEqual(['127.1.0.2', '127.64.2.0/24', '127.128.0.10']);
    });

    it('takes them from flags or KUBESIM_* variables and makes them the node\'s addresses', () => {
      const env = { KUBESIM_NODE_IP: '10.211.0.12', KUBESIM_POD_CIDR: '10.244.2.0/24', KUBESIM_CLUSTER_DNS: '10.211.0.10' };
      expect(parseConfig(['--node-name', 'node-2'], env)).toMatchObject({ nodeIP: '10.211.0.12', podCIDR: '10.244.2.0/24', clusterDNS: '10.211.0.10' });
      expect([nodeIP(2), podCIDR(2), clusterDNS()]).toEqual(['10.211.0.12', '10.244.2.0/24', '10.211.0.10']);
      expect(parseConfig(['--node-name', 'node-2', '--node-ip', '10.0.0.5'], env)).toMatchObject({ nodeIP: '10.0.0.5' });
      expect(nodeIP(2)).toBe('10.0.0.5');
    });
  });
});
