/**
 * The informer (client-go tools/cache Reflector + Indexer + SharedInformer in one): lists a
 * resource, watches it from the list's resourceVersion, and keeps a read-only, indexed cache that
 * controllers query while its handlers enqueue keys.
 *
 * Recovery, in the Kubernetes way:
 * - a watch that ends (server timeout, apiserver restart) is resumed from the last resourceVersion
 *   seen, which bookmarks advance;
 * - a watch answered with 410 Gone/Expired (history purged) triggers a relist; the cache is
 *   replaced and handlers hear about every difference (deletes carry the last known state);
 * - a list or watch that cannot reach the apiserver is retried with exponential backoff and
 *   jitter, and the last cache keeps being served meanwhile.
 */
import { realClock, type Clock } from '../clock.js';
import { stderrLog, type LogFn } from '../controller.js';
import { errorFromStatus } from '../errors.js';
import type { DeepReadonly, KubeObject, Status } from '../meta.js';
import { objectKey } from '../meta.js';
import type { WatchEvent } from '../protocol.js';
import { groupVersion } from '../resources.js';
import { parseLabelSelector, type LabelSelectorMatcher } from '../selectors.js';
import type { ResourceClient } from '../client/client.js';
import { deepFreeze, IndexedCache, type IndexFunc } from './cache.js';

export interface InformerOptions {
  /** Watch one namespace only (namespaced resources); default all. */
  namespace?: string;
  /** Server-side label selector: the cache holds only matching objects. */
  labelSelector?: string;
  /** Server-side field selector: the cache holds only matching objects. */
  fieldSelector?: string;
  /** Re-deliver every cached object to `onUpdate(obj, obj)` this often; default never. */
  resyncMs?: number;
  clock?: Clock;
  /** First retry delay after a failed list or watch (default 200 ms), doubled per failure... */
  backoffInitialMs?: number;
  /** ...up to this (default 30 s); each delay gets up to 50% random jitter on top. */
  backoffMaxMs?: number;
  /** Objects per list page (default 500; 0 lists in one request). */
  pageSize?: number;
  /** Server-side timeout of each watch; default a random 300-600 s, as client-go does. */
  watchTimeoutSeconds?: number;
  log?: LogFn;
}

/** Callbacks for cache changes. They run in event order and should only enqueue keys. */
export interface InformerHandlers<T> {
  onAdd?(obj: DeepReadonly<T>): void;
  /** `old === cur` on a resync; otherwise their resourceVersions differ. */
  onUpdate?(old: DeepReadonly<T>, cur: DeepReadonly<T>): void;
  /** The deleted object's final state, or its last known state when the delete was seen by a relist. */
  onDelete?(obj: DeepReadonly<T>): void;
}

/** Index names the informer maintains itself. */
const NAMESPACE_INDEX = 'metadata.namespace';
const LABEL_INDEX = 'metadata.labels';
const NODE_NAME_INDEX = 'spec.nodeName';

/** Watches that delivered nothing for this long are treated as failures, to avoid a tight loop. */
const MIN_HEALTHY_WATCH_MS = 1000;

