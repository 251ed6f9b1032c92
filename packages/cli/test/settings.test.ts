import { describe, expect, it } from 'vitest';
import { clusterPaths, connectHost, settingsFromFlags, settingsToArgs, type SettingsFlags } from '../src/index.js';

describe('settingsFromFlags', () => {
  it('fills the defaults and makes the data dir absolute', () => {
    expect(settingsFromFlags({}, '/home/me/repo')).toEqual({
      dataDir: '/home/me/repo/.kubesim',
      natsPort: 4222,
      apiPort: 6443,
      bindAddress: '127.0.0.1',
      profile: 'default',
      nodes: 3,
      runtime: 'process',
    });
  });

  it.each<[string, SettingsFlags, string]>([
    ['a non-numeric port', { 'api-port': 'x' }, '--api-port must be a port number'],
    ['port 0', { 'nats-port': '0' }, '--nats-port must be a port number'],
    ['a port above 65535', { 'api-port': '70000' }, '--api-port must be a port number'],
    ['an unknown profile', { profile: 'slow' }, '--profile must be "default" or "fast"'],
    ['the same port twice', { 'nats-port': '5000', 'api-port': '5000' }, 'must differ'],
    ['a negative node count', { nodes: '-1' }, '--nodes must be a number'],
    ['an unknown runtime', { runtime: 'vm' }, '--runtime must be "process" or "thread"'],
    ['an empty bind address', { 'bind-address': '' }, '--bind-address must not be empty'],
  ])('rejects %s', (_, flags, message) => {
    expect(() => settingsFromFlags(flags, '/tmp')).toThrow(message);
  });

  it('round-trips through settingsToArgs', () => {
    const settings = settingsFromFlags(
      { 'data-dir': '/d', 'nats-port': '1', 'api-port': '2', 'bind-address': '0.0.0.0', profile: 'fast' },
      '/',
    );
    const args = settingsToArgs(settings);
    const flags = Object.fromEntries(args.flatMap((a, i) => (i % 2 ? [] : [[a.slice(2), args[i + 1]]])));
    expect(settingsFromFlags(flags, '/elsewhere')).toEqual(settings);
  });
});

describe('connectHost', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0.0.0.0', '127.0.0.1'],
    ['127.1.0.5', '127.1.0.5'],
    ['::', '[::1]'],
    ['::1', '[::1]'],
  ])('dials %s as %s', (bind, host) => {
    expect(connectHost(bind)).toBe(host);
  });
});

describe('clusterPaths', () => {
  it('keeps every file inside the data dir', () => {
    expect(clusterPaths('/d')).toEqual({
      dataDir: '/d',
      state: '/d/state.json',
      logs: '/d/logs',
      natsStore: '/d/nats',
      natsConf: '/d/nats.conf',
      kubeconfig: '/d/kubeconfig',
    });
  });
});
