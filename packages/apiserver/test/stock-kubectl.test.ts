/**
 * The stock kubectl (/usr/bin/kubectl, which picks kubectl 1.31 from our /version) as a real client.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestControlPlane, writeKubeconfig } from '@kubesim/testing';
import { res, sample } from './fixtures.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
let cp: TestControlPlane;
let dir: string;

beforeAll(async () => {
  cp = await new TestControlPlane().start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-kubectl-'));
  writeKubeconfig(path.join(dir, 'kubeconfig'), cp.apiserver.url);
});
afterAll(async () => {
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), ...args], {
      timeout: 30_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (err: any) {
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? String(err), code: err.code ?? 1 };
  }
}

function writeManifest(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const DEPLOYMENT = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 8080
`;

describe('the stock kubectl', () => {
  it('runs kubectl 1.31 against our /version', async () => {
    const r = await kubectl('version', '-o', 'json');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.serverVersion.minor).toBe('31');
    expect(v.clientVersion.minor).toBe('31');
  });

  it('get ns lists the built-in namespaces as a table', async () => {
    const r = await kubectl('get', 'ns');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+STATUS\s+AGE/);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) expect(r.stdout).toMatch(new RegExp(`^${ns}\\s+Active`, 'm'));
  });

  it('get nodes shows registered nodes', async () => {
    await cp.natsClient.resource(res('nodes')).create(sample('nodes', 'node-1'));
    const r = await kubectl('get', 'nodes');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^node-1\s/m);
  });

  it('create -f, then get -o yaml, describe and delete', async () => {
    const file = writeManifest('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n');
    const created = await kubectl('create', '-f', file);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('configmap/settings created');
    const yaml = await kubectl('get', 'configmap', 'settings', '-o', 'yaml');
    expect(yaml.stdout).toContain('mode: fast');
    expect(yaml.stdout).toMatch(/resourceVersion: "\d+"/);
    const described = await kubectl('describe', 'configmap', 'settings');
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/Name:\s+settings/);
    const deleted = await kubectl('delete', 'configmap', 'settings');
    expect(deleted.stdout.trim()).toBe('configmap "settings" deleted');
    expect((await kubectl('get', 'configmap', 'settings')).stderr).toContain('Error from server (NotFound): configmaps "settings" not found');
  });

  it('apply -f twice: creates, then patches', async () => {
    const file = writeManifest('deploy.yaml', DEPLOYMENT('kubesim/web:v1'));
    const first = await kubectl('apply', '-f', file);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('deployment.apps/web created');
    writeManifest('deploy.yaml', DEPLOYMENT('kubesim/web:v2'));
    const second = await kubectl('apply', '-f', file);
    expect(second.stdout.trim()).toBe('deployment.apps/web configured');
    const d: any = await cp.natsClient.resource(res('deployments')).get('default', 'web');
    expect(d.spec.template.spec.containers[0].image).toBe('kubesim/web:v2');
    expect(d.metadata.generation).toBe(2);
    const describe = await kubectl('describe', 'deployment', 'web');
    expect(describe.stdout).toMatch(/RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
  });

  it('reports invalid objects as kubectl users expect', async () => {
    const file = writeManifest('bad.yaml', DEPLOYMENT('kubesim/web:v1').replace('replicas: 2', 'replicas: -1').replace('name: web\n  labels', 'name: bad\n  labels'));
    const r = await kubectl('apply', '-f', file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Deployment "bad" is invalid');
    expect(r.stderr).toContain('spec.replicas');
  });

  it('get -w prints changes as they happen', async () => {
    await cp.natsClient.resource(res('configmaps')).create(sample('configmaps', 'before-watch'));
    const child = spawn(KUBECTL, ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), 'get', 'configmaps', '-w']);
    let out = '';
    child.stdout.on('data', (b) => (out += b.toString()));
    try {
      // kubectl prints the list, then opens its watch from the list's resourceVersion.
      await waitFor(() => /^before-watch\s/m.test(out), 10_000);
      await new Promise((r) => setTimeout(r, 300));
      await cp.natsClient.resource(res('configmaps')).create(sample('configmaps', 'watched'));
      await waitFor(() => /^watched\s+1\s/m.test(out), 10_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(out).toMatch(/^watched\s+1\s/m);
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  await eventually('kubectl output', cond, { timeoutMs: ms, intervalMs: 50 });
}
