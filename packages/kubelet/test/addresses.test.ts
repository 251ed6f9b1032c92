import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clusterDNS,
  DEFAULT_CLUSTER_DNS,
  nextFreeHost,
  nodeIndexFromName,
  nodeIP,
  podCIDR,
  podCIDRProblem,
  podNetworkPrefix,
  setAddressOverrides,
} from '../src/addresses.js';
import { PodIpAllocator, listeningAddresses } from '../src/ipam.js';
import { NodeLayout } from '../src/layout.js';

describe('node addresses', () => {
  it.each([
    ['node-1', 1],
    ['worker-12', 12],
    ['kind-worker3', 3],
    ['control-plane', undefined],
  ])('the index of %s is %s', (name, index) => {
    expect(nodeIndexFromName(name)).toBe(index);
  });

  it.each([
    [1, '127.1.0.1', '127.64.1.0/24'],
    [2, '127.1.0.2', '127.64.2.0/24'],
    [255, '127.1.0.255', '127.64.255.0/24'],
    [256, '127.1.1.0', '127.65.0.0/24'],
    [300, '127.1.1.44', '127.65.44.0/24'],
  ])('node %i has IP %s and pod CIDR %s', (i, ip, cidr) => {
    expect(nodeIP(i)).toBe(ip);
    expect(podCIDR(i)).toBe(cidr);
  });
});

describe('pod address choice', () => {
  it.each([
    ['the first address is .2', [], 1, 2],
    ['the next after the last one handed out', [2, 3], 3, 4],
    ['skips used ones', [5, 6], 4, 7],
    ['wraps around after .254', [], 254, 2],
    ['a freed address is not reused at once', [3], 4, 5],
  ])('%s', (_name, used, last, want) => {
    expect(nextFreeHost(new Set(used), last)).toBe(want);
  });

  it('gives up when the /24 is full', () => {
    const all = new Set(Array.from({ length: 253 }, (_, i) => i + 2));
    expect(nextFreeHost(all, 10)).toBeUndefined();
  });
});

describe('PodIpAllocator', () => {
  // Node 200's network, which nothing else on the machine is likely to use.
  const newLayout = () => new NodeLayout(fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-ipam-')));
  const sandbox = (layout: NodeLayout, uid: string, ip: string) => layout.writeSandbox({ uid, namespace: 'default', name: uid, ip, createdAt: '' });

  it('keeps a pod its address and hands the next pod another', () => {
    const layout = newLayout();
    const ipam = new PodIpAllocator(layout, 200);
    const a = ipam.allocate('uid-a');
    sandbox(layout, 'uid-a', a);
    const b = ipam.allocate('uid-b');
    sandbox(layout, 'uid-b', b);
    expect(a).toBe('127.64.200.2');
    expect(b).toBe('127.64.200.3');
    expect(ipam.allocate('uid-a')).toBe(a);
    layout.removePod('uid-a');
    expect(ipam.allocate('uid-c')).toBe('127.64.200.4');
    fs.rmSync(layout.root, { recursive: true, force: true });
  });

  it('skips an address something on this machine already listens on', async () => {
    const layout = newLayout();
    const ipam = new PodIpAllocator(layout, 200);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.64.200.2', resolve));
    try {
      expect(listeningAddresses()).toContain('127.64.200.2');
      expect(ipam.allocate('uid-a')).toBe('127.64.200.3');
    } finally {
      server.close();
      fs.rmSync(layout.root, { recursive: true, force: true });
    }
  });
});

describe('given node addresses (a node in a container)', () => {
  afterEach(() => setAddressOverrides({}));

  it('answers the given node IP, pod CIDR and cluster DNS instead of the derived ones', () => {
    setAddressOverrides({ nodeIP: '10.211.0.12', podCIDR: '10.244.2.0/24', clusterDNS: '10.211.0.10' });
    expect([nodeIP(2), podCIDR(2), podNetworkPrefix(2), clusterDNS()]).toEqual(['10.211.0.12', '10.244.2.0/24', '10.244.2', '10.211.0.10']);
  });

  it('derives what is not given', () => {
    setAddressOverrides({ podCIDR: '10.244.9.0/24' });
    expect([nodeIP(2), podCIDR(2), clusterDNS()]).toEqual(['127.1.0.2', '10.244.9.0/24', DEFAULT_CLUSTER_DNS]);
    setAddressOverrides({});
    expect([nodeIP(2), podCIDR(2), podNetworkPrefix(2), clusterDNS()]).toEqual(['127.1.0.2', '127.64.2.0/24', '127.64.2', '127.128.0.10']);
  });

  it('hands out pod addresses from the given pod CIDR', () => {
    setAddressOverrides({ podCIDR: '10.244.3.0/24' });
    const layout = new NodeLayout(fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-ipam-')));
    try {
      expect(new PodIpAllocator(layout, 3).allocate('uid-a')).toBe('10.244.3.2');
    } finally {
      fs.rmSync(layout.root, { recursive: true, force: true });
    }
  });

  it.each([
    ['10.244.1.0/24', undefined],
    ['10.244.1.0/16', 'must be a /24'],
    ['10.244.1.7/24', 'must be a /24'],
    ['10.244.1/24', 'not an IPv4 CIDR'],
    ['10.300.1.0/24', 'not an IPv4 CIDR'],
  ])('pod CIDR %s: %s', (cidr, problem) => {
    const got = podCIDRProblem(cidr);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });
});
