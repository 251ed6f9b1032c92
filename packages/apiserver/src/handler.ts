/**
 * One handler for both APIs: an ApiRequest in, an ApiResponse out. HTTP and NATS adapters only
 * decode and encode. No input makes it throw: every failure is a Status.
 */
import {
  ApiError,
  BadRequestError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  fieldsOf,
  findResource,
  groupVersion,
  parseFieldSelector,
  parseLabelSelector,
  type ApiRequest,
  type ApiResponse,
  type KubeObject,
  type ResourceInfo,
} from '@kubesim/api';
import { Registry, notFound } from './registry/registry.js';
import { withTypeMeta, isPlainObject } from './registry/objects.js';
import { patchObject } from './registry/patching.js';
import { getScale, updateScale, bindPod } from './registry/subresources.js';
import { decodeContinue, encodeContinue } from './registry/continue.js';
import { fromStorage, storageInfo, toStorage } from './registry/versions.js';
import type { PodLogs } from './logs.js';
import { evictPod } from './registry/eviction.js';

/** Resolves the served resource of a request, or throws the 404 Kubernetes gives. */
export function resolveResource(req: Pick<ApiRequest, 'group' | 'version' | 'resource'>): ResourceInfo {
  const info = findResource(req.group, req.version, req.resource);
  if (!info) throw new NotFoundError('the server could not find the requested resource');
  return info;
}

export class ApiHandler {
  /** `logs` serves pods/log through the kubelets; without it pods/log answers 503. */
  constructor(
    readonly registry: Registry,
    readonly logs?: PodLogs,
  ) {}

