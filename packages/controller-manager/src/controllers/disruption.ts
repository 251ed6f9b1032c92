/**
 * The disruption controller (pkg/controller/disruption): keeps the status of every policy/v1
 * PodDisruptionBudget — expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, the
 * DisruptionAllowed condition — which the eviction subresource reads and decrements. Entries the
 * eviction subresource adds to `disruptedPods` are dropped once their pod is gone or terminating,
 * or after the deletion timeout (then a NotDeleted Event on the pod). A sync that fails for any
 * reason but a conflict writes the fail-safe status (disruptionsAllowed 0, SyncFailed).
 *
 * Expected counts come from the pods' controllers: a Deployment through its ReplicaSet, a bare
 * ReplicaSet, or any kind with a scale subresource (upstream's finders; kubesim serves no
 * ReplicationController or StatefulSet yet, the scale finder covers them once it does).
 */
import {
  Controller,
  clone,
  findResource,
  findResourceByKind,
  isReason,
  objectKey,
  type DeepReadonly,
  type Deployment,
  type EventRecorder,
  type Informer,
  type LogFn,
  type OwnerReference,
  type Pod,
  type PodDisruptionBudget,
  type PodDisruptionBudgetStatus,
  type ReconcileResult,
  type ReplicaSet,
  type ResourceClient,
  type Scale,
} from '@kubesim/api';
import { controllerOf } from '../controller-ref.js';
import {
  budgetSelector,
  budgetStatus,
  budgetTarget,
  countHealthy,
  expectedScale,
  failSafeStatus,
  needsControllerScale,
  pruneDisruptedPods,
  statusChanged,
  type ControllerScale,
} from '../disruption-status.js';
import { formatTime } from '../pods.js';
import { errorMessage, recorderFor, type ControllerContext, type ManagedController } from './context.js';

const PDBS = findResource('policy', 'v1', 'poddisruptionbudgets')!;
const PODS = findResource('', 'v1', 'pods')!;
const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;

/** Budgets synced at once (upstream runs one worker). */
const WORKERS = 2;

type PdbView = DeepReadonly<PodDisruptionBudget>;
type PodView = DeepReadonly<Pod>;

/** Registers its handlers on construction; `run` starts its workers. */
export class DisruptionController implements ManagedController {
  readonly name = 'disruption';
  readonly runner: Controller;
  private readonly pdbs: Informer<PodDisruptionBudget>;
  private readonly pods: Informer<Pod>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly deployments: Informer<Deployment>;
  private readonly pdbClient: ResourceClient<PodDisruptionBudget>;
  private readonly recorder: EventRecorder;
  private readonly deletionTimeoutMs: number;
  private readonly log: LogFn;