type WatchOutcome = 'expired' | 'ended' | 'idle';

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new IndexedCache<T>();
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private resourceVersion = '';
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private started = false;

  constructor(
    private readonly client: ResourceClient<T>,
    private readonly options: InformerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog(`informer ${client.info.plural}`);
    this.backoffInitialMs = options.backoffInitialMs ?? 200;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    if (options.labelSelector) parseLabelSelector(options.labelSelector); // bad syntax fails here, not in the loop
    this.cache.addIndex(NAMESPACE_INDEX, (o) => [o.metadata.namespace ?? '']);
    this.cache.addIndex(LABEL_INDEX, (o) => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`));
    this.cache.addIndex(NODE_NAME_INDEX, (o) => {
      const node = (o.spec as { nodeName?: unknown } | undefined)?.nodeName;
      return typeof node === 'string' && node ? [node] : [];
    });
  }

  /** Registers a custom index, queried with {@link byIndex}. Only before `start`. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.started) throw new Error(`index "${name}" must be registered before the informer starts`);
    this.cache.addIndex(name, fn);
  }

  /**
   * Adds handlers; returns a function that removes them. A handler added while the cache already
   * holds objects first gets an `onAdd` for each of them.
   */
  addEventHandler(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    for (const obj of this.cache.values()) this.call(handlers, 'onAdd', obj);
    return () => void this.handlers.delete(handlers);
  }

  onAdd(fn: (obj: DeepReadonly<T>) => void): () => void {
    return this.addEventHandler({ onAdd: fn });
  }

  onUpdate(fn: (old: DeepReadonly<T>, cur: DeepReadonly<T>) => void): () => void {
    return this.addEventHandler({ onUpdate: fn });
  }

  onDelete(fn: (obj: DeepReadonly<T>) => void): () => void {
    return this.addEventHandler({ onDelete: fn });
  }

  /**
   * Lists, then watches until `signal` aborts. Never rejects: failures are retried. Resolves once
   * stopped; the cache stays readable afterwards.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`informer for ${this.client.info.plural} already started`);
    this.started = true;
    const stopResync = this.scheduleResync(signal);
    try {
      await this.listAndWatch(signal);
    } finally {
      stopResync();
      this.syncWaiters.splice(0).forEach((w) => w());
    }
  }

  /** True once the first list is in the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, or false if `signal` aborts (or the informer stops) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve(this.synced);
      };
      this.syncWaiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** The resourceVersion the cache reflects (the last list, event or bookmark seen). */
  lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  /** The cached object with key `namespace/name` (or `name` for cluster-scoped objects). */
  get(key: string): DeepReadonly<T> | undefined {
    return this.cache.get(key);
  }

  list(): DeepReadonly<T>[] {
    return this.cache.values();
  }

  byNamespace(namespace: string): DeepReadonly<T>[] {
    return this.cache.byIndex(NAMESPACE_INDEX, namespace);
  }

  /**
   * Cached objects whose labels match `selector` (a string such as `app=web,tier!=db`, or a parsed
   * matcher), optionally in one namespace. Throws BadRequestError for a malformed string.
   */
  byLabelSelector(selector: string | LabelSelectorMatcher, namespace?: string): DeepReadonly<T>[] {
    const matcher = typeof selector === 'string' ? parseLabelSelector(selector) : selector;
    let candidates: ReadonlySet<string> | undefined;
    // Start from the smallest `k=v` index bucket, when the selector has equalities.
    for (const [k, v] of matcher.equalities) {
      const keys = this.cache.indexKeys(LABEL_INDEX, `${k}=${v}`);
      if (!candidates || keys.size < candidates.size) candidates = keys;
    }
    if (!candidates && namespace !== undefined) candidates = this.cache.indexKeys(NAMESPACE_INDEX, namespace);
    const out: DeepReadonly<T>[] = [];
    for (const key of candidates ?? this.cache.keys()) {
      const obj = this.cache.get(key)!;
      if (namespace !== undefined && (obj.metadata.namespace ?? '') !== namespace) continue;
      if (matcher.matches(obj.metadata.labels)) out.push(obj);
    }
    return out;
  }

  /** Objects a custom index (see {@link addIndex}) files under `value`. */
  byIndex(name: string, value: string): DeepReadonly<T>[] {
    return this.cache.byIndex(name, value);
  }

  /** Objects whose `spec.nodeName` is `node` (pods bound to a node). */
  byNodeName(node: string): DeepReadonly<T>[] {
    return this.cache.byIndex(NODE_NAME_INDEX, node);
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    let delay = this.backoffInitialMs;
    let needList = true;
    while (!signal.aborted) {
      const listed = needList;
      let phase: 'list' | 'watch' = 'list';
      let outcome: WatchOutcome;
      try {
        if (needList) await this.relist();
        needList = false;
        phase = 'watch';
        outcome = await this.watch(signal);
      } catch (err) {
        outcome = this.onFailure(err, phase);
      }
      if (outcome === 'expired') {
        needList = true;
        // Expired straight after a list means the history is too short to keep up: back off first.
        if (!listed) continue;
      }
      if (outcome === 'ended') {
        delay = this.backoffInitialMs;
        continue;
      }
      await this.clock.sleep(delay * (1 + Math.random() / 2), signal);
      delay = Math.min(delay * 2, this.backoffMaxMs);
    }
  }

  /** Logs a failed list or watch and says whether it calls for a relist. */
  private onFailure(err: unknown, phase: 'list' | 'watch'): WatchOutcome {
    if (isExpired(err)) {
      this.log('info', 'resourceVersion too old; relisting', { resource: this.client.info.plural, resourceVersion: this.resourceVersion });
      return 'expired';
    }
    this.log('warn', `${phase} failed; retrying`, { resource: this.client.info.plural, error: (err as Error)?.message ?? String(err) });
    return 'idle';
  }

  /** Lists every page and replaces the cache with the result. */
  private async relist(): Promise<void> {
    const items: T[] = [];
    const pageSize = this.options.pageSize ?? 500;
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list({ ...this.selectors(), limit: pageSize > 0 ? pageSize : undefined, continue: cont });
      items.push(...page.items);
      rv = page.metadata.resourceVersion ?? rv;
      cont = page.metadata.continue || undefined;
    } while (cont);
    this.replace(items);
    this.resourceVersion = rv;
    if (!this.synced) {
      this.synced = true;
      this.syncWaiters.splice(0).forEach((w) => w());
    }
  }

  /**
   * One watch from the current resourceVersion, applied event by event until it ends.
   * `ended` means it was healthy and can simply be resumed; `idle` that it ended at once with
   * nothing delivered (resume after a backoff); `expired` that a relist is needed.
   */
  private async watch(signal: AbortSignal): Promise<WatchOutcome> {
    const startedAt = this.clock.now();
    const stream = await this.client.watch({
      ...this.selectors(),
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.options.watchTimeoutSeconds ?? Math.floor(300 * (1 + Math.random())),
    });
    const stop = () => stream.close();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    let delivered = 0;
    try {
      for await (const event of stream) {
        if (signal.aborted) break;
        delivered++;
        if (event.type === 'ERROR') return this.watchError(event.object as unknown as Status);
        this.apply(event as WatchEvent<T>);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      stream.close();
    }
    return delivered > 0 || this.clock.now() - startedAt >= MIN_HEALTHY_WATCH_MS ? 'ended' : 'idle';
  }

  private watchError(status: Status): WatchOutcome {
    const err = errorFromStatus(status);
    if (isExpired(err)) return this.onFailure(err, 'watch');
    // Any other error inside a watch (e.g. a resourceVersion the server does not know): start over.
    this.log('warn', 'watch error; relisting', { resource: this.client.info.plural, error: err.message });
    return 'expired';
  }

  private apply(event: WatchEvent<T>): void {
    const obj = event.object;
    if (event.type === 'ADDED' || event.type === 'MODIFIED') this.upsert(this.prepare(obj));
    else if (event.type === 'DELETED') this.remove(this.prepare(obj));
    const rv = obj?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
  }

  /** Replaces the whole cache with a fresh list, emitting one handler call per difference. */
  private replace(items: T[]): void {
    const fresh = new Map<string, DeepReadonly<T>>();
    for (const item of items) {
      const obj = this.prepare(item);
      fresh.set(keyOf(obj), obj);
    }
    for (const [key, old] of [...this.cache.entries()]) {
      if (fresh.has(key)) continue;
      this.cache.delete(key);
      this.emit('onDelete', old);
    }
    for (const obj of fresh.values()) this.upsert(obj);
  }

  private upsert(obj: DeepReadonly<T>): void {
    const key = keyOf(obj);
    const old = this.cache.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(key, obj);
    if (old) this.emit('onUpdate', old, obj);
    else this.emit('onAdd', obj);
  }

  private remove(obj: DeepReadonly<T>): void {
    if (this.cache.delete(keyOf(obj))) this.emit('onDelete', obj);
  }

  /** Fills in apiVersion and kind (lists may omit them) and freezes the object. */
  private prepare(obj: T): DeepReadonly<T> {
    if (!Object.isFrozen(obj)) {
      obj.apiVersion ??= groupVersion(this.client.info);
      obj.kind ??= this.client.info.kind;
    }
    return deepFreeze(obj);
  }

  private selectors(): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
    const { namespace, labelSelector, fieldSelector } = this.options;
    return { namespace, labelSelector, fieldSelector };
  }

  private scheduleResync(signal: AbortSignal): () => void {
    const every = this.options.resyncMs ?? 0;
    if (every <= 0) return () => undefined;
    const tick = () => {
      if (signal.aborted) return;
      if (this.synced) for (const obj of this.cache.values()) this.emit('onUpdate', obj, obj);
      timer = this.clock.setTimeout(tick, every);
    };
    let timer = this.clock.setTimeout(tick, every);
    return () => this.clock.clearTimeout(timer);
  }

  private emit(kind: 'onAdd' | 'onDelete', obj: DeepReadonly<T>): void;
  private emit(kind: 'onUpdate', old: DeepReadonly<T>, cur: DeepReadonly<T>): void;
  private emit(kind: keyof InformerHandlers<T>, a: DeepReadonly<T>, b?: DeepReadonly<T>): void {
    for (const h of this.handlers) this.call(h, kind, a, b);
  }

  /** Runs one handler; a throwing handler is a bug in it, logged, and never stops the informer. */
  private call(h: InformerHandlers<T>, kind: keyof InformerHandlers<T>, a: DeepReadonly<T>, b?: DeepReadonly<T>): void {
    try {
      if (kind === 'onUpdate') h.onUpdate?.(a, b ?? a);
      else h[kind]?.(a);
    } catch (err) {
      this.log('error', `${kind} handler threw`, { resource: this.client.info.plural, key: keyOf(a), error: String(err) });
    }
  }
}

function isExpired(err: unknown): boolean {
  const e = err as { code?: unknown; httpCode?: unknown } | null;
  return e?.code === 'Gone' || e?.code === 'Expired' || e?.httpCode === 410;
}

/** {@link objectKey} for a read-only object (its parameter type is not read-only). */
function keyOf(obj: DeepReadonly<KubeObject>): string {
  return objectKey(obj as KubeObject);
}
