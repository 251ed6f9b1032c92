/**
 * The pods bound to this node: an informer on `spec.nodeName=<node>` drives one PodWorker per pod
 * uid, a status writer sends each pod's computed status when it differs from the API's, and on
 * start the state a previous kubelet left is reconciled first: live container processes are
 * adopted, those of pods that are gone are killed and their files removed.
 */
import {
  Controller,
  Informer,
  findResource,
  isReason,
  type ApiClient,
  type DeepReadonly,
  type LogFn,
  type Pod,
  type PodStatus,
} from '@kubesim/api';
import type { NodeLayout, ContainerRecord } from './layout.js';
import type { LogTarget } from './logs.js';
import type { ExecTarget } from './exec-server.js';
import { PodWorker, type PodWorkerDeps } from './pod-worker.js';
import { findContainerProcesses, isSameProcess, killAndWait, processContainerSpec, type FoundProcess } from './runtime/proc.js';
import type { ContainerHandle } from './runtime/types.js';
import { computePodStatus } from './status.js';

const PODS = findResource('', 'v1', 'pods')!;

export interface PodManagerOptions {
  client: ApiClient;
  nodeName: string;
  layout: NodeLayout;
  /** Everything a worker needs, except the status callback the manager supplies. */
  workerDeps: Omit<PodWorkerDeps, 'onStatusChange' | 'deletePod'>;
  log: LogFn;
}

export class PodManager {
  private readonly workers = new Map<string, PodWorker>();
  private readonly written = new Map<string, { json: string; rv: number }>();
  private informer?: Informer<Pod>;
  private status?: Controller;

  constructor(private readonly o: PodManagerOptions) {}

  /** Recovers, then runs until `signal` aborts. Resolves once the pods are being synced. */
  async start(signal: AbortSignal): Promise<void> {
    const found = findContainerProcesses(this.o.layout.root);
    this.informer = new Informer<Pod>(this.o.client.resource<Pod>(PODS), { fieldSelector: `spec.nodeName=${this.o.nodeName}`, log: this.o.log });
    void this.informer.start(signal);
    if (!(await this.informer.waitForSync(signal))) return;
    this.status = new Controller({ name: 'pod-status', workers: 4, reconcile: (uid) => this.writeStatus(uid), log: this.o.log });
    void this.status.start(signal);
    await this.recover(found);
    this.informer.addEventHandler({
      onAdd: (p) => this.upsert(p),
      onUpdate: (_old, p) => {
        this.upsert(p);
        // Someone else may have written the status (the node lifecycle controller marks pods
        // not ready when the node looked dead): put ours back, as the kubelet's status manager
        // does. writeStatus returns at once when the API already holds what we would write.
        this.status?.enqueue(p.metadata.uid!);
      },
      onDelete: (p) => void this.drop(p.metadata.uid!),
    });
  }

  /** The pod by namespace and name, for the log service. */
  logTarget(namespace: string, name: string): LogTarget | undefined {
    const w = [...this.workers.values()].find((x) => x.current.metadata.namespace === namespace && x.current.metadata.name === name && !x.finished);
    if (!w) return undefined;
    const { layout } = this.o;
    return {
      pod: w.current,
      attempt: (c) => layout.readContainer(w.uid, c)?.attempt,
      running: (c, attempt) => w.isRunning(c) && layout.readContainer(w.uid, c)?.attempt === attempt,
      logPath: (c, attempt) => layout.logFile(w.uid, c, attempt),
      waitingReason: (c) => {
        const v = [...w.view().init, ...w.view().app].find((x) => x.name === c);
        return v && 'waiting' in v.now ? v.now.waiting.reason : 'ContainerCreating';
      },
    };
  }

  /** The pod by namespace and name, for the exec service. */
  execTarget(namespace: string, name: string): ExecTarget | undefined {
    const w = [...this.workers.values()].find((x) => x.current.metadata.namespace === namespace && x.current.metadata.name === name && !x.finished);
    if (!w) return undefined;
    return {
      pod: w.current,
      spec: (c) => {
        if (!w.isRunning(c)) return undefined;
        // A container adopted from an earlier kubelet was not launched by this one: its process's environment holds the spec.
        const pid = this.o.layout.readContainer(w.uid, c)?.pid;
        return w.launchedSpec(c) ?? (pid ? processContainerSpec(pid) : undefined);
      },
    };
  }

