import { describe, expect, it } from 'vitest';
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
});
