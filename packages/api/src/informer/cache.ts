/**
 * The informer's store: frozen objects by `namespace/name` key, plus inverted indexes (index
 * value -> keys) kept in step with every write, like client-go's cache.Indexer.
 */
import type { DeepReadonly, KubeObject } from '../meta.js';

/** Maps an object to the values it is found under in an index (none, one or several). */
export type IndexFunc<T> = (obj: DeepReadonly<T>) => readonly string[];

interface Index<T> {
  fn: IndexFunc<T>;
  keysByValue: Map<string, Set<string>>;
}

const EMPTY: ReadonlySet<string> = new Set();

export class IndexedCache<T extends KubeObject> {
  private readonly objects = new Map<string, DeepReadonly<T>>();
  private readonly indexes = new Map<string, Index<T>>();

  /** Registers an index; objects already stored are indexed at once. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index "${name}" is already registered`);
    const index: Index<T> = { fn, keysByValue: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.objects) this.indexInto(index, key, obj, +1);
  }

  hasIndex(name: string): boolean {
    return this.indexes.has(name);
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): DeepReadonly<T> | undefined {
    return this.objects.get(key);
  }

  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  entries(): IterableIterator<[string, DeepReadonly<T>]> {
    return this.objects.entries();
  }

  values(): DeepReadonly<T>[] {
    return [...this.objects.values()];
  }

  /** Stores `obj` under `key`; returns the object it replaced. */
  set(key: string, obj: DeepReadonly<T>): DeepReadonly<T> | undefined {
    const old = this.objects.get(key);
    if (old) for (const index of this.indexes.values()) this.indexInto(index, key, old, -1);
    this.objects.set(key, obj);
    for (const index of this.indexes.values()) this.indexInto(index, key, obj, +1);
    return old;
  }

  /** Removes `key`; returns the object it held. */
  delete(key: string): DeepReadonly<T> | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    for (const index of this.indexes.values()) this.indexInto(index, key, old, -1);
    this.objects.delete(key);
    return old;
  }

  /** Keys of the objects an index files under `value`. Throws for an unknown index (a bug). */
  indexKeys(name: string, value: string): ReadonlySet<string> {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named "${name}"`);
    return index.keysByValue.get(value) ?? EMPTY;
  }

  /** Objects an index files under `value`. */
  byIndex(name: string, value: string): DeepReadonly<T>[] {
    return [...this.indexKeys(name, value)].map((k) => this.objects.get(k)!);
  }

  private indexInto(index: Index<T>, key: string, obj: DeepReadonly<T>, delta: 1 | -1): void {
    for (const value of new Set(index.fn(obj))) {
      let keys = index.keysByValue.get(value);
      if (delta > 0) {
        if (!keys) index.keysByValue.set(value, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) index.keysByValue.delete(value);
      }
    }
  }
}

/** Freezes a plain object graph in place, so a cached object cannot be changed by mistake. */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  // Typed arrays cannot be frozen; they are left as they are.
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value as DeepReadonly<T>;
}
