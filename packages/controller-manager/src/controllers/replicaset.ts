/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` pods of each
 * ReplicaSet in existence. It adopts matching orphans and releases pods that stopped matching,
 * creates in slow-start bursts, deletes the least valuable pods first, and waits on expectations
 * so a lagging informer never causes a second round of creations or deletions. Pods that are
 * terminating or terminal do not count, so finished pods get replaced.
 */
import {
  Controller,
  TerminalError,
  clone,
  findResource,
  isReason,
  labelSelectorFromObject,
  objectKey,
  type DeepReadonly,
  type Informer,
  type LabelSelectorMatcher,
  type Pod,
  type ReconcileResult,
  type ReplicaSet,
  type ReplicaSetStatus,
  type ResourceClient,
} from '@kubesim/api';
import { claimObjects, controllerOf } from '../controller-ref.js';
import { Expectations } from '../expectations.js';
import { OWNER_UID_INDEX } from '../informers.js';
import { podsToDelete } from '../pod-ranking.js';
import { isPodActive } from '../pods.js';
import { calculateReplicaSetStatus, msUntilNextAvailable, sameReplicaSetStatus } from '../replicaset-status.js';
import { slowStartBatch } from '../slow-start.js';
import { recorderFor, type ControllerContext, type ManagedController } from './context.js';
import { PodControl } from './pod-control.js';

const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;
const PODS = findResource('', 'v1', 'pods')!;

type RSView = DeepReadonly<ReplicaSet>;
type PodView = DeepReadonly<Pod>;

/** Registers its handlers on construction; `run` starts its workers. */
export class ReplicaSetController implements ManagedController {
  readonly name = 'replicaset';
  readonly runner: Controller;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly rsClient: ResourceClient<ReplicaSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly podControl: PodControl;
  private readonly expectations: Expectations;

  constructor(private readonly ctx: ControllerContext) {
    this.replicaSets = ctx.informers.informer<ReplicaSet>(REPLICASETS);
    this.pods = ctx.informers.informer<Pod>(PODS);
    ctx.informers.ensureIndex(PODS, OWNER_UID_INDEX);
    this.rsClient = ctx.client.resource<ReplicaSet>(REPLICASETS);
    this.podClient = ctx.client.resource<Pod>(PODS);
    this.podControl = new PodControl(this.podClient, recorderFor(ctx, 'replicaset-controller'), 'apps/v1', 'ReplicaSet');
    this.expectations = new Expectations(ctx.clock, ctx.settings.expectationsTtlMs);
    this.runner = new Controller({
      name: 'replicaset-controller',
      reconcile: (key) => this.reconcile(key),
      workers: ctx.settings.workers.replicaset,
      clock: ctx.clock,
      log: ctx.log('replicaset-controller'),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.runner.enqueue(objectKey(rs)),
      onUpdate: (_old, cur) => this.runner.enqueue(objectKey(cur)),
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        this.runner.enqueue(objectKey(rs));
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.start(signal);
  }

  /** Brings one ReplicaSet's pods and status in line with its spec. */
  async reconcile(key: string): Promise<void | ReconcileResult> {
    const rs = this.replicaSets.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.selectorOf(rs);
    const owned = await this.claimPods(rs, selector);
    let failure: { error: unknown; diff: number } | undefined;
    const deleted = new Set<string>();
    if (needsSync && !rs.metadata.deletionTimestamp) {
      const diff = owned.length - (rs.spec?.replicas ?? 1);
      try {
        await this.manageReplicas(key, rs, owned, deleted);
      } catch (error) {
        failure = { error, diff };
      }
    }
    // Pods deleted just now are terminating: counting them would overstate what is available.
    const remaining = owned.filter((p) => !deleted.has(objectKey(p)));
    const now = this.ctx.clock.now();
    const status = calculateReplicaSetStatus(rs, remaining, now, failure);
    await this.updateStatus(rs, status);
    if (failure) throw failure.error;
    const next = msUntilNextAvailable(rs, remaining, now);
    return next === undefined ? undefined : { requeueAfterMs: next };
  }

  private selectorOf(rs: RSView): LabelSelectorMatcher {
    try {
      return labelSelectorFromObject(rs.spec?.selector as never);
    } catch (err) {
      throw new TerminalError(`invalid selector of ReplicaSet ${objectKey(rs)}: ${(err as Error).message}`);
    }
  }

  /** The active pods this ReplicaSet owns once orphans are adopted and strays released. */
  private async claimPods(rs: RSView, selector: LabelSelectorMatcher): Promise<PodView[]> {
    const ns = rs.metadata.namespace!;
    const candidates = new Map<string, PodView>();
    for (const p of this.pods.byIndex(OWNER_UID_INDEX, rs.metadata.uid!)) candidates.set(objectKey(p), p);
    if (selector.requirements.length > 0) for (const p of this.pods.byLabelSelector(selector, ns)) candidates.set(objectKey(p), p);
    const active = [...candidates.values()].filter((p) => p.metadata.namespace === ns && isPodActive(p));
    return claimObjects<Pod>(active, {
      client: this.podClient,
      controller: rs,
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      matches: (p) => selector.requirements.length > 0 && selector.matches(p.metadata.labels),
      recheck: () => this.recheck(rs),
    });
  }

  /** Throws unless the ReplicaSet still exists, with the same uid, and is not being deleted. */
  private async recheck(rs: RSView): Promise<void> {
    const fresh = await this.rsClient.get(rs.metadata.namespace, rs.metadata.name!);
    if (fresh.metadata.uid !== rs.metadata.uid) throw new Error(`original ReplicaSet ${objectKey(rs)} is gone: got uid ${fresh.metadata.uid}, wanted ${rs.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp) throw new Error(`ReplicaSet ${objectKey(rs)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  /**
   * Creates or deletes pods to reach spec.replicas, at most burstReplicas per sync; the keys of
   * the pods it deleted are added to `deleted`.
   */
  private async manageReplicas(key: string, rs: RSView, owned: readonly PodView[], deleted: Set<string>): Promise<void> {
    const diff = owned.length - (rs.spec?.replicas ?? 1);
    const burst = this.ctx.settings.burstReplicas;
    if (diff < 0) {
      const count = Math.min(-diff, burst);
      this.expectations.expectCreations(key, count);
      const { successes, error } = await slowStartBatch(count, 1, async () => {
        if ((await this.podControl.create(rs, rs.spec?.template)) === 'namespaceTerminating') this.expectations.creationObserved(key);
      });
      // Creations never attempted, or failed, will never be observed.
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
    } else if (diff > 0) {
      const victims = podsToDelete(owned, this.relatedPods(rs), Math.min(diff, burst));
      this.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
      await this.deleteAll(key, rs, victims, deleted);
    }
  }

  private async deleteAll(key: string, rs: RSView, victims: readonly PodView[], deleted: Set<string>): Promise<void> {
    let firstError: unknown;
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await this.podControl.delete(rs, pod);
          deleted.add(objectKey(pod));
        } catch (err) {
          // A deletion that failed will never be observed.
          this.expectations.deletionObserved(key, objectKey(pod));
          if (isReason(err, 'NotFound')) deleted.add(objectKey(pod));
          else firstError ??= err;
        }
      }),
    );
    if (firstError !== undefined) throw firstError;
  }

  /**
   * Pods whose placement ranks a scale-down: those of every ReplicaSet with the same controller
   * (the sibling ReplicaSets of one Deployment), or this ReplicaSet's own.
   */
  private relatedPods(rs: RSView): PodView[] {
    const owner = controllerOf(rs.metadata);
    const siblings = owner
      ? this.replicaSets.byNamespace(rs.metadata.namespace!).filter((r) => controllerOf(r.metadata)?.uid === owner.uid)
      : [rs];
    return siblings.flatMap((r) => this.pods.byIndex(OWNER_UID_INDEX, r.metadata.uid!)).filter(isPodActive);
  }

  /** Writes the status unless it is unchanged; one retry on a conflict, as upstream. */
  private async updateStatus(rs: RSView, status: ReplicaSetStatus): Promise<void> {
    if (sameReplicaSetStatus(rs.status, status)) return;
    let current: ReplicaSet = clone(rs) as ReplicaSet;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.rsClient.updateStatus({ ...current, status });
        return;
      } catch (err) {
        if (!isReason(err, 'Conflict') || attempt >= 1) throw err;
        current = await this.rsClient.get(rs.metadata.namespace, rs.metadata.name!);
        if (current.metadata.uid !== rs.metadata.uid) return;
      }
    }
  }

  // ---- handlers: they only record observations and enqueue ----

  private podAdded(pod: PodView): void {
    // A pod seen for the first time already terminating (e.g. after a restart) counts as a deletion.
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const rs = this.controllerOfPod(pod);
    if (rs) {
      this.expectations.creationObserved(objectKey(rs));
      this.runner.enqueue(objectKey(rs));
      return;
    }
    if (!controllerOf(pod.metadata)) for (const r of this.matchingReplicaSets(pod)) this.runner.enqueue(objectKey(r));
  }

  private podUpdated(old: PodView, cur: PodView): void {
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion: the RS stops counting the pod now, not when the kubelet is done.
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const oldRef = controllerOf(old.metadata);
    const curRef = controllerOf(cur.metadata);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const oldRS = this.controllerOfPod(old);
      if (oldRS) this.runner.enqueue(objectKey(oldRS));
    }
    if (curRef) {
      const rs = this.controllerOfPod(cur);
      if (rs) this.runner.enqueue(objectKey(rs));
      return;
    }
    if (labelsChanged || refChanged) for (const r of this.matchingReplicaSets(cur)) this.runner.enqueue(objectKey(r));
  }

  private podDeleted(pod: PodView): void {
    const rs = this.controllerOfPod(pod);
    if (!rs) return;
    this.expectations.deletionObserved(objectKey(rs), objectKey(pod));
    this.runner.enqueue(objectKey(rs));
  }

  /** The ReplicaSet a pod's controller reference points at, if it is one we know (same uid). */
  private controllerOfPod(pod: PodView): RSView | undefined {
    const ref = controllerOf(pod.metadata);
    if (!ref || ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets in the pod's namespace whose (non-empty) selector matches it. */
  private matchingReplicaSets(pod: PodView): RSView[] {
    return this.replicaSets.byNamespace(pod.metadata.namespace ?? '').filter((rs) => {
      try {
        const sel = labelSelectorFromObject(rs.spec?.selector as never);
        return sel.requirements.length > 0 && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }
}