  constructor(private readonly ctx: ControllerContext) {
    this.pdbs = ctx.informers.informer<PodDisruptionBudget>(PDBS);
    this.pods = ctx.informers.informer<Pod>(PODS);
    this.replicaSets = ctx.informers.informer<ReplicaSet>(REPLICASETS);
    this.deployments = ctx.informers.informer<Deployment>(DEPLOYMENTS);
    this.pdbClient = ctx.client.resource<PodDisruptionBudget>(PDBS);
    this.recorder = recorderFor(ctx, 'controllermanager');
    this.deletionTimeoutMs = ctx.settings.pdbDeletionTimeoutMs;
    this.log = ctx.log('disruption-controller');
    this.runner = new Controller({
      name: 'disruption-controller',
      reconcile: (key) => this.reconcile(key),
      workers: WORKERS,
      clock: ctx.clock,
      log: this.log,
    });
    const enqueue = (b: PdbView) => this.runner.enqueue(objectKey(b));
    this.pdbs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, b) => enqueue(b), onDelete: enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueBudgetsOf(p),
      // The old labels too: a pod relabelled out of a budget changes that budget's counts.
      onUpdate: (old, cur) => this.enqueueBudgetsOf(old, cur),
      onDelete: (p) => this.enqueueBudgetsOf(p),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.start(signal);
  }

  /** Recomputes and, when it changed, writes the status of budget `key`. */
  async reconcile(key: string): Promise<void | ReconcileResult> {
    const pdb = this.pdbs.get(key);
    if (!pdb) return;
    try {
      return await this.trySync(pdb);
    } catch (err) {
      if (isReason(err, 'Conflict')) throw err;
      this.log('warn', 'failed to sync PodDisruptionBudget', { pdb: key, error: errorMessage(err) });
      await this.writeStatus(pdb, failSafeStatus(pdb, errorMessage(err), formatTime(this.ctx.clock.now())));
    }
  }

  private async trySync(pdb: PdbView): Promise<void | ReconcileResult> {
    const pods = this.podsOf(pdb);
    if (pods.length === 0) void this.recorder.record(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let scale = 0;
    if (needsControllerScale(pdb.spec)) {
      const found = await expectedScale(pods, (ref, ns) => this.findScale(ref, ns)).catch((err: unknown) => {
        void this.recorder.record(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorMessage(err)}`);
        throw err;
      });
      if (found.unmanagedPods.length > 0) this.recordUnmanaged(pdb);
      scale = found.expectedCount;
    }
    const now = this.ctx.clock.now();
    const target = budgetTarget(pdb.spec, pods.length, scale);
    const disrupted = pruneDisruptedPods(pdb.status?.disruptedPods, pods, now, this.deletionTimeoutMs);
    for (const name of disrupted.overdue) this.recordNotDeleted(pdb, name);
    const status = budgetStatus(pdb, { ...target, currentHealthy: countHealthy(pods, disrupted.kept), disruptedPods: disrupted.kept }, formatTime(now));
    await this.writeStatus(pdb, status);
    return disrupted.recheckAfterMs === undefined ? undefined : { requeueAfterMs: disrupted.recheckAfterMs };
  }

  /** The pods the budget's selector matches in its namespace (none for a null selector). */
  private podsOf(pdb: PdbView): PodView[] {
    const selector = budgetSelector(pdb);
    return selector ? this.pods.byLabelSelector(selector, pdb.metadata.namespace ?? '') : [];
  }

  /** Writes the status subresource when it says something new; 409 on a stale budget. */
  private async writeStatus(pdb: PdbView, status: PodDisruptionBudgetStatus): Promise<void> {
    if (!statusChanged(pdb.status, status)) return;
    await this.pdbClient.updateStatus({ ...(clone(pdb) as PodDisruptionBudget), status });
  }

  /** upstream's finders in order: Deployment via its ReplicaSet, ReplicaSet, any scale subresource. */
  private async findScale(ref: DeepReadonly<OwnerReference>, namespace: string): Promise<ControllerScale | undefined> {
    if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) return this.replicaSetScale(ref, namespace);
    return this.scaleSubresource(ref, namespace);
  }

  private replicaSetScale(ref: DeepReadonly<OwnerReference>, namespace: string): ControllerScale | undefined {
    const rs = this.replicaSets.get(`${namespace}/${ref.name}`);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    const owner = controllerOf(rs.metadata);
    if (!owner || owner.kind !== 'Deployment') return { uid: rs.metadata.uid!, scale: rs.spec?.replicas ?? 1 };
    const d = this.deployments.get(`${namespace}/${owner.name}`);
    if (!d || d.metadata.uid !== owner.uid) return undefined;
    return { uid: d.metadata.uid!, scale: d.spec?.replicas ?? 1 };
  }

  private async scaleSubresource(ref: DeepReadonly<OwnerReference>, namespace: string): Promise<ControllerScale | undefined> {
    const info = findResourceByKind(ref.apiVersion, ref.kind);
    if (!info?.subresources.includes('scale')) return undefined;
    try {
      const scale = await this.ctx.client.resource<Scale>(info).get(namespace, ref.name, 'scale');
      if (scale.metadata.uid && scale.metadata.uid !== ref.uid) return undefined;
      return { uid: ref.uid, scale: scale.spec?.replicas ?? 0 };
    } catch (err) {
      if (isReason(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  private recordUnmanaged(pdb: PdbView): void {
    const selector = JSON.stringify(pdb.spec?.selector ?? null);
    void this.recorder.record(
      pdb,
      'Warning',
      'UnmanagedPods',
      `Pods selected by this PodDisruptionBudget (selector: ${selector}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
    );
  }

  private recordNotDeleted(pdb: PdbView, podName: string): void {
    const pod = this.pods.get(`${pdb.metadata.namespace}/${podName}`);
    if (pod) void this.recorder.record(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${objectKey(pdb)} to be deleted but it wasn't`);
  }

  /** Enqueues every budget in the pods' namespace whose selector matches any of them. */
  private enqueueBudgetsOf(...pods: PodView[]): void {
    const ns = pods[0].metadata.namespace ?? '';
    for (const pdb of this.pdbs.byNamespace(ns)) {
      let selector;
      try {
        selector = budgetSelector(pdb);
      } catch {
        continue;
      }
      if (selector && pods.some((p) => selector.matches(p.metadata.labels))) this.runner.enqueue(objectKey(pdb));
    }
  }
}
