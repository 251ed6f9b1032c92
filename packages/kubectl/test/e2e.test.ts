import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { TestControlPlane, writeKubeconfig } from '@kubesim/testing';
import { runKubectl } from '../src/index.js';

let cp: TestControlPlane;
let dir: string;
let kubeconfig: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running kubectl whose output can be read while it runs (for watches). */
function start(args: string[], stdin = ''): { done: Promise<Result>; stdout: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = runKubectl(args, { stdout: out, stderr: err, stdin: Readable.from([stdin]), env: { KUBECONFIG: kubeconfig, HOME: dir } }).then((code) => ({
    code,
    stdout,
    stderr,
  }));
  return { done, stdout: () => stdout };
}

function kubectl(args: string[], stdin = ''): Promise<Result> {
  return start(args, stdin).done;
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: e2e
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
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: e2e
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: e2e
  labels: {app: web}
data:
  mode: fast
`;

function pod(name: string, labels: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'e2e', labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
}

beforeAll(async () => {
  cp = await new TestControlPlane().start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-e2e-'));
  kubeconfig = path.join(dir, 'config');
  writeKubeconfig(kubeconfig, cp.apiserver.url);
  fs.writeFileSync(path.join(dir, 'app.yaml'), APP);
});

afterAll(async () => {
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('kubectl against a real apiserver', () => {
  it('creates a namespace', async () => {
    expect(await kubectl(['create', 'namespace', 'e2e'])).toEqual({ code: 0, stdout: 'namespace/e2e created\n', stderr: '' });
  });

  it('applies a multi-document file: created, then unchanged, then configured', async () => {
    const file = path.join(dir, 'app.yaml');
    expect((await kubectl(['apply', '-f', file])).stdout).toBe('deployment.apps/web created\nservice/web created\nconfigmap/settings created\n');
    expect((await kubectl(['apply', '-f', file])).stdout).toBe('deployment.apps/web unchanged\nservice/web unchanged\nconfigmap/settings unchanged\n');
    fs.writeFileSync(file, APP.replace('replicas: 2', 'replicas: 3'));
    expect((await kubectl(['apply', '-f', file])).stdout).toBe('deployment.apps/web configured\nservice/web unchanged\nconfigmap/settings unchanged\n');
    const replicas = await kubectl(['get', 'deployment', 'web', '-n', 'e2e', '-o', 'jsonpath={.spec.replicas}']);
    expect(replicas.stdout).toBe('3');
  });

  it('applies from stdin and server-side', async () => {
    expect((await kubectl(['apply', '-n', 'e2e', '-f', '-'], pod('from-stdin', { app: 'stdin' }))).stdout).toBe('pod/from-stdin created\n');
    const ssa = await kubectl(['apply', '--server-side', '-n', 'e2e', '-f', '-'], pod('ssa', { app: 'ssa' }));
    expect(ssa).toMatchObject({ code: 0, stdout: 'pod/ssa serverside-applied\n' });
  });

  it('prints a table from the server, with -o wide, -A, --show-labels and -L', async () => {
    const table = await kubectl(['get', 'deploy', '-n', 'e2e']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME {3}READY {3}UP-TO-DATE {3}AVAILABLE {3}AGE\nweb {4}\S+/);
    expect((await kubectl(['get', 'deploy', '-n', 'e2e', '-o', 'wide'])).stdout.split('\n')[0]).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR$/);
    const all = await kubectl(['get', 'configmaps', '-A']);
    expect(all.stdout).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE\n/);
    expect(all.stdout).toMatch(/\ne2e\s+settings\s+1\s+/);
    const labels = await kubectl(['get', 'cm', 'settings', '-n', 'e2e', '--show-labels', '-L', 'app']);
    expect(labels.stdout).toMatch(/^NAME\s+DATA\s+AGE\s+APP\s+LABELS\nsettings\s+1\s+\S+\s+web\s+app=web\n$/);
  });

  it('prefixes kind/name when several types are listed', async () => {
    const res = await kubectl(['get', 'deploy,svc', '-n', 'e2e']);
    expect(res.stdout).toMatch(/\ndeployment\.apps\/web\s/);
    expect(res.stdout).toMatch(/\n\nNAME\s+TYPE\s+CLUSTER-IP/);
    expect(res.stdout).toMatch(/\nservice\/web\s+ClusterIP/);
    const all = await kubectl(['get', 'all', '-n', 'e2e']);
    expect(all.stdout).toMatch(/pod\/from-stdin\s/);
    expect(all.stdout).toMatch(/deployment\.apps\/web\s/);
  });

  it('prints yaml, json, name, jsonpath and custom-columns', async () => {
    const one = parseYaml((await kubectl(['get', 'deploy/web', '-n', 'e2e', '-o', 'yaml'])).stdout);
    expect(one).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'e2e' } });
    expect(one.metadata.managedFields).toBeUndefined();
    const list = JSON.parse((await kubectl(['get', 'pods', '-n', 'e2e', '-o', 'json'])).stdout);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`).sort()).toEqual(['Pod/from-stdin', 'Pod/ssa']);
    expect((await kubectl(['get', 'pods', '-n', 'e2e', '-o', 'name', '--sort-by=.metadata.name'])).stdout).toBe('pod/from-stdin\npod/ssa\n');
    const jp = await kubectl(['get', 'pods', '-n', 'e2e', '--sort-by=.metadata.name', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.app}{"\\n"}{end}']);
    expect(jp.stdout).toBe('from-stdin=stdin\nssa=ssa\n');
    const cc = await kubectl(['get', 'svc', 'web', '-n', 'e2e', '-o', 'custom-columns=NAME:.metadata.name,PORT:.spec.ports[*].port']);
    expect(cc.stdout).toBe('NAME   PORT\nweb    80\n');
  });

  it('says so on stderr when nothing is found', async () => {
    expect(await kubectl(['get', 'pods', '-n', 'default'])).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('describes objects with their events section', async () => {
    const dep = await kubectl(['describe', 'deployment', 'web', '-n', 'e2e']);
    expect(dep.code).toBe(0);
    expect(dep.stdout).toMatch(/^Name:\s+web\nNamespace:\s+e2e\nCreationTimestamp:/);
    expect(dep.stdout).toMatch(/\nReplicas:\s+3 desired \| /);
    expect(dep.stdout).toMatch(/\nPod Template:\n {2}Labels:\s+app=web\n {2}Containers:\n {3}web:\n {4}Image:\s+nginx:1\.25\n/);
    expect(dep.stdout).toMatch(/\nEvents:\s+<none>\n$/);
    const ns = await kubectl(['describe', 'ns', 'e2e']);
    expect(ns.stdout).toMatch(/^Name:\s+e2e\nLabels:\s+kubernetes.io\/metadata.name=e2e\nAnnotations:\s+<none>\nStatus:\s+Active\n/);
    const pods = await kubectl(['describe', 'pods', '-n', 'e2e', '-l', 'app=ssa']);
    expect(pods.stdout).toMatch(/^Name:\s+ssa\n/);
    expect(pods.stdout).toMatch(/\nContainers:\n {2}c:\n {4}Image:\s+nginx\n/);
  });

  it('reports errors the way kubectl does', async () => {
    expect(await kubectl(['get', 'pod', 'nope', '-n', 'e2e'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await kubectl(['get', 'foos'])).toEqual({ code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "foos"\n' });
    const again = await kubectl(['create', '-f', path.join(dir, 'app.yaml')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Error from server (AlreadyExists): error when creating "${path.join(dir, 'app.yaml')}": deployments.apps "web" already exists\n`);
    expect((await kubectl(['create', 'namespace', 'e2e'])).stderr).toBe('Error from server (AlreadyExists): namespaces "e2e" already exists\n');
    expect((await kubectl(['get', 'pods', '--bogus'])).stderr).toBe("error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n");
  });

  it('reports a refused connection with the server address', async () => {
    expect(await kubectl(['--server', 'http://127.0.0.1:1', 'get', 'pods'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n',
    });
  });

  it('creates from generators', async () => {
    expect((await kubectl(['create', 'deployment', 'gen', '--image=nginx:1.25', '--replicas=2', '-n', 'e2e'])).stdout).toBe('deployment.apps/gen created\n');
    const container = await kubectl(['get', 'deploy', 'gen', '-n', 'e2e', '-o', 'jsonpath={.spec.template.spec.containers[0].name} {.spec.replicas}']);
    expect(container.stdout).toBe('nginx 2');
    expect((await kubectl(['create', 'configmap', 'lit', '--from-literal=a=1', '-n', 'e2e'])).stdout).toBe('configmap/lit created\n');
    expect((await kubectl(['create', 'secret', 'generic', 'sec', '--from-literal=pw=hunter2', '-n', 'e2e'])).stdout).toBe('secret/sec created\n');
    expect((await kubectl(['get', 'secret', 'sec', '-n', 'e2e', '-o', 'jsonpath={.data.pw}'])).stdout).toBe(Buffer.from('hunter2').toString('base64'));
    expect((await kubectl(['create', 'service', 'clusterip', 'cip', '--tcp=80:8080', '-n', 'e2e'])).stdout).toBe('service/cip created\n');
  });

  it('watches: the table, then a line per event until the stream ends', async () => {
    const w = start(['get', 'pods', '-n', 'e2e', '-l', 'watch=me', '-w', '--output-watch-events', '--request-timeout=4s']);
    await new Promise((r) => setTimeout(r, 500));
    await kubectl(['apply', '-f', '-'], pod('watched', { watch: 'me' }));
    await until(() => w.stdout().includes('watched'));
    await kubectl(['apply', '-f', '-'], pod('watched', { watch: 'me', extra: 'label' }));
    const res = await w.done;
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines[1]).toMatch(/^ADDED\s+watched\s/);
    expect(lines[2]).toMatch(/^MODIFIED\s+watched\s/);
  });

  it('deletes by name, by label and with --all, waiting until they are gone', async () => {
    expect(await kubectl(['delete', 'pod', 'watched', '-n', 'e2e'])).toEqual({ code: 0, stdout: 'pod "watched" deleted\n', stderr: '' });
    expect((await kubectl(['delete', 'pods', '-l', 'app=ssa', '-n', 'e2e'])).stdout).toBe('pod "ssa" deleted\n');
    expect((await kubectl(['delete', 'deploy/web', 'svc/web', '-n', 'e2e'])).stdout).toBe('deployment.apps "web" deleted\nservice "web" deleted\n');
    expect((await kubectl(['delete', 'pods', '--all', '-n', 'e2e'])).stdout).toBe('pod "from-stdin" deleted\n');
    expect(await kubectl(['get', 'pods', '-n', 'e2e'])).toMatchObject({ stdout: '', stderr: 'No resources found in e2e namespace.\n' });
    expect((await kubectl(['delete', 'pods', '--all', '-n', 'e2e'])).stdout).toBe('No resources found\n');
    const missing = await kubectl(['delete', 'pod', 'ghost', '-n', 'e2e']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "ghost" not found\n' });
  });

  it('lists API resources and versions from discovery, and the server version', async () => {
    const res = await kubectl(['api-resources']);
    expect(res.stdout.split('\n')[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    expect(res.stdout).toMatch(/\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\n/);
    expect((await kubectl(['api-versions'])).stdout).toMatch(/^apps\/v1\n(.*\n)*v1\n$/);
    const version = await kubectl(['version']);
    expect(version.stdout).toMatch(/^Client Version: v\S+\nServer Version: v\S+\n$/);
  });

  it('prints usage for --help and for no command', async () => {
    const root = await kubectl([]);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/^kubectl controls the Kubernetes cluster manager\./);
    const help = await kubectl(['delete', '--help']);
    expect(help.stdout).toContain('Usage:\n  kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [options]\n');
  });
});
