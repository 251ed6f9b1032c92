import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPort, kubeconfigPath, loadKubeconfig, resolveKubeconfig, type Kubeconfig } from '../src/kubeconfig.js';

const CONFIG: Kubeconfig = {
  'current-context': 'a',
  clusters: [
    { name: 'ca', cluster: { server: 'http://127.0.0.1:6443' } },
    { name: 'cb', cluster: { server: 'https://b.example:8443/' } },
  ],
  contexts: [
    { name: 'a', context: { cluster: 'ca', user: 'u' } },
    { name: 'b', context: { cluster: 'cb', user: 'u', namespace: 'team' } },
    { name: 'lost', context: { cluster: 'missing' } },
  ],
  users: [{ name: 'u', user: { token: 't0k' } }],
};

describe('resolveKubeconfig', () => {
  const cases: { name: string; opts: { context?: string; server?: string }; server: string; namespace: string }[] = [
    { name: 'current-context', opts: {}, server: 'http://127.0.0.1:6443', namespace: 'default' },
    { name: '--context with a namespace', opts: { context: 'b' }, server: 'https://b.example:8443', namespace: 'team' },
    { name: '--server overrides the cluster', opts: { server: 'http://127.0.0.1:1234' }, server: 'http://127.0.0.1:1234', namespace: 'default' },
    { name: 'a bare host:port gets https', opts: { server: '10.0.0.1:6443' }, server: 'https://10.0.0.1:6443', namespace: 'default' },
    { name: 'a context with a missing cluster falls back to localhost:8080', opts: { context: 'lost' }, server: 'http://localhost:8080', namespace: 'default' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = resolveKubeconfig(CONFIG, c.opts);
      expect([r.server, r.namespace]).toEqual([c.server, c.namespace]);
    });
  }

  it('uses the user token', () => expect(resolveKubeconfig(CONFIG, {}).token).toBe('t0k'));

  it('an empty config means localhost:8080', () => expect(resolveKubeconfig({}, {}).server).toBe('http://localhost:8080'));

  it('an unknown context is kubectl\'s configuration error', () => {
    expect(() => resolveKubeconfig(CONFIG, { context: 'nope' })).toThrow('Error in configuration: context was not found for specified context: nope');
  });
});

describe('kubeconfigPath', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-kubeconfig-'));
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  fs.writeFileSync(a, 'current-context: x\n');
  fs.writeFileSync(b, 'current-context: y\n');
  fs.mkdirSync(path.join(dir, 'home', '.kube'), { recursive: true });
  const home = path.join(dir, 'home');
  fs.writeFileSync(path.join(home, '.kube', 'config'), 'current-context: z\n');

  const cases: { name: string; kubeconfig?: string; env: NodeJS.ProcessEnv; want: string | undefined }[] = [
    { name: '--kubeconfig first', kubeconfig: b, env: { KUBECONFIG: a, HOME: home }, want: b },
    { name: 'then the first existing $KUBECONFIG entry', env: { KUBECONFIG: `${path.join(dir, 'none')}:${a}:${b}`, HOME: home }, want: a },
    { name: 'then ~/.kube/config', env: { HOME: home }, want: path.join(home, '.kube', 'config') },
    { name: 'else nothing', env: { HOME: path.join(dir, 'nohome') }, want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => expect(kubeconfigPath({ kubeconfig: c.kubeconfig, env: c.env })).toBe(c.want));
  }

  it('a missing --kubeconfig file fails like kubectl', () => {
    expect(() => kubeconfigPath({ kubeconfig: '/nope/config', env: {} })).toThrow('stat /nope/config: no such file or directory');
  });

  it('a malformed file fails with the file name', () => {
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, 'garbage: [\n');
    expect(() => loadKubeconfig(bad)).toThrow(`error loading config file "${bad}"`);
  });
});

describe('hostPort', () => {
  const cases: [string, string][] = [
    ['http://127.0.0.1:6443', '127.0.0.1:6443'],
    ['https://example.com', 'example.com:443'],
    ['http://localhost', 'localhost:80'],
  ];
  for (const [url, want] of cases) it(`names ${url} as ${want}`, () => expect(hostPort(url)).toBe(want));
});
