/**
 * The Endpoints controller (pkg/controller/endpoint): for every Service with a selector, keeps
 * an Endpoints object of the same name listing the selected pods' addresses and ports, ready
 * ones apart from not-ready ones. Pod changes enqueue the Services whose selector matches the
 * pod before or after the change, so an Endpoints update follows a readiness flip at once.
 */
import {
  Controller,
  findResource,
  isReason,
  labelSelectorFromObject,
  objectKey,
  splitObjectKey,
  type DeepReadonly,
  type Endpoints,
  type Informer,
  type KubeObject,
  type Pod,
  type Service,
} from '@kubesim/api';
import { buildSubsets } from '../endpoints-build.js';
import { canonicalJson } from '../canonical-json.js';
import { servicesSelectingAny } from '../service-selection.js';
import type { ControllerContext, ManagedController } from './context.js';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
const PODS = findResource('', 'v1', 'pods')!;

export class EndpointsController implements ManagedController {
  readonly name = 'endpoint';
  readonly runner: Controller;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly pods: Informer<Pod>;

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.informer<Service>(SERVICES);
    this.endpoints = ctx.informers.informer<Endpoints>(ENDPOINTS);
    this.pods = ctx.informers.informer<Pod>(PODS);
    this.runner = new Controller({
      name: 'endpoint-controller',
      reconcile: (key) => this.reconcile(key),
      workers: 2,
      clock: ctx.clock,
      log: ctx.log('endpoint-controller'),
    });
    const enqueueSvc = (s: DeepReadonly<Service>) => this.runner.enqueue(objectKey(s));
    this.services.addEventHandler({ onAdd: enqueueSvc, onUpdate: (_o, s) => enqueueSvc(s), onDelete: enqueueSvc });
    const enqueueFor = (...pods: DeepReadonly<Pod>[]) => {
      for (const svc of servicesSelectingAny(this.services, pods)) enqueueSvc(svc);
    };
    this.pods.addEventHandler({ onAdd: (p) => enqueueFor(p), onUpdate: (o, p) => enqueueFor(o, p), onDelete: (p) => enqueueFor(p) });
    // An Endpoints object changed by someone else is put back.
    this.endpoints.addEventHandler({ onUpdate: (_o, e) => this.runner.enqueue(objectKey(e)), onDelete: (e) => this.runner.enqueue(objectKey(e)) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.start(signal);
  }

  /** Makes the Endpoints of Service `key` match its pods. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const svc = this.services.get(key);
    const client = this.ctx.client.resource<Endpoints>(ENDPOINTS);
    const current = this.endpoints.get(key);
    if (!svc) {
      if (current && current.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] !== 'true') {
        await client.delete(namespace, name).catch((err) => {
          if (!isReason(err, 'NotFound')) throw err;
        });
      }
      return;
    }
    const selector = svc.spec?.selector;
    // Services without a selector have Endpoints managed by someone else (like default/kubernetes).
    if (!selector || Object.keys(selector).length === 0) return;
    const pods = this.pods.byLabelSelector(labelSelectorFromObject({ matchLabels: selector as Record<string, string> }), namespace);
    const subsets = buildSubsets(svc, pods);
    const labels = { ...(svc.metadata.labels ?? {}) };
    if (current && canonicalJson(current.subsets ?? []) === canonicalJson(subsets) && canonicalJson(current.metadata.labels ?? {}) === canonicalJson(labels)) return;
    const desired = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets } as unknown as Endpoints;
    if (!current) {
      try {
        await client.create(desired);
      } catch (err) {
        if (!isReason(err, 'AlreadyExists')) throw err;
        this.runner.enqueue(key);
      }
      return;
    }
    const next = { ...desired, metadata: { ...desired.metadata, resourceVersion: current.metadata.resourceVersion } } as KubeObject as Endpoints;
    await client.update(next);
  }
}
