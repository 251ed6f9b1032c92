/** Shared pieces of the end-to-end suites: a real kubelet process against a real control plane. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findResource, type ApiClient, type Event, type Pod } from '@kubesim/api';
import { eventually, repoPath, TestProcess, type TestControlPlane } from '@kubesim/testing';
import { findContainerProcesses } from '../src/runtime/proc.js';

export const PODS = findResource('', 'v1', 'pods')!;
export const EVENTS = findResource('', 'v1', 'events')!;

const KUBELET_MAIN = repoPath('packages/kubelet/dist/main.js');

/** A fresh root directory for a kubelet. */
export function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-kubelet-'));
}

/** Starts `kubesim-kubelet` for `node` with the fast profile. */
export function startKubelet(cp: TestControlPlane, root: string, node = 'node-1', extra: string[] = []): TestProcess {
  return new TestProcess(`kubelet ${node}`, process.execPath, [KUBELET_MAIN, '--node-name', node, '--nats-url', cp.nats.url, '--profile', 'fast', '--root-dir', root, ...extra]);
}

/** Polls `fn` until it returns a value other than undefined/false, or fails after `timeoutMs` (with `proc`'s log). */
export function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, proc?: TestProcess): Promise<T> {
  return eventually(what, fn, { timeoutMs, context: proc ? () => `--- ${proc.name} log ---\n${proc.log.slice(-4000)}` : undefined });
}

/** Creates a pod already bound to `node` (no scheduler needed). */
export function createPod(client: ApiClient, name: string, spec: Partial<NonNullable<Pod['spec']>>, node = 'node-1', namespace = 'default'): Promise<Pod> {
  return client.resource<Pod>(PODS).create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { nodeName: node, terminationGracePeriodSeconds: 5, containers: [], ...spec },
  });
}

export function getPod(client: ApiClient, name: string, namespace = 'default'): Promise<Pod> {
  return client.resource<Pod>(PODS).get(namespace, name);
}

/** The pod once `pred` holds for it. */
export function podWhen(client: ApiClient, name: string, what: string, pred: (p: Pod) => boolean, timeoutMs = 20_000, proc?: TestProcess): Promise<Pod> {
  return waitFor(`pod ${name}: ${what}`, async () => {
    const p = await getPod(client, name);
    return pred(p) ? p : undefined;
  }, timeoutMs, proc);
}

/** Events about a pod, oldest first, as `reason: message`. */
export async function podEvents(client: ApiClient, name: string, namespace = 'default'): Promise<string[]> {
  const list = await client.resource<Event>(EVENTS).list({ namespace });
  return list.items
    .filter((e) => e.involvedObject.name === name)
    .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.reason}: ${e.message}`);
}

/** The pid recorded for a container's latest attempt. */
export function recordedPid(root: string, uid: string, container: string): number | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'pods', uid, 'containers', container, 'state.json'), 'utf8')).pid;
  } catch {
    return undefined;
  }
}

/** True while `pid` is a live (non-zombie) process. */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

/** Pids of live processes whose environment names an exit file under `root`: the node's containers. */
export function containerPids(root: string): number[] {
  return findContainerProcesses(root).map((p) => p.pid);
}

/** SIGKILLs every container process under `root` (suite cleanup). */
export function killContainers(root: string): void {
  for (const pid of containerPids(root)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
