/**
 * The changing commands against a real apiserver (no controllers, no kubelets): what they print
 * and what they leave in the store. Objects a controller would write (ReplicaSets, statuses) are
 * written by the test itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResourceByKind, type KubeObject } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { KubectlHarness, until } from './harness.js';

const DEPLOYMENTS = findResourceByKind('apps/v1', 'Deployment')!;
const REPLICASETS = findResourceByKind('apps/v1', 'ReplicaSet')!;
const PODS = findResourceByKind('v1', 'Pod')!;
const NODES = findResourceByKind('v1', 'Node')!;
const SERVICES = findResourceByKind('v1', 'Service')!;

let cp: TestControlPlane;
let k: KubectlHarness;

/* eslint-disable @typescript-eslint/no-explicit-any -- objects are read back as loose JSON */
const get = (info: typeof PODS, ns: string | undefined, name: string): Promise<any> => cp.httpClient.resource(info).get(ns, name);

beforeAll(async () => {
  cp = await new TestControlPlane(['--profile', 'fast']).start();
  k = new KubectlHarness(cp.apiserver.url);
  for (const ns of ['scale', 'edit', 'roll', 'svc', 'wait', 'drain']) expect((await k.run(['create', 'namespace', ns])).code).toBe(0);
});

afterAll(async () => {
  await cp?.stop();
  k?.cleanup();
});

