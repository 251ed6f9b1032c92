/**
 * Watch sessions, shared by the HTTP and NATS adapters: a filtered view of the watch cache's
 * event stream from a resourceVersion, with synthetic ADDED events for "now" watches, bookmarks,
 * a server-side timeout, and 410 Gone when the history asked for is no longer kept.
 */
import {
  BadRequestError,
  ExpiredError,
  groupVersion,
  type ApiRequest,
  type KubeObject,
  type ResourceInfo,
  type WatchEvent,
} from '@kubesim/api';
import type { CacheEvent, WatchCache } from './store/watch-cache.js';
import { resolveResource, selectorFor } from './handler.js';
import { resourcePrefix } from './registry/keys.js';
import { withTypeMeta } from './registry/objects.js';
import { fromStorage, storageInfo } from './registry/versions.js';

/** Where a session delivers: `send` returns false when the consumer cannot keep up. */
export interface WatchSink {
  send(event: WatchEvent<KubeObject>): boolean;
  end(): void;
}

export interface WatchSettings {
  /** Interval of BOOKMARK events for clients that allow them. */
  bookmarkIntervalMs: number;
}

/** A running watch; `stop()` is idempotent. */
export class WatchSession {
  private unsubscribe?: () => void;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(private readonly sink: WatchSink) {}

  /** Ends the watch and tells the sink. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    this.sink.end();
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** @internal wiring done by {@link openWatch}. */
  attach(unsubscribe: () => void, timers: NodeJS.Timeout[]): void {
    this.unsubscribe = unsubscribe;
    this.timers = timers;
    if (this.stopped) this.stop();
  }

  deliver(event: WatchEvent<KubeObject>): void {
    if (this.stopped) return;
    if (!this.sink.send(event)) this.stop();
  }
}

/**
 * Starts a watch for `req`. Throws (before anything is sent) on a bad request; a too-old
 * resourceVersion is reported in-stream as an ERROR event with a 410 Status, as Kubernetes does.
 */
export async function openWatch(cache: WatchCache, req: ApiRequest, sink: WatchSink, settings: WatchSettings): Promise<WatchSession> {
  const served = resolveResource(req);
  const info = storageInfo(served);
  const out = (o: KubeObject) => withTypeMeta(served, fromStorage(served, o));
  const q = req.query ?? {};
  const ns = info.namespaced ? req.namespace : undefined;
  const { match } = selectorFor(info, q.labelSelector, q.fieldSelector);
  const prefix = resourcePrefix(info);
  const nsPrefix = ns ? `${prefix}/${ns}/` : `${prefix}/`;
  const session = new WatchSession(sink);
  const rv = q.resourceVersion;
  let from: number;
  if (rv === undefined || rv === '' || rv === '0') {
    if (rv !== '0') await cache.waitFresh();
    from = cache.revision;
    // Snapshot and subscription happen in one synchronous step, so no event falls between.
    for (const entry of cache.list(prefix, ns)) {
      if (match(entry.object)) session.deliver({ type: 'ADDED', object: out(entry.object) });
    }
  } else {
    from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw new BadRequestError(`invalid resource version: ${rv}`);
  }
  const listener = (e: CacheEvent) => {
    if (!e.key.startsWith(nsPrefix)) return;
    const t = translate(e, match);
    if (t) session.deliver({ type: t.type, object: out(t.object) });
  };
  const unsubscribe = cache.subscribe(from, listener);
  if (!unsubscribe) {
    session.deliver({ type: 'ERROR', object: goneStatus(from, cache.historyFloor) as unknown as KubeObject });
    session.stop();
    return session;
  }
  const timers: NodeJS.Timeout[] = [];
  if (q.allowWatchBookmarks === 'true') {
    timers.push(setInterval(() => session.deliver({ type: 'BOOKMARK', object: bookmark(served, cache.revision) }), settings.bookmarkIntervalMs));
  }
  const timeout = Number(q.timeoutSeconds);
  if (q.timeoutSeconds && Number.isFinite(timeout) && timeout > 0) {
    timers.push(setTimeout(() => session.stop(), timeout * 1000));
  }
  session.attach(unsubscribe, timers);
  return session;
}

/** Maps a cache event through a filter: objects entering the filter are ADDED, leaving it DELETED. */
function translate(e: CacheEvent, match: (o: KubeObject) => boolean): { type: WatchEvent['type']; object: KubeObject } | undefined {
  const now = e.type !== 'DELETED' && match(e.object);
  const before = e.prev !== undefined && match(e.prev);
  if (e.type === 'DELETED') return before ? { type: 'DELETED', object: e.object } : undefined;
  if (now && before) return { type: 'MODIFIED', object: e.object };
  if (now) return { type: 'ADDED', object: e.object };
  if (before) return { type: 'DELETED', object: e.object };
  return undefined;
}

function bookmark(info: ResourceInfo, revision: number): KubeObject {
  return { kind: info.kind, apiVersion: groupVersion(info), metadata: { resourceVersion: String(revision) } };
}

function goneStatus(from: number, floor: number): unknown {
  return new ExpiredError(`too old resource version: ${from} (${floor})`).toStatus();
}
