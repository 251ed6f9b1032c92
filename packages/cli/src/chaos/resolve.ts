/**
 * From a planned fault to the processes it signals. Only pids recorded in state.json (checked
 * against their recorded start time) or found in /proc as this cluster's container processes
 * (by the exit file under `<data-dir>/nodes/<node>`) are ever returned.
 */
import path from 'node:path';
import { RESOURCES, type ApiClient, type Pod } from '@kubesim/api';
import { findContainerProcesses } from '@kubesim/kubelet';
import { isAlive, type ProcessRef } from '../processes.js';
import type { ClusterState } from '../state.js';
import { liveComponent } from '../stop.js';
import type { PlannedFault } from './schedule.js';
import type { TargetKind } from './target.js';

/** A process a fault will signal; containers are signalled as a process group. */
export interface TargetProcess extends ProcessRef {
  /** The component's name, or `pod <ns>/<name>` for a container. */
  owner: string;
  group: boolean;
}

/** The processes behind one target at the time of a fault. */
export interface ResolvedTarget {
  /** As the command line spells it: `node/node-2`, `pod/default/web-1`, `component/lb`, `nats`. */
  label: string;
  /** The node, for a node target (the NATS relay to cut is found by it). */
  node: string | null;
  processes: TargetProcess[];
}

/** What resolution reads: the data dir, a fresh state.json, and the apiserver for pods. */
export interface ClusterView {
  dataDir: string;
  state: ClusterState;
  client: ApiClient;
}

/** Component name of the NATS relay in front of `node`'s kubelet and proxy. */
export const relayComponent = (node: string) => `nats-relay-${node}`;

const isApiserver = (name: string) => /^apiserver(-\d+)?$/.test(name);
const isRelay = (name: string) => name.startsWith('nats-relay-');
const pods = RESOURCES.find((r) => r.plural === 'pods')!;

/** The names a fault of `kind` can hit, sorted, so a seeded pick always means the same one. */
export async function candidates(kind: TargetKind, view: ClusterView): Promise<string[]> {
  const names = view.state.components.map((c) => c.name);
  switch (kind) {
    case 'node':
      return names.filter((n) => n.startsWith('kubelet-')).map((n) => n.slice('kubelet-'.length)).sort();
    case 'component':
      return names.filter((n) => n !== 'nats-server' && !isApiserver(n) && !isRelay(n)).sort();
    case 'apiserver':
      return names.filter(isApiserver).sort();
    case 'nats':
      return names.filter((n) => n === 'nats-server');
    case 'pod': {
      const list = await view.client.resource<Pod>(pods).list();
      return list.items
        .filter((p) => p.spec?.nodeName && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
        .sort();
    }
  }
}

/** The target of `fault` now, or an error message saying why there is nothing to hit. */
export async function resolveTarget(fault: PlannedFault, view: ClusterView): Promise<ResolvedTarget | { error: string }> {
  const t = fault.target;
  let name: string;
  if (t.kind === 'node' || t.kind === 'component') name = t.name;
  else if (t.kind === 'pod') name = `${t.namespace}/${t.name}`;
  else {
    const names = await candidates(fault.kind, view);
    if (names.length === 0) return { error: `no ${fault.kind} to hit` };
    name = names[Math.floor(fault.pick * names.length)];
  }
  return resolveNamed(fault.kind, name, view);
}

async function resolveNamed(kind: TargetKind, name: string, view: ClusterView): Promise<ResolvedTarget | { error: string }> {
  const label = kind === 'apiserver' || kind === 'nats' ? name.replace('nats-server', 'nats') : `${kind}/${name}`;
  let processes: TargetProcess[];
  if (kind === 'node') {
    if (!view.state.components.some((c) => c.name === `kubelet-${name}`)) return { error: `no node ${name} in this cluster` };
    processes = [...components(view, [`kubelet-${name}`, `proxy-${name}`]), ...containers(view.dataDir, name, null, 'container')];
  } else if (kind === 'pod') {
    const found = await podProcesses(name, view);
    if ('error' in found) return found;
    processes = found;
  } else {
    if (!view.state.components.some((c) => c.name === name)) return { error: `no component ${name} in this cluster` };
    processes = components(view, [name]);
  }
  if (processes.length === 0) return { error: `${label} has no running process` };
  return { label, node: kind === 'node' ? name : null, processes };
}

function components(view: ClusterView, names: string[]): TargetProcess[] {
  return view.state.components
    .filter((c) => names.includes(c.name))
    .flatMap((c) => {
      const ref = liveComponent(c);
      return ref ? [{ ...ref, owner: c.name, group: false }] : [];
    });
}

/** The container processes of `node`, only those of the pod with `uid` when given. */
function containers(dataDir: string, node: string, uid: string | null, owner: string): TargetProcess[] {
  return findContainerProcesses(path.join(dataDir, 'nodes', node))
    .filter((p) => uid === null || p.exitFile.includes(`/pods/${uid}/`))
    .map((p) => ({ pid: p.pid, startTicks: p.startTime, owner, group: true }))
    .filter(isAlive);
}

async function podProcesses(nsName: string, view: ClusterView): Promise<TargetProcess[] | { error: string }> {
  const [namespace, name] = nsName.split('/');
  let pod: Pod;
  try {
    pod = await view.client.resource<Pod>(pods).get(namespace, name);
  } catch (err) {
    return { error: `pod ${nsName}: ${(err as Error).message}` };
  }
  const node = pod.spec?.nodeName;
  if (!node) return { error: `pod ${nsName} is not scheduled` };
  return containers(view.dataDir, node, pod.metadata.uid ?? '', `pod ${nsName}`);
}