describe('scale', () => {
  it('patches the scale subresource and says scaled', async () => {
    await k.run(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3', '-n', 'scale']);
    expect(await k.run(['scale', 'deployment', 'web', '--replicas=5', '-n', 'scale'])).toEqual({ code: 0, stdout: 'deployment.apps/web scaled\n', stderr: '' });
    expect((await get(DEPLOYMENTS, 'scale', 'web')).spec.replicas).toBe(5);
  });

  it('checks --current-replicas before it writes', async () => {
    expect(await k.run(['scale', 'deploy/web', '--replicas=4', '--current-replicas=3', '-n', 'scale'])).toEqual({ code: 1, stdout: '', stderr: 'error: Expected replicas to be 3, was 5\n' });
    expect((await k.run(['scale', 'deploy/web', '--replicas=4', '--current-replicas=5', '-n', 'scale'])).stdout).toBe('deployment.apps/web scaled\n');
    expect((await get(DEPLOYMENTS, 'scale', 'web')).spec.replicas).toBe(4);
  });

  it('scales what it finds and reports what it does not', async () => {
    expect(await k.run(['scale', 'deploy', 'web', 'nope', '--replicas=2', '-n', 'scale'])).toEqual({
      code: 1,
      stdout: 'deployment.apps/web scaled\n',
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
    });
  });

  it('rejects a missing or negative --replicas and a missing name', async () => {
    expect((await k.run(['scale', 'deploy', 'web', '-n', 'scale'])).stderr).toBe('error: required flag(s) "replicas" not set\n');
    expect((await k.run(['scale', 'deploy', 'web', '--replicas=-1', '-n', 'scale'])).stderr).toBe('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
    expect((await k.run(['scale', 'deployment', '--replicas=1', '-n', 'scale'])).stderr).toBe('error: resource(s) were provided, but no name was specified\n');
  });

  it('prints the name only with -o name and changes nothing with --dry-run=client', async () => {
    expect((await k.run(['scale', 'deploy/web', '--replicas=9', '-o', 'name', '--dry-run=client', '-n', 'scale'])).stdout).toBe('deployment.apps/web\n');
    expect((await k.run(['scale', 'deploy/web', '--replicas=9', '--dry-run=client', '-n', 'scale'])).stdout).toBe('deployment.apps/web scaled (dry run)\n');
    expect((await get(DEPLOYMENTS, 'scale', 'web')).spec.replicas).toBe(2);
  });
});

describe('set, label and annotate', () => {
  beforeAll(async () => {
    await k.run(['create', 'deployment', 'app', '--image=nginx:1.25', '--image=busybox', '-n', 'edit']);
  });

  it('sets an image and skips an unchanged one', async () => {
    expect(await k.run(['set', 'image', 'deployment/app', 'nginx=nginx:1.26', '-n', 'edit'])).toEqual({ code: 0, stdout: 'deployment.apps/app image updated\n', stderr: '' });
    expect(await k.run(['set', 'image', 'deployment/app', 'nginx=nginx:1.26', '-n', 'edit'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const containers = (await get(DEPLOYMENTS, 'edit', 'app')).spec.template.spec.containers;
    expect(containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['nginx=nginx:1.26', 'busybox=busybox']);
  });

  it('reports an unknown container and a bad wildcard', async () => {
    expect(await k.run(['set', 'image', 'deploy/app', 'nope=x', '-n', 'edit'])).toEqual({ code: 1, stdout: '', stderr: 'error: unable to find container named "nope"\n' });
    expect((await k.run(['set', 'image', 'deploy/app', '*=a', 'b=c', '-n', 'edit'])).stderr).toBe(
      'error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n',
    );
  });

  it('sets, lists and removes environment variables', async () => {
    expect((await k.run(['set', 'env', 'deploy/app', 'A=1', 'B=2', '-c', 'nginx', '-n', 'edit'])).stdout).toBe('deployment.apps/app env updated\n');
    expect((await k.run(['set', 'env', 'deploy/app', 'A-', '-c', 'nginx', '-n', 'edit'])).stdout).toBe('deployment.apps/app env updated\n');
    expect((await k.run(['set', 'env', 'deploy/app', '--list', '-n', 'edit'])).stdout).toBe('# Deployment app, container nginx\nB=2\n# Deployment app, container busybox\n');
    expect((await k.run(['set', 'env', 'deploy/app', 'X=1', '-c', 'nope', '-n', 'edit'])).stderr).toBe('Warning: Deployment/app does not have any containers matching "nope"\n');
  });

  it('labels: adds, refuses to overwrite, overwrites, removes', async () => {
    await k.run(['run', 'p', '--image=nginx', '-n', 'edit']);
    expect((await k.run(['label', 'pods', 'p', 'tier=web', '-n', 'edit'])).stdout).toBe('pod/p labeled\n');
    expect(await k.run(['label', 'pods', 'p', 'tier=db', '-n', 'edit'])).toEqual({ code: 1, stdout: '', stderr: "error: 'tier' already has a value (web), and --overwrite is false\n" });
    expect((await k.run(['label', 'pods', 'p', 'tier=db', '--overwrite', '-n', 'edit'])).stdout).toBe('pod/p labeled\n');
    expect((await k.run(['label', 'pods', 'p', 'tier=db', '--overwrite', '-n', 'edit'])).stdout).toBe('pod/p not labeled\n');
    expect((await k.run(['label', 'pods', 'p', 'tier-', '-n', 'edit'])).stdout).toBe('pod/p unlabeled\n');
    expect((await k.run(['label', 'pods', 'p', 'tier-', '-n', 'edit'])).stdout).toBe('label "tier" not found.\npod/p not labeled\n');
    expect((await get(PODS, 'edit', 'p')).metadata.labels).toEqual({ run: 'p' });
    expect((await k.run(['label', 'pod', 'p', '--list', '-n', 'edit'])).stdout).toBe('run=p\n');
  });

  it('labels everything a selector matches, and guards --resource-version', async () => {
    await k.run(['run', 'q', '--image=nginx', '-l', 'team=x', '-n', 'edit']);
    expect((await k.run(['label', 'pods', '--all', 'zone=a', '-n', 'edit'])).stdout).toBe('pod/p labeled\npod/q labeled\n');
    expect((await k.run(['label', 'pods', '-l', 'team=x', 'zone=b', '--overwrite', '-n', 'edit'])).stdout).toBe('pod/q labeled\n');
    expect((await k.run(['label', 'pods', 'p', 'q', 'k=v', '--resource-version=1', '-n', 'edit'])).stderr).toBe('error: --resource-version may only be used with a single resource\n');
    const stale = await k.run(['label', 'pod', 'p', 'k=v', '--resource-version=1', '-n', 'edit']);
    expect(stale.stderr).toBe('Error from server (Conflict): Operation cannot be fulfilled on pods "p": the object has been modified; please apply your changes to the latest version and try again\n');
  });

  it('annotates, with --overwrite needed for a new value', async () => {
    expect((await k.run(['annotate', 'pod', 'p', 'note=hello', '-n', 'edit'])).stdout).toBe('pod/p annotated\n');
    expect((await k.run(['annotate', 'pod', 'p', 'note=again', '-n', 'edit'])).stderr).toBe(
      "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello)\n",
    );
    expect((await k.run(['annotate', 'pod', 'p', 'note=again', '--overwrite', '-n', 'edit'])).stdout).toBe('pod/p annotated\n');
    expect((await get(PODS, 'edit', 'p')).metadata.annotations).toEqual({ note: 'again' });
    expect((await k.run(['annotate', 'pod', 'p', 'note-', '-n', 'edit'])).stdout).toBe('pod/p annotated\n');
    expect((await get(PODS, 'edit', 'p')).metadata.annotations ?? {}).toEqual({});
  });
});

describe('expose and run', () => {
  it('creates a NodePort Service from a Deployment', async () => {
    await k.run(['create', 'deployment', 'web', '--image=nginx', '-n', 'svc']);
    expect(await k.run(['expose', 'deployment', 'web', '--port=80', '--type=NodePort', '-n', 'svc'])).toEqual({ code: 0, stdout: 'service/web exposed\n', stderr: '' });
    const svc = await get(SERVICES, 'svc', 'web');
    expect(svc.spec).toMatchObject({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('takes the ports of a pod and names the Service', async () => {
    expect((await k.run(['run', 'api', '--image=kubesim/echo', '--port=8080', '--env=MODE=x', '--restart=Never', '-n', 'svc', '--', 'arg1'])).stdout).toBe('pod/api created\n');
    const pod = await get(PODS, 'svc', 'api');
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.containers[0]).toMatchObject({ name: 'api', image: 'kubesim/echo', args: ['arg1'], ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'x' }] });
    expect((await k.run(['expose', 'pod', 'api', '--name=api-svc', '--target-port=http', '-n', 'svc'])).stdout).toBe('service/api-svc exposed\n');
    expect((await get(SERVICES, 'svc', 'api-svc')).spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 'http' })]);
  });

  it('reports what kubectl reports', async () => {
    expect((await k.run(['expose', 'deployment', 'web', '-n', 'svc', '--name=x'])).stderr).toBe("error: couldn't find port via --port flag or introspection\n");
    expect((await k.run(['expose', 'deployment', 'web', '--port=80', '-n', 'svc'])).stderr).toBe('Error from server (AlreadyExists): services "web" already exists\n');
    expect((await k.run(['run', 'x', '-n', 'svc'])).stderr).toBe('error: required flag(s) "image" not set\n');
    expect((await k.run(['run', 'x', '--image=a', '--restart=Bad', '-n', 'svc'])).stderr).toBe("error: invalid restart policy: Bad\nSee 'kubectl run -h' for help and examples\n");
  });
});

function replicaSet(name: string, owner: any, revision: string, image: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'roll',
      labels: { app: 'web', 'pod-template-hash': name },
      annotations: { 'deployment.kubernetes.io/revision': revision, ...annotations },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': name } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  } as unknown as KubeObject;
}

describe('rollout, on ReplicaSets and statuses the test writes', () => {
  let deployment: any;
  const status = (s: Record<string, unknown>) => cp.httpClient.resource(DEPLOYMENTS).patch('roll', 'web', 'merge', { status: s }, { subresource: 'status' });

  beforeAll(async () => {
    await k.run(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3', '-n', 'roll']);
    await k.run(['annotate', 'deploy', 'web', 'deployment.kubernetes.io/revision=2', '-n', 'roll']);
    deployment = await get(DEPLOYMENTS, 'roll', 'web');
    const template = deployment.spec.template.spec.containers[0];
    await cp.httpClient.resource(REPLICASETS).create(replicaSet('web-one', deployment, '1', 'nginx:1.24', { 'kubernetes.io/change-cause': 'first' }));
    await cp.httpClient.resource(REPLICASETS).create(replicaSet('web-two', deployment, '2', template.image));
    await cp.httpClient.resource(REPLICASETS).create({ ...replicaSet('stranger', { metadata: { name: 'x', uid: 'other' } }, '7', 'x') });
  });

  it('lists the revisions of the ReplicaSets it controls', async () => {
    expect(await k.run(['rollout', 'history', 'deployment/web', '-n', 'roll'])).toEqual({
      code: 0,
      stdout: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         <none>\n\n',
      stderr: '',
    });
  });

  it('shows one revision with --revision', async () => {
    const res = await k.run(['rollout', 'history', 'deployment/web', '--revision=1', '-n', 'roll']);
    expect(res.stdout).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n {2}Labels:\tapp=web\n\tpod-template-hash=web-one\n {2}Annotations:\tkubernetes\.io\/change-cause: first\n {2}Containers:\n {3}nginx:\n {4}Image:\tnginx:1\.24\n/);
    expect((await k.run(['rollout', 'history', 'deployment/web', '--revision=5', '-n', 'roll'])).stderr).toBe('error: unable to find the specified revision\n');
  });

  it('skips an undo to the template it already runs', async () => {
    expect((await k.run(['rollout', 'undo', 'deployment/web', '--to-revision=2', '-n', 'roll'])).stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 2)\n');
    expect((await k.run(['rollout', 'undo', 'deployment/web', '--to-revision=9', '-n', 'roll'])).stderr).toBe('error: unable to find specified revision 9 in history\n');
  });

  it('undoes to the previous revision with a JSON patch of template and annotations', async () => {
    expect(await k.run(['rollout', 'undo', 'deployment/web', '-n', 'roll'])).toEqual({ code: 0, stdout: 'deployment.apps/web rolled back\n', stderr: '' });
    const after = await get(DEPLOYMENTS, 'roll', 'web');
    expect(after.spec.template.spec.containers[0].image).toBe('nginx:1.24');
    expect(after.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(after.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'first' });
  });

  it('follows the status until the rollout is done', async () => {
    const generation = (await get(DEPLOYMENTS, 'roll', 'web')).metadata.generation;
    const run = k.start(['rollout', 'status', 'deployment/web', '-n', 'roll']);
    await until(() => run.stdout().includes('spec update to be observed'));
    await status({ observedGeneration: generation, replicas: 4, updatedReplicas: 1 });
    await until(() => run.stdout().includes('1 out of 3 new'));
    await status({ updatedReplicas: 3 });
    await until(() => run.stdout().includes('pending termination'));
    await status({ replicas: 3, availableReplicas: 2 });
    await until(() => run.stdout().includes('2 of 3 updated'));
    await status({ availableReplicas: 3 });
    expect(await run.done).toEqual({
      code: 0,
      stdout:
        'Waiting for deployment spec update to be observed...\n' +
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n' +
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n' +
        'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n' +
        'deployment "web" successfully rolled out\n',
      stderr: '',
    });
  });

  it('stops at a missed progress deadline, at --timeout, and after one look with --watch=false', async () => {
    await status({ availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(await k.run(['rollout', 'status', 'deploy/web', '-n', 'roll'])).toEqual({ code: 1, stdout: '', stderr: 'error: deployment "web" exceeded its progress deadline\n' });
    await status({ conditions: null });
    expect(await k.run(['rollout', 'status', 'deploy/web', '-w=false', '-n', 'roll'])).toEqual({
      code: 0,
      stdout: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n',
      stderr: '',
    });
    const timed = await k.run(['rollout', 'status', 'deploy/web', '--timeout=1s', '-n', 'roll']);
    expect(timed).toMatchObject({ code: 1, stderr: 'error: timed out waiting for the condition\n' });
    expect((await k.run(['rollout', 'status', 'rs/web-one', '-n', 'roll'])).stderr).toBe('error: no status viewer has been implemented for ReplicaSet.apps\n');
  });

  it('pauses, refuses to restart or undo while paused, resumes and restarts', async () => {
    expect((await k.run(['rollout', 'pause', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web paused\n');
    expect((await k.run(['rollout', 'pause', 'deployment/web', '-n', 'roll'])).stderr).toBe('error: deployments.apps "web" is already paused\n');
    expect((await k.run(['rollout', 'restart', 'deployment/web', '-n', 'roll'])).stderr).toBe(
      'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n',
    );
    expect((await k.run(['rollout', 'undo', 'deployment/web', '-n', 'roll'])).stderr).toBe(
      "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n",
    );
    expect((await k.run(['rollout', 'resume', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web resumed\n');
    expect((await get(DEPLOYMENTS, 'roll', 'web')).spec.paused).toBeUndefined();
    expect((await k.run(['rollout', 'restart', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web restarted\n');
    const restartedAt = (await get(DEPLOYMENTS, 'roll', 'web')).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect((await k.run(['rollout', 'pause', 'rs/web-one', '-n', 'roll'])).stderr).toBe('error: replicasets.apps "web-one" pausing is not supported\n');
  });
});

describe('wait', () => {
  it('waits for a condition the status gains later', async () => {
    await k.run(['run', 'w', '--image=nginx', '-n', 'wait']);
    const run = k.start(['wait', '--for=condition=Ready', 'pod/w', '--timeout=20s', '-n', 'wait']);
    await new Promise((r) => setTimeout(r, 300));
    await cp.httpClient.resource(PODS).patch('wait', 'w', 'merge', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    expect(await run.done).toEqual({ code: 0, stdout: 'pod/w condition met\n', stderr: '' });
  });

  it('times out, and reports what is missing', async () => {
    expect(await k.run(['wait', '--for=condition=Ready=false', 'pod/w', '--timeout=1s', '-n', 'wait'])).toEqual({ code: 1, stdout: '', stderr: 'error: timed out waiting for the condition on pods/w\n' });
    expect((await k.run(['wait', '--for=jsonpath={.status.phase}=Pending', 'pod/w', '-n', 'wait'])).stdout).toBe('pod/w condition met\n');
    expect((await k.run(['wait', '--for=condition=Ready', 'pod/nope', '-n', 'wait'])).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect((await k.run(['wait', '--for=bogus', 'pod/w', '-n', 'wait'])).stderr).toBe('error: unrecognized condition: "bogus"\n');
  });

  it('waits for a deletion', async () => {
    const run = k.start(['wait', '--for=delete', 'pod/w', '--timeout=20s', '-n', 'wait']);
    await new Promise((r) => setTimeout(r, 300));
    await k.run(['delete', 'pod', 'w', '--wait=false', '-n', 'wait']);
    expect(await run.done).toEqual({ code: 0, stdout: 'pod/w condition met\n', stderr: '' });
    expect(await k.run(['wait', '--for=delete', 'pod/w', '-n', 'wait'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('nodes: taint, cordon, drain', () => {
  beforeAll(async () => {
    await cp.httpClient.resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-7', labels: { pool: 'a' } }, spec: {} } as KubeObject);
  });

  it('adds, refuses, overwrites and removes taints', async () => {
    expect((await k.run(['taint', 'nodes', 'node-7', 'dedicated=special:NoSchedule'])).stdout).toBe('node/node-7 tainted\n');
    expect((await k.run(['taint', 'nodes', 'node-7', 'dedicated=other:NoSchedule'])).stderr).toBe(
      'error: node node-7 already has dedicated taint(s) with same effect(s) and --overwrite is false\n',
    );
    expect((await k.run(['taint', 'nodes', 'node-7', 'dedicated=other:NoSchedule', '--overwrite'])).stdout).toBe('node/node-7 modified\n');
    expect((await k.run(['taint', 'node', '-l', 'pool=a', 'gpu:NoExecute'])).stdout).toBe('node/node-7 tainted\n');
    expect((await get(NODES, undefined, 'node-7')).spec.taints).toEqual([
      { key: 'gpu', effect: 'NoExecute' },
      { key: 'dedicated', value: 'other', effect: 'NoSchedule' },
    ]);
    expect((await k.run(['taint', 'node', 'node-7', 'dedicated-', 'gpu:NoExecute-'])).stdout).toBe('node/node-7 untainted\n');
    expect((await get(NODES, undefined, 'node-7')).spec.taints).toBeUndefined();
    expect((await k.run(['taint', 'node', 'node-7', 'zz-'])).stderr).toBe('error: taint "zz" not found\n');
    expect((await k.run(['taint', 'node', 'node-7', 'k=v:Bad'])).stderr).toBe("error: invalid taint effect: Bad, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n");
    expect((await k.run(['taint', 'pod', 'p', 'a=b:NoSchedule'])).stderr).toBe('error: invalid resource type pod, only node types are supported\n');
  });

  it('cordons and uncordons once', async () => {
    expect((await k.run(['cordon', 'node-7'])).stdout).toBe('node/node-7 cordoned\n');
    expect((await k.run(['cordon', 'node-7'])).stdout).toBe('node/node-7 already cordoned\n');
    expect((await get(NODES, undefined, 'node-7')).spec.unschedulable).toBe(true);
    expect((await k.run(['uncordon', 'node-7'])).stdout).toBe('node/node-7 uncordoned\n');
    expect((await get(NODES, undefined, 'node-7')).spec.unschedulable).toBeUndefined();
    expect(await k.run(['cordon'])).toEqual({ code: 1, stdout: '', stderr: "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n" });
  });

  it('refuses to drain pods without a controller or with local storage', async () => {
    const rs = await cp.httpClient.resource(REPLICASETS).create(replicaSet('owner', { metadata: { name: 'x', uid: 'u' } }, '1', 'nginx'));
    const owned = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'owner', uid: rs.metadata.uid, controller: true }];
    const mk = (name: string, extra: Record<string, unknown> = {}) =>
      cp.httpClient.resource(PODS).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'drain', ...extra }, spec: { nodeName: 'node-7', containers: [{ name: 'c', image: 'nginx' }], volumes: name === 'scratch' ? [{ name: 'v', emptyDir: {} }] : undefined } } as unknown as KubeObject);
    await mk('managed', { ownerReferences: owned });
    await mk('bare');
    await mk('scratch', { ownerReferences: owned });
    const res = await k.run(['drain', 'node-7']);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('node/node-7 cordoned\n');
    expect(res.stderr).toBe(
      'error: unable to drain node "node-7" due to error: [cannot delete cannot delete Pods that declare no controller (use --force to override): drain/bare, ' +
        'cannot delete Pods with local storage (use --delete-emptydir-data to override): drain/scratch], continuing command...\n' +
        'There are pending nodes to be drained:\n node-7\n' +
        'cannot delete cannot delete Pods that declare no controller (use --force to override): drain/bare\n' +
        'cannot delete Pods with local storage (use --delete-emptydir-data to override): drain/scratch\n',
    );
  });

  it('lists what a client dry run would evict', async () => {
    const res = await k.run(['drain', 'node-7', '--force', '--delete-emptydir-data', '--dry-run=client']);
    expect(res).toEqual({
      code: 0,
      stdout: 'node/node-7 already cordoned (dry run)\nevicting pod drain/bare (dry run)\nevicting pod drain/managed (dry run)\nevicting pod drain/scratch (dry run)\nnode/node-7 drained (dry run)\n',
      stderr: 'Warning: deleting Pods that declare no controller: drain/bare\n',
    });
  });

  it('drains, deleting each pod where evictions are not served yet, and waits for them to go', async () => {
    const res = await k.run(['drain', 'node-7', '--force', '--ignore-daemonsets', '--delete-emptydir-data', '--grace-period=0', '--timeout=30s']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('node/node-7 already cordoned');
    expect(lines.filter((l) => l.startsWith('evicting pod ')).sort()).toEqual(['evicting pod drain/bare', 'evicting pod drain/managed', 'evicting pod drain/scratch']);
    expect(lines.filter((l) => l.startsWith('pod/')).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^pod\/bare (evicted|deleted)$/)]));
    expect(lines.filter((l) => l.startsWith('pod/')).length).toBe(3);
    expect(lines[lines.length - 1]).toBe('node/node-7 drained');
    expect(res.stderr).toBe('Warning: deleting Pods that declare no controller: drain/bare\n');
    expect((await cp.httpClient.resource(PODS).list({ namespace: 'drain' })).items).toEqual([]);
  });
});

describe('help', () => {
  it('lists the new commands in kubectl groups', async () => {
    const root = (await k.run([])).stdout;
    expect(root).toContain('Deploy Commands:\n  rollout         Manage the rollout of a resource\n  scale           Set a new size for a deployment, replica set, or replication controller\n');
    expect(root).toContain('Settings Commands:\n  label           Update the labels on a resource\n  annotate        Update the annotations on a resource\n');
    expect(root).toContain('  logs            Print the logs for a container in a pod\n');
  });

  const usages: [string[], string][] = [
    [['logs', '--help'], 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]'],
    [['scale', '--help'], 'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]'],
    [['set', 'image', '--help'], 'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]'],
    [['rollout', 'status', '--help'], 'rollout status (TYPE NAME | TYPE/NAME) [flags] [options]'],
    [['rollout', 'undo', '--help'], 'rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]'],
    [['drain', '--help'], 'drain NODE [options]'],
    [['wait', '--help'], 'wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)])'],
  ];
  for (const [args, usage] of usages) {
    it(`${args.slice(0, -1).join(' ')} --help shows its usage`, async () => expect((await k.run(args)).stdout).toContain(`Usage:\n  kubectl ${usage}`));
  }

  it('prints the rollout group help and rejects an unknown sub-verb', async () => {
    const res = await k.run(['rollout']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('Available Commands:\n  history       View rollout history\n');
    expect(await k.run(['rollout', 'bogus'])).toEqual({ code: 1, stdout: '', stderr: "error: unknown command \"bogus\"\nSee 'kubectl rollout -h' for help and examples\n" });
  });
});
