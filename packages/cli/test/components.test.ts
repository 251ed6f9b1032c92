import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { componentsFor, findNatsServer, type ClusterSettings } from '../src/index.js';
import { tempDir } from './fixtures.js';

const root = tempDir('kubesim-repo-');
const emptyRoot = tempDir('kubesim-repo-');
afterAll(() => {
  for (const dir of [root, emptyRoot]) fs.rmSync(dir, { recursive: true, force: true });
});

const settings: ClusterSettings = {
  dataDir: '/data',
  natsPort: 5222,
  apiPort: 7443,
  bindAddress: '127.0.0.1',
  profile: 'default',
  nodes: 2,
  runtime: 'process',
};

/** A repo root where every entry point exists (empty files). */
function builtRoot(): string {
  const dir = tempDir('kubesim-repo-');
  for (const entry of [
    'packages/apiserver/dist/main.js',
    'packages/controller-manager/dist/main.js',
    'packages/scheduler/dist/main.js',
    'packages/dns/dist/main.js',
    'packages/lb/dist/lb-main.js',
    'packages/lb/dist/proxy-main.js',
    'packages/kubelet/dist/main.js',
    'packages/cli/dist/chaos/relay-main.js',
  ]) {
    fs.mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
    fs.writeFileSync(path.join(dir, entry), '');
  }
  return dir;
}

describe('componentsFor', () => {
  it('skips components that are not built and says so', () => {
    const { components, missing } = componentsFor(settings, { repoRoot: emptyRoot, natsServer: '/bin/nats-server' });
    expect(components.map((c) => c.name)).toEqual(['nats-server']);
    expect(missing).toContainEqual({ name: 'apiserver', entry: 'packages/apiserver/dist/main.js', required: true });
  });

  it('runs nats-server with the generated config and checks it by TCP', () => {
    const [nats] = componentsFor(settings, { repoRoot: emptyRoot, natsServer: '/bin/nats-server' }).components;
    expect(nats).toMatchObject({
      command: '/bin/nats-server',
      args: ['-c', '/data/nats.conf'],
      health: { kind: 'tcp', host: '127.0.0.1', port: 5222 },
      required: true,
      port: 5222,
    });
  });

  it.each<[ClusterSettings['profile'], string[]]>([
    ['default', []],
    ['fast', ['--profile', 'fast']],
  ])('builds the apiserver command line for the %s profile', (profile, extra) => {
    const entry = path.join(root, 'packages/apiserver/dist/main.js');
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    fs.writeFileSync(entry, '');
    const { components } = componentsFor({ ...settings, profile }, { repoRoot: root, natsServer: '/bin/nats-server' });
    const apiserver = components.find((c) => c.name === 'apiserver');
    expect(apiserver).toMatchObject({
      command: process.execPath,
      args: [entry, '--nats-url', 'nats://127.0.0.1:5222', '--port', '7443', '--bind-address', '127.0.0.1', ...extra],
      health: { kind: 'http', urls: ['http://127.0.0.1:7443/readyz', 'http://127.0.0.1:7443/healthz'] },
      required: true,
      port: 7443,
    });
    expect(components.map((c) => c.name).slice(0, 2)).toEqual(['nats-server', 'apiserver']);
  });
});

describe('each node reaches NATS through its own relay', () => {
  const full = builtRoot();
  afterAll(() => fs.rmSync(full, { recursive: true, force: true }));
  const args = (s: ClusterSettings, name: string) => componentsFor(s, { repoRoot: full, natsServer: '/bin/nats-server' }).components.find((c) => c.name === name)?.args;

  it('runs nats-relay-node-i on the node address before the node, and points its kubelet and proxy there', () => {
    const names = componentsFor(settings, { repoRoot: full, natsServer: '/bin/nats-server' }).components.map((c) => c.name);
    expect(names.slice(-6)).toEqual(['nats-relay-node-1', 'kubelet-node-1', 'proxy-node-1', 'nats-relay-node-2', 'kubelet-node-2', 'proxy-node-2']);
    expect(args(settings, 'nats-relay-node-2')?.slice(1)).toEqual([
      '--listen', '127.1.0.2:5222', '--upstream', '127.0.0.1:5222', '--control-file', '/data/chaos/nats-cut-node-2.json',
    ]);
    expect(args(settings, 'kubelet-node-2')?.slice(1, 3)).toEqual(['--nats-url', 'nats://127.1.0.2:5222']);
    expect(args(settings, 'proxy-node-2')?.slice(1, 3)).toEqual(['--nats-url', 'nats://127.1.0.2:5222']);
    expect(args(settings, 'scheduler')?.slice(1, 3)).toEqual(['--nats-url', 'nats://127.0.0.1:5222']);
  });

  it('has no relay when nats-server listens on every address itself', () => {
    const open = { ...settings, bindAddress: '0.0.0.0' };
    expect(args(open, 'nats-relay-node-1')).toBeUndefined();
    expect(args(open, 'kubelet-node-1')?.slice(1, 3)).toEqual(['--nats-url', 'nats://127.0.0.1:5222']);
  });
});

describe('findNatsServer', () => {
  it('finds the installed binary even when PATH lacks /usr/sbin', () => {
    expect(findNatsServer('/nonexistent')).toBe('/usr/sbin/nats-server');
  });

  it('prefers the one on PATH', () => {
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'nats-server'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findNatsServer(bin)).toBe(path.join(bin, 'nats-server'));
  });
});
