/**
 * The apiserver's watch cache: every object of the bucket in memory, kept current by one KV
 * watch, plus a ring of recent events so watches can start at a past resourceVersion. Lists and
 * gets are served from here once the cache has caught up with the store (a consistent read).
 */
import { TimeoutError, decode, type KubeObject } from '@kubesim/api';
import type { KvEntry, QueuedIterator } from 'nats';
import type { KvStore } from './kv-store.js';

/** A stored object with its revision; `object.metadata.resourceVersion` is set. */
export interface CachedObject {
  readonly key: string;
  readonly revision: number;
  readonly object: KubeObject;
}

/** One change, as the cache saw it. `prev` is the state before (absent on ADDED). */
export interface CacheEvent {
  readonly revision: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly key: string;
  /** The new state, or for DELETED the last state with the deletion's resourceVersion. */
  readonly object: KubeObject;
  readonly prev?: KubeObject;
}

export type CacheListener = (event: CacheEvent) => void;

export interface WatchCacheOptions {
  /** How many events to keep for watches from a past resourceVersion. */
  historySize: number;
}

/** Splits a storage key into its prefix (`core/pods`) and the rest. */
export function keyPrefix(key: string): string {
  const i = key.indexOf('/');
  return key.slice(0, key.indexOf('/', i + 1));
}

export class WatchCache {
  /** prefix → key → object. */
  private readonly byPrefix = new Map<string, Map<string, CachedObject>>();
  private readonly ring: CacheEvent[] = [];
  private ringStart = 0;
  private readonly listeners = new Set<CacheListener>();
  private readonly revisionWaiters: { revision: number; resolve: () => void }[] = [];
  private iterator?: QueuedIterator<KvEntry>;
  private signal?: AbortSignal;
  private watchdog?: NodeJS.Timeout;
  private reopening = false;
  private lastChecked = -1;
  /** Objects this apiserver just wrote, by revision: the feed need not decode them again. */
  private readonly ownWrites = new Map<number, KubeObject>();
  private freshness?: Promise<void>;
  private freshnessQueued?: Promise<void>;
  /** The newest revision applied. */
  revision = 0;
  /** Watches may start at any revision ≥ this one; older ones get 410 Gone. */
  historyFloor = 0;
  synced = false;

  constructor(
    private readonly store: KvStore,
    private readonly options: WatchCacheOptions,
  ) {}

  /** Loads every object and follows changes. Resolves once the initial state is loaded. */
  async start(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    let initialized!: () => void;
    const ready = new Promise<void>((r) => (initialized = r));
    await this.follow({ initializedFn: () => initialized() });
    signal.addEventListener('abort', () => {
      clearInterval(this.watchdog);
      this.iterator?.stop();
    }, { once: true });
    await ready;
    await this.waitFresh();
    this.historyFloor = this.revision;
    this.synced = true;
    this.watchdog = setInterval(() => void this.checkProgress(), 2_000);
    this.watchdog.unref();
  }

  /** Opens the KV feed and consumes it; when it ends without an abort, it is reopened. */
  private async follow(opts: { initializedFn?: () => void; resumeFromRevision?: number }): Promise<void> {
    const iterator = await this.store.handle.watch(opts);
    this.iterator = iterator;
    void (async () => {
      try {
        for await (const entry of iterator) this.apply(entry);
      } catch {
        // the feed broke (NATS restarted); reopened below
      }
      if (this.iterator === iterator && !this.signal?.aborted) await this.reopen();
    })();
  }

