/**
 * Content negotiation for `kubectl get`: when the Accept header asks for a meta.k8s.io Table,
 * objects, lists and watch events are converted with the per-kind printers.
 */
import type { KubeObject, ResourceInfo, WatchEvent } from '@kubesim/api';
import { toTable } from './tables/index.js';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** True when the client listed a Table media type in Accept (kubectl get does, first). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** A Table for one object or a list. */
export function tableBody(info: ResourceInfo, body: KubeObject | { items: KubeObject[]; metadata?: any }): unknown {
  const isList = Array.isArray((body as any).items);
  const items = isList ? ((body as any).items as KubeObject[]) : [body as KubeObject];
  const meta = (body as any).metadata ?? {};
  return toTable(info, items, {
    now: new Date(),
    resourceVersion: isList ? meta.resourceVersion : (body as KubeObject).metadata?.resourceVersion,
    continue: isList ? meta.continue : undefined,
  });
}

/**
 * A watch event whose object is a one-row Table (BOOKMARK and ERROR pass through). As upstream,
 * only the first event of a stream carries column definitions.
 */
export function tableEvent(info: ResourceInfo, event: WatchEvent<KubeObject>, first: boolean): WatchEvent<unknown> {
  if (event.type === 'BOOKMARK' || event.type === 'ERROR') return event;
  const table = toTable(info, [event.object], { now: new Date(), resourceVersion: event.object.metadata?.resourceVersion, noHeaders: !first });
  return { type: event.type, object: table };
}