  /** Serves any non-watch request. Never rejects. */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    try {
      return await this.dispatch(req);
    } catch (err) {
      return errorResponse(err);
    }
  }

  private async dispatch(req: ApiRequest): Promise<ApiResponse> {
    if (!isPlainObject(req) || typeof req.verb !== 'string') throw new BadRequestError('malformed request');
    const served = resolveResource(req);
    if (served.storageVersion) return this.converted(served, req);
    return this.dispatchStored(served, req);
  }

  /** Serves a request for a non-storage version through the storage version, converting both ways. */
  private async converted(served: ResourceInfo, req: ApiRequest): Promise<ApiResponse> {
    const stored = storageInfo(served);
    const body = req.verb === 'create' || req.verb === 'update' ? toStorage(served, req.body) : req.body;
    const res = await this.dispatchStored(stored, { ...req, version: stored.version, body }, served);
    if (res.code >= 300 || !isPlainObject(res.body)) return res;
    const b = res.body as any;
    if (Array.isArray(b.items)) {
      return { ...res, body: { ...b, apiVersion: groupVersion(served), items: b.items.map((o: KubeObject) => fromStorage(served, o)) } };
    }
    return b.kind === served.kind ? { ...res, body: fromStorage(served, b) } : res;
  }

  private async dispatchStored(info: ResourceInfo, req: ApiRequest, served: ResourceInfo = info): Promise<ApiResponse> {
    const ns = info.namespaced ? req.namespace : undefined;
    if (info.namespaced && !ns && req.verb !== 'list' && req.verb !== 'deletecollection' && req.verb !== 'watch') {
      throw new BadRequestError('the namespace of the object is required');
    }
    const q = req.query ?? {};
    const dryRun = q.dryRun === 'All';
    if (req.subresource) return this.subresource(info, ns, req, dryRun);
    switch (req.verb) {
      case 'get':
        return ok(200, withTypeMeta(info, (await this.registry.get(info, ns, required(req.name), q.resourceVersion !== '0')).object));
      case 'list':
        return ok(200, await this.list(info, ns, req));
      case 'create':
        return ok(201, await this.registry.create(info, ns, req.body, { dryRun, manager: q.fieldManager }));
      case 'update':
        return ok(200, await this.registry.update(info, ns, required(req.name), req.body, { dryRun, manager: q.fieldManager }));
      case 'patch':
        return this.patch(info, ns, req, dryRun, served);
      case 'delete':
        return ok(200, await this.registry.delete(info, ns, required(req.name), deleteFlags(req)));
      case 'deletecollection':
        return ok(200, await this.deleteCollection(info, ns, req));
      default:
        throw new MethodNotAllowedError(`verb ${String(req.verb)} is not supported here`);
    }
  }

  private async patch(info: ResourceInfo, ns: string | undefined, req: ApiRequest, dryRun: boolean, served: ResourceInfo): Promise<ApiResponse> {
    const name = required(req.name);
    const q = req.query ?? {};
    const result = await patchObject(this.registry, info, ns, name, req.patchType, req.body, {
      dryRun,
      manager: q.fieldManager,
      force: q.force === 'true',
      view: served === info ? undefined : { toServed: (o) => fromStorage(served, o), toStored: (o) => toStorage(served, o) as KubeObject },
    });
    return ok(result.created ? 201 : 200, result.object);
  }

  private async subresource(info: ResourceInfo, ns: string | undefined, req: ApiRequest, dryRun: boolean): Promise<ApiResponse> {
    const sub = req.subresource!;
    const name = required(req.name);
    if (!info.subresources.includes(sub)) throw new NotFoundError('the server could not find the requested resource');
    if (sub === 'scale') {
      if (req.verb === 'get') return ok(200, await getScale(this.registry, info, ns, name));
      if (req.verb === 'update' || req.verb === 'patch') return ok(200, await updateScale(this.registry, info, ns, name, req, dryRun));
    } else if (sub === 'status' || sub === 'finalize') {
      if (req.verb === 'get') return ok(200, withTypeMeta(info, (await this.registry.get(info, ns, name)).object));
      const manager = req.query?.fieldManager;
      if (req.verb === 'update') return ok(200, await this.registry.update(info, ns, name, req.body, { dryRun, subresource: sub, manager }));
      if (req.verb === 'patch') {
        const r = await patchObject(this.registry, info, ns, name, req.patchType, req.body, { dryRun, subresource: sub, manager });
        return ok(200, r.object);
      }
    } else if (sub === 'binding' && req.verb === 'create') {
      return ok(201, await bindPod(this.registry, ns!, name, req.body, dryRun));
    } else if (sub === 'log' && req.verb === 'get') {
      if (!this.logs) throw new ServiceUnavailableError('pod logs are not served by this apiserver');
      return ok(200, await this.logs.read(ns!, name, req.query ?? {}));
    } else if (sub === 'eviction' && req.verb === 'create') {
      return ok(201, await evictPod(this.registry, ns!, name, req.body, dryRun));
    }
    throw new MethodNotAllowedError(`${req.verb} is not supported on ${info.plural}/${sub}`);
  }

  private async list(info: ResourceInfo, ns: string | undefined, req: ApiRequest): Promise<unknown> {
    const q = req.query ?? {};
    const { match } = selectorFor(info, q.labelSelector, q.fieldSelector);
    const token = q.continue ? decodeContinue(q.continue) : undefined;
    const { items, revision } = await this.registry.list(info, ns, token ? String(token.rv) : q.resourceVersion);
    let selected = items.filter(match);
    if (token) selected = selected.filter((o) => keyOf(o) > token.after);
    const limit = q.limit ? Number(q.limit) : 0;
    const listRv = token ? token.rv : revision;
    const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (limit > 0 && selected.length > limit) {
      const page = selected.slice(0, limit);
      metadata.continue = encodeContinue({ rv: listRv, after: keyOf(page[page.length - 1]) });
      metadata.remainingItemCount = selected.length - limit;
      selected = page;
    }
    return {
      kind: info.listKind,
      apiVersion: groupVersion(info),
      metadata,
      items: selected.map((o) => withTypeMeta(info, o)),
    };
  }

  private async deleteCollection(info: ResourceInfo, ns: string | undefined, req: ApiRequest): Promise<unknown> {
    const q = req.query ?? {};
    const { match } = selectorFor(info, q.labelSelector, q.fieldSelector);
    const { items } = await this.registry.list(info, ns);
    const flags = deleteFlags(req);
    const deleted: KubeObject[] = [];
    for (const o of items.filter(match)) {
      try {
        deleted.push(await this.registry.delete(info, o.metadata.namespace, o.metadata.name!, flags));
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return { kind: info.listKind, apiVersion: groupVersion(info), metadata: {}, items: deleted };
  }
}

/** Builds the object filter of a list or watch from its selectors (400 on bad syntax). */
export function selectorFor(info: ResourceInfo, labelSelector?: string, fieldSelector?: string): { match: (o: KubeObject) => boolean } {
  const labels = parseLabelSelector(labelSelector);
  const fields = fieldSelector ? parseFieldSelector(fieldSelector, Object.keys(fieldsOf(info.kind, {}))) : undefined;
  return {
    match: (o) => labels.matches(o.metadata?.labels) && (!fields || fields.matches(fieldsOf(info.kind, o))),
  };
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function required(name: string | undefined): string {
  if (!name) throw new BadRequestError('a resource name is required');
  return name;
}

function deleteFlags(req: ApiRequest): Parameters<Registry['delete']>[3] {
  const body = isPlainObject(req.body) ? req.body : {};
  const q = req.query ?? {};
  const grace = q.gracePeriodSeconds ?? body.gracePeriodSeconds;
  const policy = q.propagationPolicy ?? body.propagationPolicy ?? (body.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw new BadRequestError(`propagationPolicy: Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`);
  }
  const graceNum = grace === undefined || grace === null ? undefined : Number(grace);
  if (graceNum !== undefined && !Number.isFinite(graceNum)) throw new BadRequestError(`gracePeriodSeconds: invalid value ${String(grace)}`);
  const dry = q.dryRun === 'All' || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
  return { propagationPolicy: policy, gracePeriodSeconds: graceNum, preconditions: body.preconditions, dryRun: dry };
}

function ok(code: number, body: unknown): ApiResponse {
  return { code, body };
}

/** Turns any thrown value into a Status response; unexpected errors become 500s. */
export function errorResponse(err: unknown): ApiResponse {
  const apiErr = err instanceof ApiError ? err : new InternalError(`Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  if (!(err instanceof ApiError)) console.error('unexpected error:', err);
  return { code: apiErr.httpCode, body: apiErr.toStatus() };
}

export { notFound };
