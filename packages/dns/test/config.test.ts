import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfig } from '../src/config.js';
import { resolvConf } from '../src/resolv-conf.js';

describe('parseConfig', () => {
  it('defaults to the cluster DNS address, port 53 and cluster.local', () => {
    expect(parseConfig([], {})).toEqual(DEFAULTS);
    expect(DEFAULTS).toMatchObject({ address: '127.128.0.10', port: 53, domain: 'cluster.local', ttl: 5, podMode: 'verified' });
  });

  const cases: [string, string[], NodeJS.ProcessEnv, Partial<typeof DEFAULTS>][] = [
    ['flags', ['--nats-url', 'nats://n:1', '--address', '127.0.0.1', '--port', '5353', '--domain', 'Kube.Test.', '--ttl', '30', '--pods', 'insecure'], {}, {
      natsUrl: 'nats://n:1',
      address: '127.0.0.1',
      port: 5353,
      domain: 'kube.test',
      ttl: 30,
      podMode: 'insecure',
    }],
    ['environment', [], { KUBESIM_NATS_URL: 'nats://e:2', KUBESIM_DNS_ADDRESS: '127.9.9.9', KUBESIM_DNS_PORT: '1053', KUBESIM_CLUSTER_DOMAIN: 'corp.local' }, {
      natsUrl: 'nats://e:2',
      address: '127.9.9.9',
      port: 1053,
      domain: 'corp.local',
    }],
    ['flags over environment', ['--port', '99'], { KUBESIM_DNS_PORT: '1053' }, { port: 99 }],
    ['the fast profile', ['--profile', 'fast'], {}, { profile: 'fast', backoffMaxMs: 2000 }],
  ];

  it.each(cases)('reads %s', (_, argv, env, want) => {
    expect(parseConfig(argv, env)).toMatchObject(want);
  });

  it.each([
    ['--port', '70000'],
    ['--port', 'x'],
    ['--address', 'dns.local'],
    ['--domain', 'bad_domain'],
    ['--pods', 'sometimes'],
    ['--profile', 'slow'],
    ['--ttl', '-1'],
    ['--ttl', '4000'],
    ['--bogus', 'x'],
  ])('rejects %s %s with the usage', (flag, value) => {
    expect(() => parseConfig([flag, value], {})).toThrow(/kubesim-dns:/);
  });

  it('answers --help', () => {
    expect(parseConfig(['--help'], {})).toBe('help');
  });
});

describe('resolvConf', () => {
  it('searches the namespace, then svc, then the domain, with ndots:5', () => {
    expect(resolvConf('shop', '127.128.0.10')).toBe(
      'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.128.0.10\noptions ndots:5\n',
    );
  });

  it('uses another cluster domain when given one', () => {
    expect(resolvConf('default', '127.0.0.53', 'kube.test.')).toContain('search default.svc.kube.test svc.kube.test kube.test\n');
  });
});