  /** Log files of every running container. */
  runningLogs(): string[] {
    const out: string[] = [];
    for (const w of this.workers.values()) {
      for (const c of [...(w.current.spec?.initContainers ?? []), ...(w.current.spec?.containers ?? [])]) {
        if (!w.isRunning(c.name)) continue;
        const rec = this.o.layout.readContainer(w.uid, c.name);
        if (rec) out.push(rec.logPath);
      }
    }
    return out;
  }

  private upsert(pod: DeepReadonly<Pod>): void {
    const uid = pod.metadata.uid!;
    let w = this.workers.get(uid);
    if (!w) {
      w = this.newWorker(pod);
      this.workers.set(uid, w);
    }
    w.update(pod);
  }

  private async drop(uid: string): Promise<void> {
    const w = this.workers.get(uid);
    if (!w) return;
    await w.remove();
    this.workers.delete(uid);
    this.written.delete(uid);
  }

  private newWorker(pod: DeepReadonly<Pod>): PodWorker {
    return new PodWorker(pod, {
      ...this.o.workerDeps,
      onStatusChange: (uid) => this.status?.enqueue(uid),
      deletePod: (p) => this.deletePod(p),
    });
  }

  /** Adopts what still runs for pods still here; kills and removes what belongs to pods that are gone. */
  private async recover(found: FoundProcess[]): Promise<void> {
    const { layout } = this.o;
    const byUid = new Map(this.informer!.list().map((p) => [p.metadata.uid!, p]));
    const adopted = new Set<number>();
    for (const uid of layout.podUids()) {
      const pod = byUid.get(uid);
      if (!pod) {
        await Promise.all(found.filter((f) => f.exitFile.startsWith(`${layout.podDir(uid)}/`)).map((f) => killAndWait(f.pid, f.startTime)));
        layout.removePod(uid);
        this.o.log('info', 'removed a pod that left this node while the kubelet was down', { uid });
        continue;
      }
      const w = this.newWorker(pod);
      this.workers.set(uid, w);
      w.restore((rec) => {
        const h = this.adopt(rec, found);
        if (h?.pid) adopted.add(h.pid);
        return h;
      });
      w.update(pod);
    }
    // Anything else is a stray: an older attempt, or a container of a runtime no longer in use.
    await Promise.all(found.filter((f) => !adopted.has(f.pid)).map((f) => killAndWait(f.pid, f.startTime)));
  }

  private adopt(rec: ContainerRecord, found: FoundProcess[]): ContainerHandle | undefined {
    if (rec.pid === undefined) {
      // Killed between starting the process and recording its pid: find it by its exit file.
      const f = found.find((x) => x.exitFile === rec.exitFile && isSameProcess(x.pid, x.startTime));
      if (f) Object.assign(rec, { pid: f.pid, pidStartTime: f.startTime });
    }
    return this.o.workerDeps.runtime.adopt(rec);
  }

  private async deletePod(pod: DeepReadonly<Pod>): Promise<void> {
    try {
      await this.o.client.resource<Pod>(PODS).delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
    }
  }

  /** Writes a pod's status if it differs from what the API (or our last write) holds. */
  private async writeStatus(uid: string): Promise<void> {
    const w = this.workers.get(uid);
    if (!w || w.finished) return;
    const pod = this.informer?.get(`${w.current.metadata.namespace}/${w.current.metadata.name}`) ?? w.current;
    if (pod.metadata.uid !== uid) return;
    const status = computePodStatus({ ...w.view(), pod });
    const json = canonical(status);
    if (json === canonical(pod.status)) return;
    const last = this.written.get(uid);
    if (last && last.json === json && last.rv >= Number(pod.metadata.resourceVersion)) return;
    try {
      const res = await this.o.client
        .resource<Pod>(PODS)
        .patch(pod.metadata.namespace, pod.metadata.name!, 'json', [{ op: 'test', path: '/metadata/uid', value: uid }, { op: 'add', path: '/status', value: status as PodStatus }], { subresource: 'status' });
      this.written.set(uid, { json, rv: Number(res.metadata.resourceVersion) });
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
  }
}

/** JSON with sorted keys, so equal statuses compare equal whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : val,
  );
}