  /** Restarts the feed right after the newest revision applied. */
  private async reopen(): Promise<void> {
    if (this.signal?.aborted || this.reopening) return;
    this.reopening = true;
    try {
      const old = this.iterator;
      this.iterator = undefined;
      old?.stop();
      for (let delay = 100; !this.signal?.aborted; delay = Math.min(delay * 2, 2_000)) {
        try {
          await this.follow({ resumeFromRevision: this.revision + 1 });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    } finally {
      this.reopening = false;
    }
  }

  /**
   * The library's ordered consumer can stall silently after a NATS restart. If the store is
   * ahead of the cache and the cache has not moved for two checks in a row, the feed is reopened.
   */
  private async checkProgress(): Promise<void> {
    let last: number;
    try {
      last = await this.store.lastRevision();
    } catch {
      return;
    }
    const stalled = last > this.revision && this.revision === this.lastChecked;
    this.lastChecked = this.revision;
    if (stalled) await this.reopen();
  }

  private apply(entry: KvEntry): void {
    // A reopened feed may repeat what was already applied.
    if (this.synced && entry.revision <= this.revision) return;
    const key = entry.key;
    const prefix = keyPrefix(key);
    let bucket = this.byPrefix.get(prefix);
    if (!bucket) this.byPrefix.set(prefix, (bucket = new Map()));
    const prev = bucket.get(key);
    let event: CacheEvent | undefined;
    this.store.noteTombstone(key, entry.operation === 'PUT' ? undefined : entry.revision);
    if (entry.operation === 'PUT') {
      const own = this.ownWrites.get(entry.revision);
      if (own) this.ownWrites.delete(entry.revision);
      const object = own ?? decodeObject(entry.value, entry.revision);
      if (object) {
        bucket.set(key, { key, revision: entry.revision, object });
        event = { revision: entry.revision, type: prev ? 'MODIFIED' : 'ADDED', key, object, prev: prev?.object };
      }
    } else if (prev) {
      bucket.delete(key);
      const object = { ...prev.object, metadata: { ...prev.object.metadata, resourceVersion: String(entry.revision) } };
      event = { revision: entry.revision, type: 'DELETED', key, object, prev: prev.object };
    }
    this.revision = Math.max(this.revision, entry.revision);
    if (event && this.synced) this.record(event);
    this.releaseWaiters();
  }

  private record(event: CacheEvent): void {
    this.ring.push(event);
    if (this.ring.length - this.ringStart > this.options.historySize) {
      this.historyFloor = this.ring[this.ringStart].revision;
      this.ringStart++;
      // Compact the array now and then instead of shifting on every event.
      if (this.ringStart > 4096) {
        this.ring.splice(0, this.ringStart);
        this.ringStart = 0;
      }
    }
    for (const l of this.listeners) l(event);
  }

  private releaseWaiters(): void {
    for (let i = this.revisionWaiters.length - 1; i >= 0; i--) {
      if (this.revisionWaiters[i].revision <= this.revision) {
        this.revisionWaiters[i].resolve();
        this.revisionWaiters.splice(i, 1);
      }
    }
  }

  /**
   * Hands the cache the object this apiserver stored at `revision` (resourceVersion set), so the
   * feed uses it instead of decoding the same bytes. The object must not change afterwards.
   */
  noteOwnWrite(revision: number, object: KubeObject): void {
    if (revision <= this.revision) return;
    this.ownWrites.set(revision, object);
    // Bounded: entries the feed skipped (a reopened feed, a compacted revision) are dropped.
    if (this.ownWrites.size > 10_000) {
      for (const r of this.ownWrites.keys()) if (r <= this.revision) this.ownWrites.delete(r);
    }
  }

  /**
   * Resolves once the cache has applied `revision`; rejects with 504 Timeout after `timeoutMs`
   * (the store feed is stalled, e.g. while NATS restarts), so no request hangs forever.
   */
  waitForRevision(revision: number, timeoutMs = 10_000): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const i = this.revisionWaiters.indexOf(waiter);
        if (i >= 0) this.revisionWaiters.splice(i, 1);
        reject(new TimeoutError(`Timeout: Too large resource version: ${revision}, current: ${this.revision}`));
      }, timeoutMs);
      this.revisionWaiters.push(waiter);
    });
  }

  /**
   * Resolves once the cache holds every write acknowledged before the call: it asks the stream
   * for its last revision and waits for it. Concurrent callers share one round trip, but never
   * one that started before they arrived.
   */
  waitFresh(): Promise<void> {
    if (!this.freshness) {
      this.freshness = this.checkFresh().finally(() => (this.freshness = undefined));
      return this.freshness;
    }
    if (!this.freshnessQueued) {
      this.freshnessQueued = this.freshness
        .catch(() => undefined)
        .then(() => {
          this.freshnessQueued = undefined;
          return this.waitFresh();
        });
    }
    return this.freshnessQueued;
  }

  private async checkFresh(): Promise<void> {
    const last = await this.store.lastRevision();
    await this.waitForRevision(last, 5_000);
  }

  /** The object at `key`, if present. */
  get(key: string): CachedObject | undefined {
    return this.byPrefix.get(keyPrefix(key))?.get(key);
  }

  /** Every object under a resource prefix (`core/pods`), optionally in one namespace. */
  list(prefix: string, namespace?: string): CachedObject[] {
    const bucket = this.byPrefix.get(prefix);
    if (!bucket) return [];
    const out: CachedObject[] = [];
    const nsPrefix = namespace === undefined ? undefined : `${prefix}/${namespace}/`;
    for (const entry of bucket.values()) if (!nsPrefix || entry.key.startsWith(nsPrefix)) out.push(entry);
    return out;
  }

  /**
   * Subscribes to events after `fromRevision`: replays retained history first, then live events.
   * Returns undefined when that history is gone (the caller answers 410 Gone).
   */
  subscribe(fromRevision: number, listener: CacheListener): (() => void) | undefined {
    if (fromRevision < this.historyFloor) return undefined;
    for (let i = this.ringStart; i < this.ring.length; i++) {
      if (this.ring[i].revision > fromRevision) listener(this.ring[i]);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Count of cached objects, for metrics. */
  get size(): number {
    let n = 0;
    for (const b of this.byPrefix.values()) n += b.size;
    return n;
  }
}

function decodeObject(value: Uint8Array, revision: number): KubeObject | undefined {
  try {
    const obj = decode<KubeObject>(value);
    obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
    return obj;
  } catch {
    // A value we did not write (or a corrupted one) must not stop the cache.
    return undefined;
  }
}
