/**
 * The Deployment controller (pkg/controller/deployment): rolls a Deployment's pod template out
 * through ReplicaSets named `<deployment>-<pod-template-hash>`, with the RollingUpdate
 * (maxSurge/maxUnavailable) or Recreate strategy, keeps the revision annotations `kubectl
 * rollout history/undo` rely on, and reports progress in status and conditions. Each sync is a
 * {@link DeploymentSync}; this file holds the informer handlers and the claiming of ReplicaSets.
 */
import {
  Controller,
  TerminalError,
  findResource,
  labelSelectorFromObject,
  objectKey,
  type DeepReadonly,
  type Deployment,
  type EventRecorder,
  type Informer,
  type LabelSelectorMatcher,
  type Pod,
  type ReconcileResult,
  type ReplicaSet,
  type ResourceClient,
} from '@kubesim/api';
import { claimObjects, controllerOf } from '../controller-ref.js';
import { OWNER_UID_INDEX } from '../informers.js';
import { recorderFor, type ControllerContext, type ManagedController } from './context.js';
import { DeploymentSync } from './deployment-sync.js';

const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;
const PODS = findResource('', 'v1', 'pods')!;

type DView = DeepReadonly<Deployment>;
type RSView = DeepReadonly<ReplicaSet>;
type PodView = DeepReadonly<Pod>;

/** Registers its handlers on construction; `run` starts its workers. */
export class DeploymentController implements ManagedController {
  readonly name = 'deployment';
  readonly runner: Controller;
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly dClient: ResourceClient<Deployment>;
  private readonly rsClient: ResourceClient<ReplicaSet>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.deployments = ctx.informers.informer<Deployment>(DEPLOYMENTS);
    this.replicaSets = ctx.informers.informer<ReplicaSet>(REPLICASETS);
    this.pods = ctx.informers.informer<Pod>(PODS);
    ctx.informers.ensureIndex(PODS, OWNER_UID_INDEX);
    this.dClient = ctx.client.resource<Deployment>(DEPLOYMENTS);
    this.rsClient = ctx.client.resource<ReplicaSet>(REPLICASETS);
    this.recorder = recorderFor(ctx, 'deployment-controller');
    this.runner = new Controller({
      name: 'deployment-controller',
      reconcile: (key) => this.reconcile(key),
      workers: ctx.settings.workers.deployment,
      clock: ctx.clock,
      log: ctx.log('deployment-controller'),
    });
    this.deployments.addEventHandler({
      onAdd: (d) => this.runner.enqueue(objectKey(d)),
      onUpdate: (_old, cur) => this.runner.enqueue(objectKey(cur)),
      onDelete: (d) => this.runner.enqueue(objectKey(d)),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetAdded(rs),
      onUpdate: (old, cur) => this.replicaSetUpdated(old, cur),
      onDelete: (rs) => this.enqueueController(rs),
    });
    this.pods.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.start(signal);
  }

  /** Syncs one Deployment: its ReplicaSets, their sizes, its status. */
  async reconcile(key: string): Promise<void | ReconcileResult> {
    const d = this.deployments.get(key);
    if (!d) return;
    const selector = this.selectorOf(d);
    if (selector.requirements.length === 0) return this.selectingAll(d);
    const rsList = await this.claimReplicaSets(d, selector);
    const sync = new DeploymentSync(
      {
        deployments: this.dClient,
        replicaSets: this.rsClient,
        recorder: this.recorder,
        now: () => this.ctx.clock.now(),
        cachedReplicaSet: (ns, name) => this.replicaSets.get(`${ns}/${name}`),
      },
      d,
      rsList,
      this.podsByReplicaSet(rsList),
    );
    const after = await sync.run();
    return after === undefined ? undefined : { requeueAfterMs: after };
  }

  private selectorOf(d: DView): LabelSelectorMatcher {
    try {
      return labelSelectorFromObject(d.spec?.selector as never);
    } catch (err) {
      throw new TerminalError(`invalid selector of Deployment ${objectKey(d)}: ${(err as Error).message}`);
    }
  }

  /** An empty selector would select every pod: refuse, but observe the generation. */
  private async selectingAll(d: DView): Promise<void> {
    void this.recorder.record(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if ((d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)) return;
    const copy = structuredClone(d) as Deployment;
    copy.status = { ...copy.status, observedGeneration: d.metadata.generation };
    await this.dClient.updateStatus(copy);
  }

  /** The ReplicaSets this Deployment owns, after adopting matching orphans and releasing strays. */
  private claimReplicaSets(d: DView, selector: LabelSelectorMatcher): Promise<RSView[]> {
    return claimObjects<ReplicaSet>(this.replicaSets.byNamespace(d.metadata.namespace!), {
      client: this.rsClient,
      controller: d,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      matches: (rs) => selector.matches(rs.metadata.labels),
      recheck: async () => {
        const fresh = await this.dClient.get(d.metadata.namespace, d.metadata.name!);
        if (fresh.metadata.uid !== d.metadata.uid) throw new Error(`original Deployment ${objectKey(d)} is gone: got uid ${fresh.metadata.uid}, wanted ${d.metadata.uid}`);
        if (fresh.metadata.deletionTimestamp) throw new Error(`Deployment ${objectKey(d)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      },
    });
  }

  /** Pods grouped by the ReplicaSet (of `rsList`) that controls them. */
  private podsByReplicaSet(rsList: readonly RSView[]): Map<string, PodView[]> {
    const out = new Map<string, PodView[]>();
    for (const rs of rsList) {
      const uid = rs.metadata.uid!;
      out.set(uid, this.pods.byIndex(OWNER_UID_INDEX, uid).filter((p) => controllerOf(p.metadata)?.uid === uid));
    }
    return out;
  }

  // ---- handlers: they only enqueue ----

  private replicaSetAdded(rs: RSView): void {
    if (rs.metadata.deletionTimestamp || controllerOf(rs.metadata)) return this.enqueueController(rs);
    for (const d of this.matchingDeployments(rs)) this.runner.enqueue(objectKey(d));
  }

  private replicaSetUpdated(old: RSView, cur: RSView): void {
    const oldRef = controllerOf(old.metadata);
    const curRef = controllerOf(cur.metadata);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) this.enqueueController(old);
    if (curRef) return this.enqueueController(cur);
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.matchingDeployments(cur)) this.runner.enqueue(objectKey(d));
  }

  /** A Recreate rollout waits for the old pods to be gone: each pod deletion may unblock it. */
  private podDeleted(pod: PodView): void {
    const ref = controllerOf(pod.metadata);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.controllingDeployment(rs);
    if (d && d.spec?.strategy?.type === 'Recreate') this.runner.enqueue(objectKey(d));
  }

  private enqueueController(rs: RSView): void {
    const d = this.controllingDeployment(rs);
    if (d) this.runner.enqueue(objectKey(d));
  }

  /** The Deployment a ReplicaSet's controller reference points at, when cached with that uid. */
  private controllingDeployment(rs: RSView): DView | undefined {
    const ref = controllerOf(rs.metadata);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${rs.metadata.namespace}/${ref.name}`);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments in the ReplicaSet's namespace whose (non-empty) selector matches it. */
  private matchingDeployments(rs: RSView): DView[] {
    return this.deployments.byNamespace(rs.metadata.namespace ?? '').filter((d) => {
      try {
        const sel = labelSelectorFromObject(d.spec?.selector as never);
        return sel.requirements.length > 0 && sel.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }
}
