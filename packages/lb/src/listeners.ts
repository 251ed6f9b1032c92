/**
 * The listeners of one process, each owned by one Service: a Service's reconcile hands over the
 * listeners it wants and this set creates, updates and retires TcpProxies to match.
 */
import { realClock, stderrLog, type Clock, type LogFn } from '@kubesim/api';
import type { ListenerSpec } from './endpoints.js';
import { TcpProxy } from './tcp-proxy.js';

export interface ListenerSetOptions {
  connectTimeoutMs: number;
  clock?: Clock;
  log?: LogFn;
}

interface Entry {
  owner: string;
  proxy: TcpProxy;
}

export class ListenerSet {
  private readonly byKey = new Map<string, Entry>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly retired = new Set<TcpProxy>();

  constructor(private readonly options: ListenerSetOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog('listeners');
  }

  /**
   * Makes `owner`'s listeners exactly `specs`: new ones start, kept ones get the new backends
   * and affinity, dropped ones stop listening while their open connections finish. A spec whose
   * address another owner holds is skipped (and logged).
   */
  sync(owner: string, specs: readonly ListenerSpec[]): void {
    const wanted = new Set<string>();
    for (const spec of specs) {
      const held = this.byKey.get(spec.key);
      if (held && held.owner !== owner) {
        this.log('warn', 'address already served for another service; skipped', { address: spec.key, listener: spec.name, holder: held.owner });
        continue;
      }
      wanted.add(spec.key);
      if (held) {
        held.proxy.setBackends(spec.backends);
        held.proxy.setAffinity(spec.affinitySeconds);
        held.proxy.setSource(spec.source);
      } else {
        this.start(owner, spec);
      }
    }
    for (const key of this.byOwner.get(owner) ?? []) if (!wanted.has(key)) this.retire(key);
    if (wanted.size > 0) this.byOwner.set(owner, wanted);
    else this.byOwner.delete(owner);
  }

  /** The proxy serving `host:port`, if any. */
  get(key: string): TcpProxy | undefined {
    return this.byKey.get(key)?.proxy;
  }

  /** Addresses served, with their owners. */
  entries(): { key: string; owner: string; listening: boolean; backends: number }[] {
    return [...this.byKey].map(([key, e]) => ({ key, owner: e.owner, listening: e.proxy.listening, backends: e.proxy.backends().length }));
  }

  /** Stops every listener; open connections get `drainMs` to finish. */
  async close(drainMs: number): Promise<void> {
    // Listeners already retired are cut at the same deadline.
    const proxies = [...[...this.byKey.values()].map((e) => e.proxy), ...this.retired];
    this.byKey.clear();
    this.byOwner.clear();
    await Promise.all(proxies.map((p) => p.close(drainMs)));
  }

  private start(owner: string, spec: ListenerSpec): void {
    const proxy = new TcpProxy({
      host: spec.host,
      port: spec.port,
      backends: spec.backends,
      affinitySeconds: spec.affinitySeconds,
      source: spec.source,
      connectTimeoutMs: this.options.connectTimeoutMs,
      name: spec.name,
      clock: this.clock,
      log: this.log,
    });
    this.byKey.set(spec.key, { owner, proxy });
  }

  /** Stops listening; connections already open run to their end, as conntrack keeps them in Kubernetes. */
  private retire(key: string): void {
    const entry = this.byKey.get(key);
    if (!entry) return;
    this.byKey.delete(key);
    this.retired.add(entry.proxy);
    void entry.proxy.close(Infinity).finally(() => this.retired.delete(entry.proxy));
  }
}
