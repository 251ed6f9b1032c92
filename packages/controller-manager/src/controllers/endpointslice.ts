/**
 * The EndpointSlice controller (pkg/controller/endpointslice): for every Service with a selector,
 * keeps discovery.k8s.io/v1 EndpointSlices (`generateName: <service>-`, labelled with the
 * service name and this controller, owned by the Service) listing the selected pods with their
 * ready/serving/terminating conditions; the plan itself is endpointslice-build.ts. Pod changes
 * enqueue the Services whose selector matches the pod before or after the change; a slice changed
 * or deleted by someone else enqueues its Service. Slices of a deleted Service are deleted here
 * (the garbage collector would too, through their ownerReference).
 *
 * Like upstream's endpointSliceTracker, the controller remembers its own writes until its
 * informer has seen them: a reconcile on a cache that lags behind a create would create the
 * slice twice, so it waits instead.
 */
import {
  Controller,
  findResource,
  isReason,
  labelSelectorFromObject,
  objectKey,
  splitObjectKey,
  type DeepReadonly,
  type EndpointSlice,
  type Informer,
  type Pod,
  type ReconcileResult,
  type ResourceClient,
  type Service,
} from '@kubesim/api';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, planSlices, type SlicePlan } from '../endpointslice-build.js';
import { servicesSelectingAny } from '../service-selection.js';
import type { ControllerContext, ManagedController } from './context.js';

const SERVICES = findResource('', 'v1', 'services')!;
const PODS = findResource('', 'v1', 'pods')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

/** How long a write the informer has not shown yet holds back its Service's reconciles. */
const WRITE_VISIBILITY_TIMEOUT_MS = 10_000;
const STALE_RECHECK_MS = 20;

/** A write of ours: the slice must exist at least at `resourceVersion`, or be gone when deleted. */
interface PendingWrite {
  resourceVersion: number;
  deleted: boolean;
  at: number;
}

export class EndpointSliceController implements ManagedController {
  readonly name = 'endpointslice';
  readonly runner: Controller;
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly slices: Informer<EndpointSlice>;
  /** By Service key, then slice name. */
  private readonly pending = new Map<string, Map<string, PendingWrite>>();

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.informer<Service>(SERVICES);
    this.pods = ctx.informers.informer<Pod>(PODS);
    this.slices = ctx.informers.informer<EndpointSlice>(SLICES);
    this.runner = new Controller({
      name: 'endpointslice-controller',
      reconcile: (key) => this.reconcile(key),
      workers: 2,
      clock: ctx.clock,
      log: ctx.log('endpointslice-controller'),
    });
    const enqueueSvc = (s: DeepReadonly<Service>) => this.runner.enqueue(objectKey(s));
    this.services.addEventHandler({ onAdd: enqueueSvc, onUpdate: (_o, s) => enqueueSvc(s), onDelete: enqueueSvc });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueForPods(p),
      onUpdate: (o, p) => this.enqueueForPods(o, p),
      onDelete: (p) => this.enqueueForPods(p),
    });
    const enqueueOwner = (s: DeepReadonly<EndpointSlice>) => {
      const service = s.metadata.labels?.[LABEL_SERVICE_NAME];
      if (service && s.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME) this.runner.enqueue(`${s.metadata.namespace}/${service}`);
    };
    this.slices.addEventHandler({ onAdd: enqueueOwner, onUpdate: (_o, s) => enqueueOwner(s), onDelete: enqueueOwner });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.start(signal);
  }

  /** Makes the EndpointSlices of Service `key` match its pods. */
  async reconcile(key: string): Promise<void | ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    if (this.cacheLagsBehindWrites(key)) return { requeueAfterMs: STALE_RECHECK_MS };
    const existing = this.slices
      .byLabelSelector(`${LABEL_SERVICE_NAME}=${name},${LABEL_MANAGED_BY}=${CONTROLLER_NAME}`, namespace)
      .filter((s) => !s.metadata.deletionTimestamp);
    const svc = this.services.get(key);
    if (!svc) {
      await this.apply(key, { create: [], update: [], delete: existing });
      return;
    }
    const selector = svc.spec?.selector;
    // Services without a selector get their endpoints from someone else; ExternalName ones have none.
    if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName') return;
    const pods = this.pods.byLabelSelector(labelSelectorFromObject({ matchLabels: selector as Record<string, string> }), namespace);
    await this.apply(key, planSlices(svc, pods, existing));
  }

  /** Creates, then updates, then deletes, so readers never see a Service without its endpoints. */
  private async apply(key: string, plan: SlicePlan): Promise<void> {
    const client = this.ctx.client.resource<EndpointSlice>(SLICES);
    for (const slice of plan.create) this.remember(key, await client.create(slice), false);
    for (const slice of plan.update) this.remember(key, await client.update(slice), false);
    for (const slice of plan.delete) await this.deleteSlice(client, key, slice);
  }

  private async deleteSlice(client: ResourceClient<EndpointSlice>, key: string, slice: DeepReadonly<EndpointSlice>): Promise<void> {
    try {
      await client.delete(slice.metadata.namespace!, slice.metadata.name!, { preconditions: { uid: slice.metadata.uid } });
    } catch (err) {
      if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
    }
    this.remember(key, slice, true);
  }

  private remember(key: string, slice: DeepReadonly<EndpointSlice>, deleted: boolean): void {
    let writes = this.pending.get(key);
    if (!writes) this.pending.set(key, (writes = new Map()));
    writes.set(slice.metadata.name!, { resourceVersion: Number(slice.metadata.resourceVersion ?? 0), deleted, at: this.ctx.clock.now() });
  }

  /** True while the informer has not shown one of this Service's recent writes; forgets the seen ones. */
  private cacheLagsBehindWrites(key: string): boolean {
    const writes = this.pending.get(key);
    if (!writes) return false;
    const { namespace } = splitObjectKey(key);
    const now = this.ctx.clock.now();
    // A cache at or past a write's resourceVersion reflects it, even if the slice is gone since.
    const cacheVersion = Number(this.slices.lastSyncResourceVersion() || 0);
    for (const [name, write] of writes) {
      const seen = write.deleted ? !this.slices.get(`${namespace}/${name}`) : cacheVersion >= write.resourceVersion;
      if (seen || now - write.at > WRITE_VISIBILITY_TIMEOUT_MS) writes.delete(name);
    }
    if (writes.size === 0) this.pending.delete(key);
    return writes.size > 0;
  }

  private enqueueForPods(...pods: DeepReadonly<Pod>[]): void {
    for (const svc of servicesSelectingAny(this.services, pods)) this.runner.enqueue(objectKey(svc));
  }
}
