/**
 * One informer per resource, shared by every controller of the process (client-go's
 * SharedInformerFactory): each resource is listed and watched once, whatever the number of
 * controllers reading it, and their custom indexes live side by side on the same cache.
 */
import {
  Informer,
  RESOURCES,
  type ApiClient,
  type Clock,
  type IndexFunc,
  type KubeObject,
  type LogFn,
  type ResourceInfo,
} from '@kubesim/api';

/** Index of objects by the uid of each of their owners. */
export const OWNER_UID_INDEX = 'metadata.ownerReferences.uid';
/** Index of objects by their own uid. */
export const UID_INDEX = 'metadata.uid';

/** The index functions controllers share, by name (so two controllers asking get one index). */
const SHARED_INDEXES: Record<string, IndexFunc<KubeObject>> = {
  [OWNER_UID_INDEX]: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
  [UID_INDEX]: (o) => (o.metadata.uid ? [o.metadata.uid] : []),
};

/** Clock and log handed to every informer. */
export interface SharedInformerFactoryOptions {
  clock?: Clock;
  log?: LogFn;
}

/** Creates informers on demand, one per resource, and starts them together. */
export class SharedInformerFactory {
  private readonly informers = new Map<ResourceInfo, Informer<any>>();
  private readonly indexes = new Map<ResourceInfo, Set<string>>();
  private readonly running = new Map<ResourceInfo, Promise<void>>();

  constructor(
    private readonly client: ApiClient,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {}

  /** The informer of a resource from the RESOURCES table, created on first use. */
  informer<T extends KubeObject = KubeObject>(info: ResourceInfo): Informer<T> {
    let inf = this.informers.get(info);
    if (!inf) {
      const log = this.options.log;
      inf = new Informer<T>(this.client.resource<T>(info), {
        clock: this.options.clock,
        log: log && ((level, message, fields) => log(level, message, { resource: info.plural, ...fields })),
      });
      this.informers.set(info, inf);
      this.indexes.set(info, new Set());
    }
    return inf as Informer<T>;
  }

  /** The informer of `plural` in `group` (core when omitted), at its preferred version. */
  resource<T extends KubeObject = KubeObject>(plural: string, group = ''): Informer<T> {
    // RESOURCES lists a group's preferred version first.
    const info = RESOURCES.find((r) => r.group === group && r.plural === plural);
    if (!info) throw new Error(`no resource ${plural} in group "${group}"`);
    return this.informer<T>(info);
  }

  /**
   * Makes sure a shared index (OWNER_UID_INDEX, UID_INDEX) exists on a resource's informer.
   * Only before `start`.
   */
  ensureIndex(info: ResourceInfo, name: keyof typeof SHARED_INDEXES | string): void {
    const fn = SHARED_INDEXES[name];
    if (!fn) throw new Error(`unknown shared index ${name}`);
    const have = this.indexes.get(info) ?? new Set<string>();
    if (have.has(name)) return;
    this.informer(info).addIndex(name, fn as IndexFunc<KubeObject>);
    have.add(name);
    this.indexes.set(info, have);
  }

  /** Every informer created so far, with its resource. */
  all(): [ResourceInfo, Informer<KubeObject>][] {
    return [...this.informers.entries()];
  }

  /** Starts every informer not yet started; they run until `signal` aborts. */
  start(signal: AbortSignal): void {
    for (const [info, inf] of this.informers) {
      if (!this.running.has(info)) this.running.set(info, inf.start(signal));
    }
  }

  /** Resolves true once every started informer has synced, false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.running.keys()].map((info) => this.informers.get(info)!.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Resolves once every started informer has stopped. */
  async stopped(): Promise<void> {
    await Promise.all(this.running.values());
  }
}
