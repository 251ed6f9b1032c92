/**
 * One sync of one Deployment (pkg/controller/deployment sync.go, rolling.go, recreate.go,
 * progress.go): find or create the new ReplicaSet and keep the revision bookkeeping, scale the
 * ReplicaSets by the strategy, and write status. A DeploymentSync lives for one reconcile; it
 * keeps the latest version of every object it wrote, so later steps build on its own writes.
 */
import {
  AlreadyExistsError,
  clone,
  isReason,
  type DeepReadonly,
  type Deployment,
  type DeploymentCondition,
  type DeploymentStatus,
  type EventRecorder,
  type Pod,
  type ReplicaSet,
  type ResourceClient,
} from '@kubesim/api';
import { controllerOf, newControllerRef } from '../controller-ref.js';
import {
  REASONS,
  calculateStatus,
  compactStatus,
  deploymentComplete,
  getCondition,
  hasProgressDeadline,
  msUntilProgressCheck,
  newCondition,
  removeCondition,
  rolloutStatus,
  setCondition,
} from '../deployment-status.js';
import { formatTime } from '../pods.js';
import {
  activeReplicaSets,
  byCreation,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  findActiveOrLatest,
  findNewReplicaSet,
  isSaturated,
} from '../replicaset-order.js';
import { REVISION_ANNOTATION, maxRevision, replicasAnnotationsNeedUpdate, setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations } from '../revisions.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  availableOf,
  availableSum,
  desiredReplicas,
  intAnnotation,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  proportion,
  rsReplicas,
  specReplicaSum,
  statusSum,
} from '../rollout-math.js';
import { canonicalJson } from '../canonical-json.js';
import { POD_TEMPLATE_HASH_LABEL, computeHash, equalIgnoreHash } from '../template-hash.js';
import { errorMessage } from './context.js';

type RSView = DeepReadonly<ReplicaSet>;
type PodView = DeepReadonly<Pod>;

/** What a sync needs besides the Deployment and its ReplicaSets. */
export interface DeploymentSyncDeps {
  deployments: ResourceClient<Deployment>;
  replicaSets: ResourceClient<ReplicaSet>;
  recorder: EventRecorder;
  now: () => number;
  /** The ReplicaSet of that namespace/name in the informer cache, for an AlreadyExists. */
  cachedReplicaSet: (namespace: string, name: string) => RSView | undefined;
}

/** A rollout's new ReplicaSet (none yet, when not asked to create it) and the old ones. */
interface ReplicaSetSplit {
  newRS?: RSView;
  oldRSs: RSView[];
}

/** One reconcile of one Deployment; `run()` once, then discard. */
export class DeploymentSync {
  /** The Deployment as last read or written, with this sync's status changes. */
  d: Deployment;
  /** The Deployment's ReplicaSets, as last read or written. */
  private rsList: RSView[];

  constructor(
    private readonly deps: DeploymentSyncDeps,
    deployment: DeepReadonly<Deployment>,
    replicaSets: readonly RSView[],
    /** Pods by the uid of the ReplicaSet controlling them (Recreate waits on them). */
    private readonly podsByRS: ReadonlyMap<string, readonly PodView[]>,
  ) {
    this.d = clone(deployment) as Deployment;
    this.rsList = [...replicaSets];
  }

  /** Runs the sync; returns when to look again (a pending progress deadline), if ever. */
  async run(): Promise<number | undefined> {
    if (this.d.metadata.deletionTimestamp) {
      await this.syncStatusOnly();
      return undefined;
    }
    await this.checkPausedConditions();
    if (this.d.spec?.paused || (await this.isScalingEvent())) {
      await this.sync();
      return undefined;
    }
    return isRollingUpdate(this.d) ? this.rolloutRolling() : this.rolloutRecreate();
  }

  // ---- the new ReplicaSet and revisions ----

  /** Splits the ReplicaSets into the new one and the old ones, creating the new one if asked. */
  private async split(createIfMissing: boolean): Promise<ReplicaSetSplit> {
    const existing = findNewReplicaSet(this.d, this.rsList);
    const oldRSs = this.rsList.filter((rs) => rs.metadata.uid !== existing?.metadata.uid);
    const newRS = await this.newReplicaSet(existing, oldRSs, createIfMissing);
    return { newRS, oldRSs };
  }

