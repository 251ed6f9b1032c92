/**
 * cordon, uncordon and drain with the stock kubectl against a whole cluster of real processes
 * (nats-server, apiserver, controller-manager, scheduler, three kubelets): drain evicts through
 * `pods/eviction`, the disruption controller keeps each PodDisruptionBudget's status, and the
 * eviction subresource answers 429 where an eviction would break a budget.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Informer, type DeepReadonly, type Deployment, type Node, type Pod, type PodDisruptionBudget } from '@kubesim/api';
import { TestCluster, writeKubeconfig } from '@kubesim/testing';
import { eventually, namespace, res, webDeployment } from './harness.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';

const isReady = (p: DeepReadonly<Pod>) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const isLive = (p: DeepReadonly<Pod>) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** A web Deployment whose pods are Ready once their HTTP server answers. */
function probedWeb(ns: string, name: string, replicas: number, nodeSelector?: Record<string, string>): Deployment {
  const d = webDeployment(ns, name, replicas);
  const spec = d.spec!.template.spec!;
  spec.containers[0].readinessProbe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 };
  if (nodeSelector) spec.nodeSelector = nodeSelector;
  return d;
}

function budget(ns: string, app: string, spec: { minAvailable?: number; maxUnavailable?: number }): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: app, namespace: ns }, spec: { selector: { matchLabels: { app } }, ...spec } };
}

