/**
 * `--sort-by=<jsonpath>`: orders objects, or Table rows, by one field. Numbers compare as numbers,
 * everything else as strings; objects without the field come first.
 */
import type { KubeObject, ResourceInfo } from '@kubesim/api';
import { listObjects } from '../fetch.js';
import { JsonPath, relaxedJsonPath } from '../jsonpath.js';
import type { Session } from '../session.js';
import type { TableRow } from './table.js';

type Key = number | string | undefined;

function keyOf(path: JsonPath, value: unknown): Key {
  const found = path.findResults(value).flat();
  if (found.length === 0 || found[0] === null || found[0] === undefined) return undefined;
  const v = found[0];
  return typeof v === 'number' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function compareKeys(a: Key, b: Key): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A stable sort of objects by the field at `sortBy`. */
export function sortObjects<T>(objects: readonly T[], sortBy: string): T[] {
  const path = JsonPath.parse(relaxedJsonPath(sortBy));
  return objects
    .map((o, i) => ({ o, i, k: keyOf(path, o) }))
    .sort((a, b) => compareKeys(a.k, b.k) || a.i - b.i)
    .map((x) => x.o);
}

/**
 * Sorts Table rows. Metadata fields are read from each row's object; other fields need the full
 * objects, which are listed once and matched to rows by uid (or namespace/name).
 */
export async function sortTableRows(
  session: Session,
  target: { info: ResourceInfo; namespace?: string },
  rows: TableRow[],
  q: { labelSelector?: string; fieldSelector?: string; sortBy: string },
): Promise<TableRow[]> {
  const expr = relaxedJsonPath(q.sortBy);
  if (expr.startsWith('{.metadata.')) return sortObjects(rows.map((r) => ({ ...r, metadata: r.object?.metadata })), q.sortBy).map(stripMeta);
  const { items } = await listObjects(session, target.info, { namespace: target.namespace, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
  const order = new Map<string, number>();
  sortObjects(items, q.sortBy).forEach((o, i) => order.set(rowKey(o.metadata), i));
  return rows
    .map((r, i) => ({ r, i, k: order.get(rowKey(r.object?.metadata)) ?? -1 }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.r);
}

function rowKey(meta: KubeObject['metadata'] | undefined): string {
  return meta?.uid ?? `${meta?.namespace ?? ''}/${meta?.name ?? ''}`;
}

function stripMeta(r: TableRow & { metadata?: unknown }): TableRow {
  const { metadata: _m, ...row } = r;
  return row;
}
