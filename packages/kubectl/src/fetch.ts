/**
 * Reads from the apiserver the way kubectl's resource builder does: lists in pages of 500
 * (following `continue`), items given their kind/apiVersion, and the same reads as server-side
 * Tables for human-readable output.
 */
import { groupVersion, unwrap, type ApiRequest, type HttpTransport, type KubeList, type KubeObject, type ResourceInfo } from '@kubesim/api';
import type { Table } from './printers/table.js';
import { since } from './printers/time.js';
import type { Session } from './session.js';

export interface ListQuery {
  /** Undefined for cluster-scoped resources and for `-A`. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Send no `limit` (typed clients listing everything at once, e.g. a Deployment's ReplicaSets). */
  unpaged?: boolean;
}

const PAGE = '500';

function base(info: ResourceInfo, namespace: string | undefined): Pick<ApiRequest, 'group' | 'version' | 'resource' | 'namespace'> {
  return { group: info.group, version: info.version, resource: info.plural, namespace: info.namespaced ? namespace : undefined };
}

function listQuery(q: ListQuery, cont?: string): Record<string, string> {
  const query: Record<string, string> = q.unpaged ? {} : { limit: PAGE };
  if (q.labelSelector) query.labelSelector = q.labelSelector;
  if (q.fieldSelector) query.fieldSelector = q.fieldSelector;
  if (cont) query.continue = cont;
  return query;
}

/** Sets kind and apiVersion on an object that lacks them (list items from the real apiserver do). */
export function withTypeMeta<T extends KubeObject>(obj: T, info: ResourceInfo): T {
  if (!obj.kind) obj.kind = info.kind;
  if (!obj.apiVersion) obj.apiVersion = groupVersion(info);
  return obj;
}

/** Lists objects as JSON, every page, items with their type filled in. */
export async function listObjects(session: Session, info: ResourceInfo, q: ListQuery): Promise<{ items: KubeObject[]; resourceVersion?: string }> {
  const items: KubeObject[] = [];
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const res = await session.transport.request({ ...base(info, q.namespace), verb: 'list', query: listQuery(q, cont) });
    const list = unwrap<KubeList>(res);
    items.push(...(list.items ?? []).map((i) => withTypeMeta(i, info)));
    cont = list.metadata?.continue || undefined;
    resourceVersion = list.metadata?.resourceVersion;
  } while (cont);
  return { items, resourceVersion };
}

/** GETs one object as JSON, with its type filled in. */
export async function getObject(session: Session, info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
  const res = await session.transport.request({ ...base(info, namespace), verb: 'get', name });
  return withTypeMeta(unwrap<KubeObject>(res), info);
}

/** Lists as a server-side Table, every page merged into one Table. */
export async function listTable(session: Session, info: ResourceInfo, q: ListQuery): Promise<Table> {
  return fetchTablePages(session.tableTransport, info, q);
}

async function fetchTablePages(transport: HttpTransport, info: ResourceInfo, q: ListQuery): Promise<Table> {
  let merged: Table | undefined;
  let cont: string | undefined;
  do {
    const res = await transport.request({ ...base(info, q.namespace), verb: 'list', query: listQuery(q, cont) });
    const page = asTable(unwrap<unknown>(res), info);
    if (!merged) merged = page;
    else merged.rows = [...(merged.rows ?? []), ...(page.rows ?? [])];
    cont = page.metadata?.continue || undefined;
    merged.metadata = { ...page.metadata, continue: undefined };
  } while (cont);
  return merged!;
}

/** GETs one object as a one-row Table. */
export async function getTable(session: Session, info: ResourceInfo, namespace: string | undefined, name: string): Promise<Table> {
  const res = await session.tableTransport.request({ ...base(info, namespace), verb: 'get', name });
  return asTable(unwrap<unknown>(res), info);
}

/**
 * Accepts a Table reply; a server that ignored the Table Accept header sent plain JSON instead, and
 * kubectl then prints NAME and AGE only (its fallback), which this mirrors.
 */
export function asTable(body: unknown, info: ResourceInfo): Table {
  const b = body as Partial<Table> & Partial<KubeList> & KubeObject;
  if (b?.kind === 'Table') return b as Table;
  const items: KubeObject[] = Array.isArray(b?.items) ? b.items : [b];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: b?.metadata?.resourceVersion },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Age', type: 'string', priority: 0 },
    ],
    rows: items.map((i) => ({
      cells: [i.metadata?.name ?? '', since(i.metadata?.creationTimestamp)],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: withTypeMeta(i, info).metadata },
    })),
  };
}
