/**
 * The namespace controller (pkg/controller/namespace): once a namespace is being deleted (the
 * apiserver set its deletionTimestamp and phase Terminating), delete every namespaced object in
 * it, report progress in the namespace's conditions, and when nothing is left remove the
 * `kubernetes` finalizer through the finalize subresource, after which the apiserver removes
 * the namespace.
 */
import {
  Controller,
  clone,
  findResource,
  isReason,
  type DeepReadonly,
  type Informer,
  type KubeObject,
  type Namespace,
  type ReconcileResult,
  type ResourceClient,
  type ResourceInfo,
} from '@kubesim/api';
import { NAMESPACED_RESOURCES, contentGone, countRemaining, deletionConditions, emptyReport, groupResource, type ContentReport } from '../namespace-content.js';
import { canonicalJson } from '../canonical-json.js';
import { errorMessage, type ControllerContext, type ManagedController } from './context.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
/** The spec finalizer this controller is responsible for. */
export const KUBERNETES_FINALIZER = 'kubernetes';

type NSView = DeepReadonly<Namespace>;

/** Registers its handlers on construction; `run` starts its workers. */
export class NamespaceController implements ManagedController {
  readonly name = 'namespace';
  readonly runner: Controller;
  private readonly namespaces: Informer<Namespace>;
  private readonly nsClient: ResourceClient<Namespace>;

  constructor(private readonly ctx: ControllerContext) {
    this.namespaces = ctx.informers.informer<Namespace>(NAMESPACES);
    this.nsClient = ctx.client.resource<Namespace>(NAMESPACES);
    this.runner = new Controller({
      name: 'namespace-controller',
      reconcile: (key) => this.reconcile(key),
      workers: ctx.settings.workers.namespace,
      clock: ctx.clock,
      log: ctx.log('namespace-controller'),
    });
    const enqueue = (ns: NSView) => {
      if (ns.metadata.deletionTimestamp) this.runner.enqueue(ns.metadata.name!);
    };
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, cur) => enqueue(cur) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.start(signal);
  }

  /** Empties a terminating namespace, then finalizes it. */
  async reconcile(name: string): Promise<void | ReconcileResult> {
    const ns = this.namespaces.get(name);
    if (!ns?.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;
    const report = await this.deleteContent(name);
    const current = await this.updateConditions(ns, report);
    if (report.failures.length > 0) throw new Error(`namespace ${name}: ${report.failures.join('; ')}`);
    if (!contentGone(report)) return { requeueAfterMs: this.ctx.settings.namespaceRecheckMs };
    await this.finalize(current);
  }

  /** Deletes every namespaced object of the namespace; reports what is left. */
  private async deleteContent(namespace: string): Promise<ContentReport> {
    const report = emptyReport();
    await Promise.all(
      NAMESPACED_RESOURCES.map(async (info) => {
        try {
          countRemaining(report, info, await this.deleteAllOf(info, namespace));
        } catch (err) {
          report.failures.push(`${groupResource(info)}: ${errorMessage(err)}`);
        }
      }),
    );
    return report;
  }

  /** Deletes the objects of one resource in the namespace; returns those still present. */
  private async deleteAllOf(info: ResourceInfo, namespace: string): Promise<KubeObject[]> {
    const client = this.ctx.client.resource(info);
    const before = await client.list({ namespace });
    if (before.items.length === 0) return [];
    if (before.items.some((o) => !o.metadata.deletionTimestamp)) {
      await client.deleteCollection({ namespace, propagationPolicy: 'Background' });
    }
    return (await client.list({ namespace })).items;
  }

  /** Writes the deletion conditions when they changed; returns the namespace as stored. */
  private async updateConditions(ns: NSView, report: ContentReport): Promise<NSView> {
    const conditions = deletionConditions(report, ns.status?.conditions, this.ctx.clock.now());
    if (canonicalJson(conditions) === canonicalJson(ns.status?.conditions ?? [])) return ns;
    const copy = clone(ns) as Namespace;
    copy.status = { ...copy.status, conditions };
    try {
      return await this.nsClient.updateStatus(copy);
    } catch (err) {
      // Conditions are a report; a conflict only means the next pass writes them.
      if (isReason(err, 'Conflict') || isReason(err, 'NotFound')) return ns;
      throw err;
    }
  }

  /** Removes the `kubernetes` finalizer through PUT /api/v1/namespaces/<name>/finalize. */
  private async finalize(ns: NSView): Promise<void> {
    const copy = clone(ns) as Namespace;
    copy.spec = { ...copy.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER) };
    try {
      await this.nsClient.update(copy, { subresource: 'finalize' });
    } catch (err) {
      if (!isReason(err, 'NotFound')) throw err;
    }
  }
}
