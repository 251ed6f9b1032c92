/**
 * `kubectl logs` against a real control plane and a real kubelet process (node-1) running the
 * pods' containers: the apiserver proxies `pods/log` to the kubelet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResourceByKind } from '@kubesim/api';
import { TestCluster } from '@kubesim/testing';
import { KubectlHarness, until } from './harness.js';

const PODS = findResourceByKind('v1', 'Pod')!;

let cluster: TestCluster;
let k: KubectlHarness;

const TALKER = `apiVersion: v1
kind: Pod
metadata: {name: talker, namespace: logs, labels: {app: talker}}
spec:
  nodeName: node-1
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo one; echo two; echo three; sleep 3600"]
  - name: side
    image: busybox
    command: ["sh", "-c", "echo side-hello; sleep 3600"]
`;

const BRIEF = `apiVersion: v1
kind: Pod
metadata: {name: brief, namespace: logs}
spec:
  nodeName: node-1
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo a; sleep 1; echo b; sleep 1; echo c"]
`;

function replica(name: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: logs, labels: {app: web}}
spec:
  nodeName: node-1
  containers:
  - name: web
    image: busybox
    command: ["sh", "-c", "echo I am ${name}; sleep 3600"]
`;
}

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: logs}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: busybox}]
`;

async function running(name: string): Promise<void> {
  await until(async () => {
    const pod = await cluster.cp.httpClient.resource(PODS).get('logs', name);
    return ((pod as { status?: { containerStatuses?: { state?: { running?: unknown } }[] } }).status?.containerStatuses ?? []).some((s) => s.state?.running);
  }, 30_000, `pod ${name} running`);
}

beforeAll(async () => {
  cluster = await new TestCluster({ nodes: 1, controllerManager: false, scheduler: false }).start();
  k = new KubectlHarness(cluster.cp.apiserver.url);
  await k.run(['create', 'namespace', 'logs']);
  expect((await k.run(['apply', '-f', '-'], TALKER)).code).toBe(0);
  await running('talker');
  await until(async () => (await k.run(['logs', 'talker', '-c', 'main', '-n', 'logs'])).stdout.includes('three'), 20_000, 'main output');
  await until(async () => (await k.run(['logs', 'talker', '-c', 'side', '-n', 'logs'])).stdout.includes('side-hello'), 20_000, 'side output');
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  k?.cleanup();
});

describe('kubectl logs', () => {
  it("prints the first container's log, saying which container it picked", async () => {
    expect(await k.run(['logs', 'talker', '-n', 'logs'])).toEqual({ code: 0, stdout: 'one\ntwo\nthree\n', stderr: 'Defaulted container "main" out of: main, side\n' });
  });

  it('reads a named container, by -c or as a second argument', async () => {
    expect(await k.run(['logs', 'talker', '-c', 'side', '-n', 'logs'])).toEqual({ code: 0, stdout: 'side-hello\n', stderr: '' });
    expect((await k.run(['logs', 'pod/talker', 'side', '-n', 'logs'])).stdout).toBe('side-hello\n');
  });

  it('reads every container, optionally prefixed with its source', async () => {
    expect((await k.run(['logs', 'talker', '--all-containers', '-n', 'logs'])).stdout).toBe('one\ntwo\nthree\nside-hello\n');
    expect((await k.run(['logs', 'talker', '--all-containers', '--prefix', '-n', 'logs'])).stdout).toBe(
      '[pod/talker/main] one\n[pod/talker/main] two\n[pod/talker/main] three\n[pod/talker/side] side-hello\n',
    );
  });

  it('passes --tail and --timestamps to the kubelet', async () => {
    expect((await k.run(['logs', 'talker', '-c', 'main', '--tail=1', '-n', 'logs'])).stdout).toBe('three\n');
    expect((await k.run(['logs', 'talker', '-c', 'main', '--timestamps', '--tail=2', '-n', 'logs'])).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z two\n\S+ three\n$/);
  });

  it('follows a log until the container ends', async () => {
    await k.run(['apply', '-f', '-'], BRIEF);
    await running('brief');
    const follow = k.start(['logs', '-f', 'brief', '-n', 'logs']);
    await until(() => follow.stdout() === 'a\n', 10_000, 'first line');
    expect(await follow.done).toEqual({ code: 0, stdout: 'a\nb\nc\n', stderr: '' });
  });

  it("reads one of a Deployment's pods", async () => {
    await k.run(['apply', '-f', '-'], WEB);
    for (const name of ['web-a', 'web-b']) await k.run(['apply', '-f', '-'], replica(name));
    for (const name of ['web-a', 'web-b']) await running(name);
    for (const name of ['web-a', 'web-b']) await until(async () => (await k.run(['logs', name, '-n', 'logs'])).stdout !== '', 10_000, `${name} output`);
    const res = await k.run(['logs', 'deployment/web', '-n', 'logs']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^Found 2 pods, using pod\/web-[ab]\n$/);
    expect(res.stdout).toBe(`I am ${res.stderr.trim().split('pod/')[1]}\n`);
  });

  it('reads the pods of a selector, ten lines each by default', async () => {
    const res = await k.run(['logs', '-l', 'app=web', '--prefix', '-n', 'logs']);
    expect(res.stdout.split('\n').filter(Boolean).sort()).toEqual(['[pod/web-a/web] I am web-a', '[pod/web-b/web] I am web-b']);
    expect(await k.run(['logs', '-l', 'app=none', '-n', 'logs'])).toEqual({ code: 0, stdout: '', stderr: 'No resources found in logs namespace.\n' });
  });

  it('reports mistakes the way kubectl does', async () => {
    expect((await k.run(['logs', 'nope', '-n', 'logs'])).stderr).toBe('error: error from server (NotFound): pods "nope" not found in namespace "logs"\n');
    expect((await k.run(['logs', 'talker', '-c', 'nope', '-n', 'logs'])).stderr).toBe('error: container nope is not valid for pod talker\n');
    expect((await k.run(['logs', '-n', 'logs'])).stderr).toBe(
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n",
    );
    expect((await k.run(['logs', 'talker', '-c', 'main', '--all-containers', '-n', 'logs'])).stderr).toBe('error: --all-containers=true should not be specified with container name main\n');
    expect((await k.run(['logs', '-f', '-l', 'app=talker', '--all-containers', '--max-log-requests=1', '-n', 'logs'])).stderr).toBe(
      'error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit\n',
    );
  });

  it('passes the server error of a container that has not started', async () => {
    await k.run(['run', 'waiting', '--image=busybox', '-n', 'logs']);
    expect(await k.run(['logs', 'waiting', '-n', 'logs'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (BadRequest): container "waiting" in pod "waiting" is waiting to start: ContainerCreating\n',
    });
  });
});
