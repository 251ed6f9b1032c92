/**
 * Active health checks of nodes, as a cloud load balancer does them: `GET /healthz` on each
 * node's proxy every interval with a short timeout. A node failing `unhealthyThreshold` checks
 * in a row is taken out; `healthyThreshold` successes in a row bring it back. A dead proxy
 * refuses the connect, a stopped (SIGSTOP) one accepts it in the kernel but never answers, an
 * unreachable node times out: all three fail the check.
 */
import http from 'node:http';
import { realClock, type Clock, type LogFn } from '@kubesim/api';

/** What the checker knows about one node. */
export interface HealthState {
  healthy: boolean;
  /** Consecutive results that disagree with `healthy`. */
  streak: number;
}

export interface Thresholds {
  unhealthyThreshold: number;
  healthyThreshold: number;
}

/** The state after one check result. Pure. */
export function observeHealth(state: HealthState, ok: boolean, t: Thresholds): HealthState {
  if (ok === state.healthy) return { healthy: state.healthy, streak: 0 };
  const streak = state.streak + 1;
  const needed = state.healthy ? t.unhealthyThreshold : t.healthyThreshold;
  return streak >= needed ? { healthy: ok, streak: 0 } : { healthy: state.healthy, streak };
}

/** A node to check. */
export interface HealthTarget {
  name: string;
  ip: string;
}

export interface NodeHealthCheckerOptions extends Thresholds {
  /** The proxies' health port (10256). */
  port: number;
  intervalMs: number;
  timeoutMs: number;
  /** Called after any node changed between healthy and unhealthy. */
  onChange: () => void;
  clock?: Clock;
  log: LogFn;
}

interface Tracked {
  target: HealthTarget;
  state: HealthState;
  stop: AbortController;
}

export class NodeHealthChecker {
  private readonly tracked = new Map<string, Tracked>();
  private readonly clock: Clock;
  private stopped = false;

  constructor(private readonly options: NodeHealthCheckerOptions) {
    this.clock = options.clock ?? realClock;
  }

  /**
   * Checks exactly these nodes from now on. A new node counts as healthy until its checks say
   * otherwise (a failed connect is retried elsewhere meanwhile); a node whose IP changed
   * starts over.
   */
  setTargets(targets: readonly HealthTarget[]): void {
    const wanted = new Map(targets.map((t) => [t.name, t]));
    for (const [name, t] of this.tracked) {
      if (wanted.get(name)?.ip === t.target.ip) continue;
      t.stop.abort();
      this.tracked.delete(name);
    }
    for (const target of wanted.values()) {
      if (this.tracked.has(target.name) || this.stopped) continue;
      const t: Tracked = { target, state: { healthy: true, streak: 0 }, stop: new AbortController() };
      this.tracked.set(target.name, t);
      void this.loop(t);
    }
  }

  healthy(name: string): boolean {
    return this.tracked.get(name)?.state.healthy ?? false;
  }

  /** Stops every check loop. */
  stop(): void {
    this.stopped = true;
    for (const t of this.tracked.values()) t.stop.abort();
    this.tracked.clear();
  }

  private async loop(t: Tracked): Promise<void> {
    const signal = t.stop.signal;
    while (!signal.aborted) {
      const started = this.clock.now();
      const ok = await this.check(t.target.ip, signal);
      if (signal.aborted) return;
      const before = t.state.healthy;
      t.state = observeHealth(t.state, ok, this.options);
      if (t.state.healthy !== before) this.changed(t);
      await this.clock.sleep(Math.max(0, this.options.intervalMs - (this.clock.now() - started)), signal);
    }
  }

  private changed(t: Tracked): void {
    const { name, ip } = t.target;
    if (t.state.healthy) this.options.log('info', 'node passed its health checks; it gets traffic again', { node: name, ip });
    else this.options.log('warn', 'node failed its health checks; taken out', { node: name, ip });
    this.options.onChange();
  }

  /** One `GET /healthz`: true on a 200 within the timeout. */
  private check(ip: string, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get({ host: ip, port: this.options.port, path: '/healthz', agent: false, signal, headers: { 'user-agent': 'kubesim-lb/health-check' } }, (res) => finish(res.statusCode === 200));
      const timer = this.clock.setTimeout(() => req.destroy(), this.options.timeoutMs);
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        req.destroy();
        resolve(ok);
      };
      req.on('error', () => finish(false));
      req.on('close', () => finish(false));
    });
  }
}
