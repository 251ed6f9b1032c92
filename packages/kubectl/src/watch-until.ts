/**
 * client-go's `watchtools.UntilWithSync` for one named object, as `rollout status` and `wait`
 * use it: a list filtered by `metadata.name` at resourceVersion 0, then a watch from the list's
 * resourceVersion (bookmarks on, a 5–10 minute server timeout), resumed when the server ends it
 * and relisted after 410 Gone, until the condition says done or the deadline passes.
 */
import { errorFromStatus, unwrap, type KubeList, type KubeObject, type ResourceInfo, type Status, type WatchEventType } from '@kubesim/api';
import { withTypeMeta } from './fetch.js';
import type { Session } from './session.js';

/** The deadline passed first (client-go's ErrWaitTimeout). */
export class WaitTimeoutError extends Error {
  constructor() {
    super('timed out waiting for the condition');
    this.name = 'WaitTimeoutError';
  }
}

export interface UntilOptions {
  info: ResourceInfo;
  namespace?: string;
  name: string;
  /** Epoch milliseconds; undefined waits forever. */
  deadline?: number;
  /** Called for the listed object (as ADDED) and every later event; true ends the wait. */
  onEvent: (type: Exclude<WatchEventType, 'BOOKMARK' | 'ERROR'>, obj: KubeObject) => boolean | Promise<boolean>;
  /** Called with each list's items before their ADDED events; true ends the wait (e.g. nothing left to delete). */
  onList?: (items: KubeObject[]) => boolean;
}

/** Runs until `onEvent` returns true (resolves), throws, or the deadline passes (WaitTimeoutError). */
export async function untilWithSync(session: Session, opts: UntilOptions): Promise<void> {
  const fieldSelector = `metadata.name=${opts.name}`;
  const base = { group: opts.info.group, version: opts.info.version, resource: opts.info.plural, namespace: opts.info.namespaced ? opts.namespace : undefined };
  let rv: string | undefined;
  for (;;) {
    checkDeadline(opts.deadline);
    if (rv === undefined) {
      const list = unwrap<KubeList>(await session.transport.request({ ...base, verb: 'list', query: { fieldSelector, limit: '500', resourceVersion: '0' } }));
      rv = list.metadata?.resourceVersion ?? '';
      if (opts.onList?.(list.items ?? [])) return;
      for (const item of list.items ?? []) if (await opts.onEvent('ADDED', withTypeMeta(item, opts.info))) return;
    }
    const timeoutSeconds = String(300 + Math.floor(Math.random() * 300));
    const stream = await session.transport.watch({ ...base, verb: 'watch', query: { allowWatchBookmarks: 'true', fieldSelector, resourceVersion: rv, timeoutSeconds } });
    const timer = opts.deadline === undefined ? undefined : setTimeout(() => stream.close(), Math.max(0, opts.deadline - Date.now()));
    const opened = Date.now();
    try {
      for await (const ev of stream) {
        const obj = ev.object as KubeObject;
        if (ev.type === 'ERROR') {
          const status = ev.object as Status;
          if (status.code !== 410) throw errorFromStatus(status);
          rv = undefined;
          break;
        }
        rv = obj.metadata?.resourceVersion ?? rv;
        if (ev.type === 'BOOKMARK') continue;
        if (await opts.onEvent(ev.type, withTypeMeta(obj, opts.info))) return;
      }
    } finally {
      if (timer) clearTimeout(timer);
      stream.close();
    }
    // A server that keeps closing watches at once is retried gently, not in a busy loop.
    if (Date.now() - opened < 1000) await new Promise((r) => setTimeout(r, 200));
  }
}

function checkDeadline(deadline: number | undefined): void {
  if (deadline !== undefined && Date.now() >= deadline) throw new WaitTimeoutError();
}
