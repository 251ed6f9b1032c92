/**
 * Rollouts end to end: the controller-manager and a kubelet (node-1) run as real processes, so
 * `rollout status`, `history`, `undo` and `restart` see the ReplicaSets and statuses the
 * Deployment controller writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResourceByKind } from '@kubesim/api';
import { TestCluster } from '@kubesim/testing';
import { KubectlHarness, until } from './harness.js';

const PODS = findResourceByKind('v1', 'Pod')!;

let cluster: TestCluster;
let k: KubectlHarness;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: roll}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: node-1
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: kubesim/web:v1
`;

beforeAll(async () => {
  cluster = await new TestCluster({ nodes: 1, controllerManager: true, scheduler: false }).start();
  k = new KubectlHarness(cluster.cp.apiserver.url);
  await k.run(['create', 'namespace', 'roll']);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  k?.cleanup();
});

/** Runs `rollout status` to its end and checks it ended in success. */
async function rolledOut(): Promise<void> {
  const res = await k.run(['rollout', 'status', 'deployment/web', '--timeout=50s', '-n', 'roll']);
  expect(res).toMatchObject({ code: 0, stderr: '' });
  expect(res.stdout).toMatch(/(^|\n)deployment "web" successfully rolled out\n$/);
  for (const line of res.stdout.trimEnd().split('\n').slice(0, -1)) expect(line).toMatch(/^Waiting for deployment (spec update to be observed|"web" rollout to finish: .*)\.\.\.$/);
}

async function images(): Promise<string[]> {
  const pods = await cluster.cp.httpClient.resource(PODS).list({ namespace: 'roll' });
  return pods.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => (p as unknown as { spec: { containers: { image: string }[] } }).spec.containers[0].image);
}

describe('rollouts driven by the Deployment controller', () => {
  it('waits for a new Deployment to become available', async () => {
    expect((await k.run(['apply', '-f', '-'], WEB)).stdout).toBe('deployment.apps/web created\n');
    await rolledOut();
    expect(await images()).toEqual(['kubesim/web:v1', 'kubesim/web:v1', 'kubesim/web:v1']);
  });

  it('rolls out a new image and records a revision', async () => {
    expect((await k.run(['set', 'image', 'deployment/web', 'web=kubesim/web:v2', '-n', 'roll'])).stdout).toBe('deployment.apps/web image updated\n');
    await rolledOut();
    await until(async () => (await images()).join() === 'kubesim/web:v2,kubesim/web:v2,kubesim/web:v2', 30_000, 'old pods gone');
    expect((await k.run(['rollout', 'history', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
  });

  it('undoes to the previous revision, which moves to the top of the history', async () => {
    expect((await k.run(['rollout', 'undo', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web rolled back\n');
    await rolledOut();
    await until(async () => (await images()).join() === 'kubesim/web:v1,kubesim/web:v1,kubesim/web:v1', 30_000, 'v2 pods gone');
    await until(async () => (await k.run(['rollout', 'history', 'deployment/web', '-n', 'roll'])).stdout.includes('\n3 '), 10_000, 'revision 3');
    expect((await k.run(['rollout', 'history', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    expect((await k.run(['rollout', 'undo', 'deployment/web', '--to-revision=3', '-n', 'roll'])).stdout).toBe(
      'deployment.apps/web skipped rollback (current template already matches revision 3)\n',
    );
  });

  it('restarts into a new revision with the change cause the Deployment carries', async () => {
    await k.run(['annotate', 'deployment/web', 'kubernetes.io/change-cause=restart for config', '-n', 'roll']);
    expect((await k.run(['rollout', 'restart', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web restarted\n');
    await rolledOut();
    await until(async () => (await k.run(['rollout', 'history', 'deployment/web', '-n', 'roll'])).stdout.includes('\n4 '), 10_000, 'revision 4');
    expect((await k.run(['rollout', 'history', 'deployment/web', '-n', 'roll'])).stdout).toMatch(/\n4 {9}restart for config\n\n$/);
  });

  it('holds changes while paused and rolls them out on resume', async () => {
    expect((await k.run(['rollout', 'pause', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web paused\n');
    await k.run(['set', 'image', 'deployment/web', 'web=kubesim/web:v2', '-n', 'roll']);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await images()).not.toContain('kubesim/web:v2');
    expect((await k.run(['rollout', 'resume', 'deployment/web', '-n', 'roll'])).stdout).toBe('deployment.apps/web resumed\n');
    await rolledOut();
    await until(async () => (await images()).every((i) => i === 'kubesim/web:v2'), 30_000, 'v2 everywhere');
  });

  it('scales through the scale subresource', async () => {
    expect((await k.run(['scale', 'deployment/web', '--replicas=1', '-n', 'roll'])).stdout).toBe('deployment.apps/web scaled\n');
    await rolledOut();
    await until(async () => (await images()).length === 1, 30_000, 'one pod left');
  });
});