describe('drain, cordon and uncordon with the stock kubectl', () => {
  let cluster: TestCluster;
  let dir: string;

  beforeAll(async () => {
    cluster = await new TestCluster({ nodes: 3 }).start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-drain-'));
    writeKubeconfig(path.join(dir, 'kubeconfig'), cluster.cp.apiserver.url);
  }, 90_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      const procs = [cluster.controllerManager, cluster.scheduler, ...cluster.kubelets.values()];
      for (const p of procs) if (p) console.error(`---- ${p.name} (${p.running ? 'running' : 'exited'})\n${p.log.slice(-3000)}`);
    });
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const client = () => cluster.cp.natsClient;
  const pods = () => res<Pod>(client(), 'pods');
  const nodes = () => res<Node>(client(), 'nodes');
  const budgets = () => res<PodDisruptionBudget>(client(), 'poddisruptionbudgets');

  async function kubectl(args: string[], timeoutMs = 120_000): Promise<{ stdout: string; stderr: string; code: number }> {
    try {
      const env = { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig') };
      const { stdout, stderr } = await run(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), ...args], { env, timeout: timeoutMs });
      return { stdout, stderr, code: 0 };
    } catch (err: any) {
      return { stdout: err.stdout ?? '', stderr: err.stderr ?? String(err), code: typeof err.code === 'number' ? err.code : 1 };
    }
  }

  async function readyPods(ns: string, app: string, n: number): Promise<Pod[]> {
    return eventually(async () => {
      const list = (await pods().list({ namespace: ns, labelSelector: `app=${app}` })).items.filter(isLive);
      return list.length === n && list.every(isReady) ? list : undefined;
    }, `${n} ready ${app} pods in ${ns}`, 60_000);
  }

  async function budgetSettled(ns: string, name: string, allowed: number): Promise<PodDisruptionBudget> {
    return eventually(async () => {
      const b = await budgets().get(ns, name);
      return b.status?.observedGeneration === b.metadata.generation && b.status?.disruptionsAllowed === allowed && b.status?.expectedPods ? b : undefined;
    }, `${ns}/${name} allowing ${allowed} disruptions`);
  }

  /** Watches the app's pods throughout and records the fewest Ready, not terminating ones. */
  async function watchMinReady(ns: string, app: string): Promise<{ minReady: () => number; stop: () => void }> {
    const stop = new AbortController();
    const informer = new Informer<Pod>(pods(), { namespace: ns, labelSelector: `app=${app}`, log: () => undefined });
    let minReady = Infinity;
    let synced = false;
    const measure = () => {
      // The first list arrives one pod at a time: only whole states count.
      if (synced) minReady = Math.min(minReady, informer.list().filter((p) => isLive(p) && isReady(p) && p.metadata.labels?.app === app).length);
    };
    informer.addEventHandler({ onAdd: measure, onUpdate: measure, onDelete: measure });
    void informer.start(stop.signal);
    await informer.waitForSync(stop.signal);
    synced = true;
    measure();
    return { minReady: () => minReady, stop: () => stop.abort() };
  }

  it('drains node-1 while a budget of minAvailable 2 keeps two of three pods Ready', async () => {
    const ns = await namespace(client(), 'drain');
    // All three on node-1, so the drain has to wait for the budget between evictions.
    for (const n of ['node-2', 'node-3']) await kubectl(['cordon', n]);
    // The scheduler learns of the cordons through its watch; give it a moment.
    await new Promise((r) => setTimeout(r, 500));
    await res<Deployment>(client(), 'deployments').create(probedWeb(ns, 'web', 3));
    const before = await readyPods(ns, 'web', 3);
    expect(before.map((p) => p.spec?.nodeName)).toEqual(['node-1', 'node-1', 'node-1']);
    for (const n of ['node-2', 'node-3']) await kubectl(['uncordon', n]);
    await budgets().create(budget(ns, 'web', { minAvailable: 2 }));
    const settled = await budgetSettled(ns, 'web', 1);
    expect(settled.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    expect(settled.status?.conditions?.find((c) => c.type === 'DisruptionAllowed')).toMatchObject({ status: 'True', reason: 'SufficientPods' });

    const watcher = await watchMinReady(ns, 'web');
    const drained = await kubectl(['drain', '--ignore-daemonsets', '--delete-emptydir-data', 'node-1']);
    watcher.stop();
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toContain('node/node-1 cordoned');
    expect(drained.stdout).toContain('node/node-1 drained');
    for (const p of before) expect(drained.stdout).toContain(`pod/${p.metadata.name} evicted`);
    expect(drained.stderr).toContain("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.");
    // Each eviction took one pod away and the next waited for its replacement: down to 2, never below.
    expect(watcher.minReady()).toBe(2);

    const after = await readyPods(ns, 'web', 3);
    expect(after.filter((p) => p.spec?.nodeName === 'node-1')).toEqual([]);
    expect((await nodes().get(undefined, 'node-1')).spec?.unschedulable).toBe(true);
    expect((await kubectl(['get', 'node', 'node-1'])).stdout).toMatch(/node-1\s+Ready,SchedulingDisabled/);
    await budgetSettled(ns, 'web', 1);
  }, 180_000);

  it('schedules onto node-1 again once uncordoned', async () => {
    const ns = await namespace(client(), 'uncordon');
    await kubectl(['cordon', 'node-1']);
    await res<Deployment>(client(), 'deployments').create(probedWeb(ns, 'pinned', 1, { 'kubernetes.io/hostname': 'node-1' }));
    await eventually(async () => (await pods().list({ namespace: ns })).items.length === 1, 'the pinned pod');
    await new Promise((r) => setTimeout(r, 1_500));
    const waiting = (await pods().list({ namespace: ns })).items;
    expect(waiting.map((p) => p.spec?.nodeName ?? null)).toEqual([null]);

    const uncordoned = await kubectl(['uncordon', 'node-1']);
    expect(uncordoned.stdout).toContain('node/node-1 uncordoned');
    expect((await nodes().get(undefined, 'node-1')).spec?.unschedulable).toBeFalsy();
    const [running] = await readyPods(ns, 'pinned', 1);
    expect(running.spec?.nodeName).toBe('node-1');
  }, 120_000);

  it('keeps retrying and evicts nothing while a budget of maxUnavailable 0 forbids it', async () => {
    const ns = await namespace(client(), 'guard');
    await kubectl(['uncordon', 'node-1']);
    await res<Deployment>(client(), 'deployments').create(probedWeb(ns, 'guard', 2, { 'kubernetes.io/hostname': 'node-1' }));
    const before = await readyPods(ns, 'guard', 2);
    await budgets().create(budget(ns, 'guard', { maxUnavailable: 0 }));
    const settled = await budgetSettled(ns, 'guard', 0);
    expect(settled.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 });
    expect(settled.status?.conditions?.find((c) => c.type === 'DisruptionAllowed')).toMatchObject({ status: 'False', reason: 'InsufficientPods' });

    const drained = await kubectl(['drain', '--ignore-daemonsets', '--delete-emptydir-data', '--pod-selector', 'app=guard', '--timeout', '12s', 'node-1']);
    expect(drained.code).not.toBe(0);
    const retries = drained.stderr.match(/\(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./g) ?? [];
    expect(retries.length).toBeGreaterThanOrEqual(4);
    expect(drained.stderr).toContain('global timeout reached: 12s');

    const after = (await pods().list({ namespace: ns })).items;
    expect(after.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
    expect(after.every((p) => !p.metadata.deletionTimestamp && p.spec?.nodeName === 'node-1')).toBe(true);

    expect((await kubectl(['uncordon', 'node-1'])).stdout).toContain('node/node-1 uncordoned');
    expect((await nodes().get(undefined, 'node-1')).spec?.unschedulable).toBeFalsy();
  }, 120_000);
});
