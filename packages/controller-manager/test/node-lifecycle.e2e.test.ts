/**
 * Node failure with real processes (fast profile: grace 4 s, tolerations of 5 s): a kubelet
 * killed with SIGKILL and not restarted leaves its node silent; the node lifecycle controller
 * marks it Unknown and tainted, its pods not ready, then evicts them, and their ReplicaSet runs
 * them again on the other nodes. When the kubelet comes back the node is untainted and the pods
 * it still ran are stopped and gone.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Node, Pod } from '@kubesim/api';
import { findContainerProcesses } from '@kubesim/kubelet';
import { TestCluster } from '@kubesim/testing';
import { eventually, namespace, res, webDeployment } from './harness.js';

describe('node lifecycle with real kubelets', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await new TestCluster({ nodes: 3 }).start();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const client = () => cluster.cp.natsClient;
  const nodes = () => res<Node>(client(), 'nodes');
  const pods = () => res<Pod>(client(), 'pods');
  const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

  it('evicts the pods of a dead node onto the others, then cleans the node up when it returns', async () => {
    const ns = await namespace(client(), 'nodefail');
    await res<Deployment>(client(), 'deployments').create(webDeployment(ns, 'web', 6));
    const running = await eventually(async () => {
      const list = (await pods().list({ namespace: ns })).items;
      return list.length === 6 && list.every(ready) && list.some((p) => p.spec?.nodeName === 'node-2') ? list : undefined;
    }, '6 ready pods, some on node-2');
    const victims = running.filter((p) => p.spec?.nodeName === 'node-2').map((p) => p.metadata.name!);
    const nodeDir = `${cluster.rootDir}/node-2`;
    const orphans = findContainerProcesses(nodeDir).map((p) => p.pid);
    expect(orphans.length).toBe(victims.length);

    const killedAt = Date.now();
    await cluster.kubelets.get('node-2')!.kill('SIGKILL');

    const unknown = await eventually(async () => {
      const n = await nodes().get(undefined, 'node-2');
      const cond = n.status?.conditions?.find((c) => c.type === 'Ready');
      return cond?.status === 'Unknown' && n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
    }, 'node-2 Unknown and tainted', 20_000);
    const notReadyAfter = Date.now() - killedAt;
    expect(unknown.status!.conditions!.find((c) => c.type === 'Ready')!.reason).toBe('NodeStatusUnknown');
    // Its pods leave the Services' endpoints at once: marked not ready.
    const marked = (await pods().list({ namespace: ns })).items.filter((p) => victims.includes(p.metadata.name!));
    expect(marked.every((p) => !ready(p) || p.metadata.deletionTimestamp)).toBe(true);

    await eventually(async () => {
      const list = (await pods().list({ namespace: ns })).items;
      const live = list.filter((p) => !p.metadata.deletionTimestamp);
      return live.length === 6 && live.every((p) => ready(p) && p.spec?.nodeName !== 'node-2') && victims.every((v) => list.find((p) => p.metadata.name === v)?.metadata.deletionTimestamp);
    }, '6 ready pods on node-1 and node-3, node-2 pods terminating', 30_000);
    const recoveredAfter = Date.now() - killedAt;
    console.log(`node-2 killed: NotReady (Unknown + tainted) after ${(notReadyAfter / 1000).toFixed(1)} s, its ${victims.length} pods running again elsewhere after ${(recoveredAfter / 1000).toFixed(1)} s (grace 4 s, toleration 5 s)`);
    // The orphaned containers still run: nobody on node-2 could stop them.
    expect(orphans.filter((pid) => fs.existsSync(`/proc/${pid}`)).length).toBe(orphans.length);

    cluster.startKubelet('node-2');
    await eventually(async () => {
      const n = await nodes().get(undefined, 'node-2');
      const ok = n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return ok && !(n.spec?.taints ?? []).some((t) => t.key.startsWith('node.kubernetes.io/')) ? n : undefined;
    }, 'node-2 Ready and untainted', 20_000);
    await eventually(async () => {
      const list = (await pods().list({ namespace: ns })).items;
      return list.length === 6 && !list.some((p) => victims.includes(p.metadata.name!)) && findContainerProcesses(nodeDir).length === 0;
    }, 'the stale pods gone from the API and their processes stopped', 20_000);
  }, 120_000);
});