  private async newReplicaSet(existing: RSView | undefined, oldRSs: readonly RSView[], create: boolean): Promise<RSView | undefined> {
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) return this.syncExistingNewReplicaSet(existing, newRevision);
    if (!create) return undefined;
    return this.createNewReplicaSet(oldRSs, newRevision);
  }

  /**
   * The new ReplicaSet exists: give it the Deployment's annotations and the top revision (a
   * rollback moves an old ReplicaSet's number up here), then copy its revision onto the Deployment.
   */
  private async syncExistingNewReplicaSet(existing: RSView, newRevision: number): Promise<RSView> {
    const annotations = { ...(existing.metadata.annotations ?? {}) };
    const changed = setNewReplicaSetAnnotations(this.d.metadata.annotations, annotations, newRevision, true, this.replicaBounds());
    const minReady = this.d.spec?.minReadySeconds ?? 0;
    if (changed || (existing.spec?.minReadySeconds ?? 0) !== minReady) {
      const copy = clone(existing) as ReplicaSet;
      copy.metadata.annotations = annotations;
      copy.spec = { ...copy.spec!, minReadySeconds: minReady };
      return this.remember(await this.deps.replicaSets.update(copy));
    }
    const annotationChanged = setDeploymentRevision((this.d.metadata.annotations ??= {}), annotations[REVISION_ANNOTATION] ?? '');
    let statusChanged = false;
    if (hasProgressDeadline(this.d) && !getCondition(this.d.status, 'Progressing')) {
      this.setCondition(newCondition('Progressing', 'True', REASONS.foundNewReplicaSet, `Found new replica set "${existing.metadata.name}"`, this.deps.now()));
      statusChanged = true;
    }
    await this.writeDeployment(annotationChanged, statusChanged);
    return existing;
  }

  /** Creates the ReplicaSet for the current template, named `<deployment>-<pod-template-hash>`. */
  private async createNewReplicaSet(oldRSs: readonly RSView[], newRevision: number): Promise<RSView> {
    const rs = this.replicaSetForTemplate();
    rs.spec!.replicas = newReplicaSetReplicas(this.d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(this.d.metadata.annotations, (rs.metadata.annotations = {}), newRevision, false, this.replicaBounds());
    let created: RSView;
    let alreadyExisted = false;
    try {
      created = await this.deps.replicaSets.create(rs);
    } catch (err) {
      if (!(err instanceof AlreadyExistsError || isReason(err, 'AlreadyExists'))) return this.failedCreate(rs, err);
      created = await this.adoptExistingOrCollide(rs, err);
      alreadyExisted = true;
    }
    this.remember(created);
    const replicas = rsReplicas(created);
    if (!alreadyExisted && replicas > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    const annotationChanged = setDeploymentRevision((this.d.metadata.annotations ??= {}), String(newRevision));
    let statusChanged = false;
    if (!alreadyExisted && hasProgressDeadline(this.d)) {
      this.setCondition(newCondition('Progressing', 'True', REASONS.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, this.deps.now()));
      statusChanged = true;
    }
    await this.writeDeployment(annotationChanged, statusChanged);
    return created;
  }

  /** The ReplicaSet object for the Deployment's template, with the hash label and selector. */
  private replicaSetForTemplate(): ReplicaSet {
    const d = this.d;
    const hash = computeHash(d.spec!.template, d.status?.collisionCount);
    const template = clone(d.spec!.template);
    template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = clone(d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas: 0, minReadySeconds: d.spec!.minReadySeconds ?? 0, selector, template },
    };
  }

  /**
   * A ReplicaSet of that name exists: ours with the same template (a create whose answer was
   * lost) is simply used; anything else is a hash collision, which bumps collisionCount so the
   * next sync picks another name.
   */
  private async adoptExistingOrCollide(rs: ReplicaSet, err: unknown): Promise<RSView> {
    const ns = rs.metadata.namespace!;
    const name = rs.metadata.name!;
    const found = this.deps.cachedReplicaSet(ns, name) ?? (await this.deps.replicaSets.get(ns, name));
    if (controllerOf(found.metadata)?.uid === this.d.metadata.uid && equalIgnoreHash(this.d.spec?.template, found.spec?.template)) return found;
    this.d.status = { ...this.d.status, collisionCount: (this.d.status?.collisionCount ?? 0) + 1 };
    await this.writeDeployment(false, true);
    throw err;
  }

  /** Records a failed creation on the Deployment (condition and Event), then rethrows. */
  private async failedCreate(rs: ReplicaSet, err: unknown): Promise<never> {
    if (isReason(err, 'Forbidden')) throw err; // the namespace is terminating
    const message = `Failed to create new replica set "${rs.metadata.name}": ${errorMessage(err)}`;
    if (hasProgressDeadline(this.d)) {
      this.setCondition(newCondition('Progressing', 'False', REASONS.failedCreate, message, this.deps.now()));
      await this.writeDeployment(false, true).catch(() => undefined);
    }
    this.event('Warning', REASONS.failedCreate, message);
    throw err;
  }

  // ---- scaling ----

  /** desired-replicas and max-replicas for the ReplicaSets: replicas and replicas + maxSurge. */
  private replicaBounds(): { desired: number; max: number } {
    const desired = desiredReplicas(this.d);
    return { desired, max: desired + maxSurge(this.d) };
  }

  /** Sets a ReplicaSet's size (and its replicas annotations); true when the size changed. */
  private async scaleReplicaSet(rs: RSView, size: number): Promise<boolean> {
    const { desired, max } = this.replicaBounds();
    const sizeChanges = rsReplicas(rs) !== size;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs.metadata.annotations, desired, max)) return false;
    const copy = clone(rs) as ReplicaSet;
    copy.spec = { ...copy.spec!, replicas: size };
    setReplicasAnnotations((copy.metadata.annotations ??= {}), desired, max);
    const updated = this.remember(await this.deps.replicaSets.update(copy));
    if (sizeChanges) {
      const from = rsReplicas(rs);
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${from < size ? 'up' : 'down'} replica set ${updated.metadata.name} from ${from} to ${size}`);
    }
    return sizeChanges;
  }

  /** scaleReplicaSet, skipped when the size is already right (scaleReplicaSetAndRecordEvent). */
  private async scaleTo(rs: RSView, size: number): Promise<boolean> {
    if (rsReplicas(rs) === size) return false;
    return this.scaleReplicaSet(rs, size);
  }

  /** True when an active ReplicaSet was last sized for another replicas count (isScalingEvent). */
  private async isScalingEvent(): Promise<boolean> {
    const { newRS, oldRSs } = await this.split(false);
    const replicas = desiredReplicas(this.d);
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      return desired !== undefined && desired !== replicas;
    });
  }

  /** A scaling or a paused Deployment: resize without rolling out (sync). */
  private async sync(): Promise<void> {
    const { newRS, oldRSs } = await this.split(false);
    await this.scale(newRS, oldRSs);
    if (this.d.spec?.paused) await this.cleanup(this.latest(oldRSs));
    await this.syncStatus(this.latestAll(newRS, oldRSs), this.latest1(newRS));
  }

  /**
   * Resizes for a new replicas count (scale): the single active ReplicaSet takes it all; during
   * a rolling update, the change is spread over the active ReplicaSets in proportion to their
   * size, leftovers going to the largest.
   */
  private async scale(newRS: RSView | undefined, oldRSs: readonly RSView[]): Promise<void> {
    const replicas = desiredReplicas(this.d);
    const single = findActiveOrLatest(newRS, oldRSs);
    if (single) {
      await this.scaleTo(single, replicas);
      return;
    }
    if (isSaturated(this.d, newRS)) {
      for (const rs of activeReplicaSets(oldRSs)) await this.scaleTo(rs, 0);
      return;
    }
    if (!isRollingUpdate(this.d)) return;
    const all = activeReplicaSets([...oldRSs, newRS]);
    const allowed = replicas > 0 ? replicas + maxSurge(this.d) : 0;
    const toAdd = allowed - specReplicaSum(all);
    if (toAdd > 0) all.sort(bySizeNewer);
    else if (toAdd < 0) all.sort(bySizeOlder);
    const sizes = all.map((rs) => rsReplicas(rs));
    let added = 0;
    all.forEach((rs, i) => {
      if (toAdd === 0) return;
      const p = proportion(rs, this.d, toAdd, added);
      sizes[i] += p;
      added += p;
    });
    for (let i = 0; i < all.length; i++) {
      if (i === 0 && toAdd !== 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
      await this.scaleReplicaSet(all[i], sizes[i]);
    }
  }

  // ---- RollingUpdate ----

  private async rolloutRolling(): Promise<number | undefined> {
    const { newRS, oldRSs } = await this.split(true);
    if (await this.reconcileNewReplicaSet(newRS!, oldRSs)) return this.syncRolloutStatus(newRS, oldRSs);
    if (await this.reconcileOldReplicaSets(newRS!, oldRSs)) return this.syncRolloutStatus(newRS, oldRSs);
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(this.latest(oldRSs));
    return this.syncRolloutStatus(newRS, oldRSs);
  }

  /** Grows the new ReplicaSet as far as maxSurge allows (or shrinks it to replicas). */
  private async reconcileNewReplicaSet(newRS: RSView, oldRSs: readonly RSView[]): Promise<boolean> {
    const replicas = desiredReplicas(this.d);
    const current = this.latest1(newRS)!;
    if (rsReplicas(current) === replicas) return false;
    if (rsReplicas(current) > replicas) return this.scaleTo(current, replicas);
    return this.scaleTo(current, newReplicaSetReplicas(this.d, this.latestAll(current, oldRSs), current));
  }

  /**
   * Shrinks old ReplicaSets as far as maxUnavailable allows: first their unavailable pods, then
   * available ones down to replicas - maxUnavailable available in total.
   */
  private async reconcileOldReplicaSets(newRS: RSView, oldRSs: readonly RSView[]): Promise<boolean> {
    const current = this.latest1(newRS)!;
    const old = activeReplicaSets(this.latest(oldRSs));
    if (specReplicaSum(old) === 0) return false;
    const minAvailable = desiredReplicas(this.d) - maxUnavailable(this.d);
    const newUnavailable = rsReplicas(current) - availableOf(current);
    const maxScaledDown = specReplicaSum([...old, current]) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    const cleaned = await this.cleanupUnhealthyReplicas(old, maxScaledDown);
    const scaledDown = await this.scaleDownOldForRollingUpdate(current, this.latest(old));
    return cleaned + scaledDown > 0;
  }

  /** Scales old ReplicaSets down by their unavailable pods, oldest first, up to `max` in total. */
  private async cleanupUnhealthyReplicas(oldRSs: readonly RSView[], max: number): Promise<number> {
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= max) break;
      const unavailable = rsReplicas(rs) - availableOf(rs);
      if (rsReplicas(rs) === 0 || unavailable <= 0) continue;
      const down = Math.min(max - total, unavailable);
      await this.scaleTo(rs, rsReplicas(rs) - down);
      total += down;
    }
    return total;
  }

  /** Scales old ReplicaSets down, oldest first, while more than the minimum are available. */
  private async scaleDownOldForRollingUpdate(newRS: RSView, oldRSs: readonly RSView[]): Promise<number> {
    const minAvailable = desiredReplicas(this.d) - maxUnavailable(this.d);
    const available = availableSum([...oldRSs, newRS]);
    if (available <= minAvailable) return 0;
    const wanted = available - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= wanted) break;
      if (rsReplicas(rs) === 0) continue;
      const down = Math.min(rsReplicas(rs), wanted - total);
      await this.scaleTo(rs, rsReplicas(rs) - down);
      total += down;
    }
    return total;
  }

  // ---- Recreate ----

  private async rolloutRecreate(): Promise<number | undefined> {
    let { newRS, oldRSs } = await this.split(false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) if (await this.scaleTo(rs, 0)) scaledDown = true;
    if (scaledDown || this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(newRS, oldRSs);
    if (!newRS) ({ newRS, oldRSs } = await this.split(true));
    await this.scaleTo(this.latest1(newRS)!, desiredReplicas(this.d));
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(this.latest(oldRSs));
    return this.syncRolloutStatus(newRS, oldRSs);
  }

  /** True while any pod of an old ReplicaSet exists and has not finished (oldPodsRunning). */
  private oldPodsRunning(newRS: RSView | undefined, oldRSs: readonly RSView[]): boolean {
    if (statusSum(this.latest(oldRSs), 'replicas') > 0) return true;
    for (const [uid, pods] of this.podsByRS) {
      if (uid === newRS?.metadata.uid) continue;
      if (pods.some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')) return true;
    }
    return false;
  }

  // ---- status ----

  /** Writes the rollout status with its Progressing condition; returns when to check progress again. */
  private async syncRolloutStatus(newRS: RSView | undefined, oldRSs: readonly RSView[]): Promise<number | undefined> {
    const all = this.latestAll(newRS, oldRSs);
    const current = this.latest1(newRS);
    const now = this.deps.now();
    const next = rolloutStatus(this.d, all, current, now);
    copyReplicaFailure(next, current, all, now);
    await this.writeStatus(next);
    return msUntilProgressCheck(this.d, next, now);
  }

  /** Writes the status the ReplicaSets imply, without touching Progressing (syncDeploymentStatus). */
  private async syncStatus(all: RSView[], newRS: RSView | undefined): Promise<void> {
    await this.writeStatus(calculateStatus(this.d, all, newRS, this.deps.now()));
  }

  private async syncStatusOnly(): Promise<void> {
    const { newRS, oldRSs } = await this.split(false);
    await this.syncStatus(this.latestAll(newRS, oldRSs), this.latest1(newRS));
  }

  /**
   * Marks pausing and resuming in the Progressing condition (Unknown), so time spent paused
   * never counts against the progress deadline; a reported deadline miss is left alone.
   */
  private async checkPausedConditions(): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const cond = getCondition(this.d.status, 'Progressing');
    if (cond?.reason === REASONS.timedOut) return;
    const pausedCond = cond?.reason === REASONS.paused;
    const paused = !!this.d.spec?.paused;
    if (paused === pausedCond) return;
    const [reason, message] = paused ? [REASONS.paused, 'Deployment is paused'] : [REASONS.resumed, 'Deployment is resumed'];
    this.setCondition(newCondition('Progressing', 'Unknown', reason, message, this.deps.now()));
    await this.writeDeployment(false, true);
  }

  /** Deletes old ReplicaSets scaled to zero beyond revisionHistoryLimit, lowest revisions first. */
  private async cleanup(oldRSs: readonly RSView[]): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const excess = alive.length - limit;
    for (const rs of alive.slice(0, Math.max(0, excess))) {
      const busy = (rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
      if (busy) continue;
      try {
        await this.deps.replicaSets.delete(rs.metadata.namespace, rs.metadata.name!, { preconditions: { uid: rs.metadata.uid } });
      } catch (err) {
        if (!isReason(err, 'NotFound')) throw err;
      }
    }
  }

  // ---- writes and bookkeeping ----

  private setCondition(cond: DeploymentCondition): void {
    const status: DeploymentStatus = { ...(this.d.status ?? {}) };
    setCondition(status, cond);
    this.d.status = status;
  }

  /** Writes the status unless it equals the stored one. */
  private async writeStatus(next: DeploymentStatus): Promise<void> {
    if (canonicalJson(compactStatus(this.d.status ?? {})) === canonicalJson(compactStatus(next))) return;
    this.d.status = next;
    await this.writeDeployment(false, true);
  }

  /**
   * Persists the revision annotation (a metadata patch: status writes keep metadata) and/or the
   * status (status subresource), keeping `d` at the latest stored version.
   */
  private async writeDeployment(annotation: boolean, status: boolean): Promise<void> {
    const { namespace, name } = this.d.metadata;
    if (annotation) {
      const revision = this.d.metadata.annotations?.[REVISION_ANNOTATION];
      const patched = await this.deps.deployments.patch(namespace, name!, 'merge', { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } });
      this.d = { ...patched, status: this.d.status };
    }
    if (status) {
      this.d = await this.deps.deployments.updateStatus({ ...this.d, status: compactStatus(this.d.status ?? {}) });
    }
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.deps.recorder.record(this.d, type, reason, message);
  }

  /** Stores a freshly written ReplicaSet as the latest version of its uid. */
  private remember(rs: RSView): RSView {
    const i = this.rsList.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
    return rs;
  }

  private latest1(rs: RSView | undefined): RSView | undefined {
    return rs && (this.rsList.find((r) => r.metadata.uid === rs.metadata.uid) ?? rs);
  }

  private latest(rss: readonly RSView[]): RSView[] {
    return rss.map((rs) => this.latest1(rs)!);
  }

  private latestAll(newRS: RSView | undefined, oldRSs: readonly RSView[]): RSView[] {
    return this.latest(newRS ? [...oldRSs, newRS] : [...oldRSs]);
  }
}

/**
 * Carries a ReplicaSet's ReplicaFailure condition (the new one's first) onto the Deployment,
 * or clears the Deployment's when none has one (getReplicaFailures).
 */
function copyReplicaFailure(status: DeploymentStatus, newRS: RSView | undefined, all: readonly RSView[], nowMs: number): void {
  const ordered = newRS ? [newRS, ...all.filter((rs) => rs.metadata.uid !== newRS.metadata.uid)] : [...all];
  for (const rs of ordered) {
    const c = rs.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
    if (!c) continue;
    const t = c.lastTransitionTime ?? formatTime(nowMs);
    setCondition(status, { type: 'ReplicaFailure', status: c.status, reason: c.reason, message: c.message, lastUpdateTime: t, lastTransitionTime: t });
    return;
  }
  removeCondition(status, 'ReplicaFailure');
}
