/**
 * The typed API client every component uses. It turns error replies into named ApiErrors and
 * is the same whichever transport carries it.
 */
import { errorFromStatus } from '../errors.js';
import type { KubeList, KubeObject, Status } from '../meta.js';
import type { ApiRequest, ApiResponse, PatchType, RequestQuery, WatchEvent } from '../protocol.js';
import type { ResourceInfo } from '../resources.js';
import type { Transport, WatchStream } from './transport.js';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  limit?: number;
  continue?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** `status` or `scale` to write a subresource. */
  subresource?: string;
  force?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Client for one resource type. Namespaced calls take the namespace explicitly. */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly transport: Transport,
    readonly info: ResourceInfo,
  ) {}

  get(namespace: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.call({ ...this.base(namespace), verb: 'get', name, subresource });
  }

  /**
   * Lists objects. Without `limit`, the whole list comes back, fetched page by page where the
   * transport needs it (each page from the same list resourceVersion).
   */
  async list(opts: ListOptions = {}): Promise<KubeList<T>> {
    const pageSize = this.transport.listPageSize;
    if (opts.limit !== undefined || !pageSize) return this.call({ ...this.base(opts.namespace), verb: 'list', query: listQuery(opts) });
    let page = await this.list({ ...opts, limit: pageSize });
    const items = [...page.items];
    while (page.metadata.continue) {
      page = await this.list({ ...opts, limit: pageSize, continue: page.metadata.continue });
      items.push(...page.items);
    }
    return { ...page, metadata: { resourceVersion: page.metadata.resourceVersion }, items };
  }

  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.call({ ...this.base(obj.metadata?.namespace), verb: 'create', body: obj, query: writeQuery(opts) });
  }

  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    const { namespace, name } = obj.metadata;
    return this.call({
      ...this.base(namespace),
      verb: 'update',
      name,
      subresource: opts.subresource,
      body: obj,
      query: writeQuery(opts),
    });
  }

  /** PUT of the status subresource: only status changes are kept. */
  updateStatus(obj: T): Promise<T> {
    return this.update(obj, { subresource: 'status' });
  }

  patch(namespace: string | undefined, name: string, patchType: PatchType, patch: unknown, opts: WriteOptions = {}): Promise<T> {
    return this.call({
      ...this.base(namespace),
      verb: 'patch',
      name,
      subresource: opts.subresource,
      patchType,
      body: patch,
      query: writeQuery(opts),
    });
  }

  /** Deletes; resolves with the object (still terminating) or a Success Status. */
  delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return this.call({ ...this.base(namespace), verb: 'delete', name, body: { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } });
  }

  deleteCollection(opts: ListOptions & DeleteOptions = {}): Promise<KubeList<T>> {
    const { propagationPolicy, gracePeriodSeconds } = opts;
    return this.call({
      ...this.base(opts.namespace),
      verb: 'deletecollection',
      query: listQuery(opts),
      body: { propagationPolicy, gracePeriodSeconds },
    });
  }

  async watch(opts: WatchOptions = {}): Promise<WatchStream<T>> {
    const query: RequestQuery = listQuery(opts);
    if (opts.allowWatchBookmarks) query.allowWatchBookmarks = 'true';
    if (opts.timeoutSeconds !== undefined) query.timeoutSeconds = String(opts.timeoutSeconds);
    const stream = await this.transport.watch({ ...this.base(opts.namespace), verb: 'watch', query });
    return stream as WatchStream<T>;
  }

  private base(namespace: string | undefined): Pick<ApiRequest, 'group' | 'version' | 'resource' | 'namespace'> {
    return {
      group: this.info.group,
      version: this.info.version,
      resource: this.info.plural,
      namespace: this.info.namespaced ? namespace : undefined,
    };
  }

  private async call<R>(req: ApiRequest): Promise<R> {
    return unwrap<R>(await this.transport.request(req));
  }
}

/** Returns the body of a successful response; throws the named ApiError for a failed one. */
export function unwrap<R>(res: ApiResponse): R {
  if (res.code >= 400) throw errorFromStatus((res.body ?? { code: res.code }) as Status);
  return res.body as R;
}

/** An API client: one {@link ResourceClient} per resource, over any transport. */
export class ApiClient {
  private readonly clients = new Map<ResourceInfo, ResourceClient<any>>();

  constructor(readonly transport: Transport) {}

  /** The client for a resource from the RESOURCES table. */
  resource<T extends KubeObject = KubeObject>(info: ResourceInfo): ResourceClient<T> {
    let c = this.clients.get(info);
    if (!c) this.clients.set(info, (c = new ResourceClient<T>(this.transport, info)));
    return c as ResourceClient<T>;
  }

  /** Sends a raw request; never throws for API errors. */
  raw(req: ApiRequest): Promise<ApiResponse> {
    return this.transport.request(req);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

function listQuery(opts: ListOptions): RequestQuery {
  const q: RequestQuery = {};
  if (opts.labelSelector) q.labelSelector = opts.labelSelector;
  if (opts.fieldSelector) q.fieldSelector = opts.fieldSelector;
  if (opts.resourceVersion !== undefined) q.resourceVersion = opts.resourceVersion;
  if (opts.limit !== undefined) q.limit = String(opts.limit);
  if (opts.continue) q.continue = opts.continue;
  return q;
}

function writeQuery(opts: WriteOptions): RequestQuery {
  const q: RequestQuery = {};
  if (opts.dryRun) q.dryRun = 'All';
  if (opts.fieldManager) q.fieldManager = opts.fieldManager;
  if (opts.force) q.force = 'true';
  return q;
}

export type { WatchEvent };
