import { describe, expect, it } from 'vitest';
import { nodeIPFromName, parseLbConfig, parseProxyConfig } from '@kubesim/lb';

describe('parseProxyConfig', () => {
  it.each([
    { argv: ['--node-name', 'node-3'], want: { nodeName: 'node-3', nodeIP: '127.1.0.3', clusterIPs: false, healthzPort: 10256 } },
    { argv: ['--node-name', 'edge', '--node-ip', '127.1.9.9', '--cluster-ips'], want: { nodeName: 'edge', nodeIP: '127.1.9.9', clusterIPs: true } },
    { argv: ['--cluster-ips', '--profile', 'fast'], want: { clusterIPs: true, profile: 'fast', settings: expect.objectContaining({ connectTimeoutMs: 300 }) } },
    { argv: ['--node-name', 'node-1', '--healthz-port', '0'], want: { healthzPort: 0 } },
  ])('$argv', ({ argv, want }) => {
    expect(parseProxyConfig(argv, {})).toMatchObject(want);
  });

  it('takes settings from the environment', () => {
    expect(parseProxyConfig([], { KUBESIM_NODE_NAME: 'node-2', KUBESIM_NATS_URL: 'nats://127.0.0.1:5', KUBESIM_PROFILE: 'fast' })).toMatchObject({
      nodeName: 'node-2',
      nodeIP: '127.1.0.2',
      natsUrl: 'nats://127.0.0.1:5',
      profile: 'fast',
    });
  });

  it.each([
    { argv: [], error: 'nothing to serve' },
    { argv: ['--node-name', 'edge'], error: '--node-ip is required' },
    { argv: ['--node-name', 'node-1', '--node-ip', '0.0.0.0'], error: 'one IPv4 address' },
    { argv: ['--cluster-ips', '--profile', 'slow'], error: '--profile must be default or fast' },
    { argv: ['--cluster-ips', '--bogus'], error: 'Unknown option' },
  ])('refuses $argv', ({ argv, error }) => {
    expect(() => parseProxyConfig(argv, {})).toThrow(error);
  });

  it.each([
    ['node-1', '127.1.0.1'],
    ['node-300', '127.1.1.44'],
    ['worker', undefined],
  ])('node %s has IP %s', (name, ip) => {
    expect(nodeIPFromName(name)).toBe(ip);
  });
});

describe('parseLbConfig', () => {
  it('defaults to 127.200.0.0/16 and the proxies\' health port', () => {
    expect(parseLbConfig([], {})).toMatchObject({ addressRange: '127.200.0.0/16', healthCheckPort: 10256, profile: 'default' });
  });

  it('takes a range and the fast profile', () => {
    const c = parseLbConfig(['--address-range', '127.201.3.0/24', '--profile', 'fast'], {});
    expect(c).toMatchObject({ addressRange: '127.201.3.0/24', settings: { healthCheckIntervalMs: 500, unhealthyThreshold: 2, healthyThreshold: 2 } });
  });

  it.each([[['--address-range', '127.200.0.0']], [['--health-check-port', '70000']], [['--profile', 'x']]])('refuses %j', (argv) => {
    expect(() => parseLbConfig(argv, {})).toThrow(/kubesim-lb:/);
  });
});
