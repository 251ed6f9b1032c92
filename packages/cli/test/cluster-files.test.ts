import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterPaths, kubeconfig, natsConfig, writeClusterFiles, type ClusterSettings } from '../src/index.js';
import { tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const settings: ClusterSettings = {
  dataDir: path.join(dir, 'data'),
  natsPort: 14222,
  apiPort: 16443,
  bindAddress: '127.0.0.1',
  profile: 'default',
};

describe('natsConfig', () => {
  it('listens on the bind address and port with JetStream in the data dir', () => {
    const conf = natsConfig(settings);
    expect(conf).toContain('listen: 127.0.0.1:14222\n');
    expect(conf).toContain('max_payload: 8MB\n');
    expect(conf).toContain(`store_dir: "${settings.dataDir}/nats"`);
  });

  it('is accepted by nats-server', () => {
    writeClusterFiles(settings);
    const out = execFileSync('/usr/sbin/nats-server', ['-c', clusterPaths(settings.dataDir).natsConf, '-t'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
  });
});

describe('kubeconfig', () => {
  it('is read by the stock kubectl as the kubesim context on the apiserver URL', () => {
    writeClusterFiles({ ...settings, bindAddress: '0.0.0.0' });
    const file = clusterPaths(settings.dataDir).kubeconfig;
    const view = JSON.parse(
      execFileSync('/usr/bin/kubectl', ['config', 'view', '--kubeconfig', file, '-o', 'json'], { encoding: 'utf8' }),
    );
    expect(view['current-context']).toBe('kubesim');
    expect(view.clusters).toEqual([{ name: 'kubesim', cluster: { server: 'http://127.0.0.1:16443' } }]);
    expect(view.contexts[0]).toEqual({ name: 'kubesim', context: { cluster: 'kubesim', user: 'kubesim', namespace: 'default' } });
    expect(view.users[0].name).toBe('kubesim');
  });

  it('points at the bind address when it is a specific one', () => {
    expect(kubeconfig({ ...settings, bindAddress: '127.1.0.9' })).toContain('server: http://127.1.0.9:16443\n');
  });
});

describe('writeClusterFiles', () => {
  it('keeps what is already in the store', () => {
    writeClusterFiles(settings);
    const marker = path.join(clusterPaths(settings.dataDir).natsStore, 'marker');
    fs.writeFileSync(marker, 'x');
    writeClusterFiles(settings);
    expect(fs.existsSync(marker)).toBe(true);
    expect(fs.existsSync(clusterPaths(settings.dataDir).logs)).toBe(true);
  });
});
