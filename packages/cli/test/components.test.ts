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
};

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
