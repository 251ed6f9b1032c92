/**
 * Continuous HTTP traffic to a URL (a LoadBalancer's EXTERNAL-IP): a few workers each send GETs
 * one after another, every one on a new connection (so each is balanced anew), with a timeout.
 * With `intervalMs` each worker starts a request at most that often, so a burst of instant
 * failures (connection refused) weighs as much as the same time of answers would, not more.
 */
import http from 'node:http';

/** What a traffic run (or one window of it) saw. */
export interface TrafficResult {
  ok: number;
  failed: number;
  /** ok / (ok + failed), 1 when nothing was sent. */
  successRate: number;
  /** The first failures: time since start, and why. */
  failures: string[];
  /** Bodies that matched `watch` (e.g. how many answers came from a new version). */
  matched: number;
}

/** Requests finished since the previous `takeWindow()`. */
export interface TrafficWindow {
  ok: number;
  failed: number;
}

/** Options of a TrafficLoop. */
export interface TrafficOptions {
  workers?: number;
  timeoutMs?: number;
  /** Minimum time between the starts of one worker's requests (0: back to back). */
  intervalMs?: number;
  watch?: RegExp;
}

/** One GET on a fresh connection: the body on a 200, or an Error. */
export function getOnce(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Traffic that runs from construction until `stop()`. */
export class TrafficLoop {
  private stopped = false;
  private readonly started = Date.now();
  private ok = 0;
  private failed = 0;
  private matched = 0;
  private window: TrafficWindow = { ok: 0, failed: 0 };
  private readonly failures: string[] = [];
  private readonly workers: Promise<void>[];

  /** Starts `workers` loops (default 4) against `url`; `watch` counts bodies it matches. */
  constructor(
    private readonly url: string,
    opts: TrafficOptions = {},
  ) {
    const timeoutMs = opts.timeoutMs ?? 2000;
    this.workers = Array.from({ length: opts.workers ?? 4 }, () => this.work(timeoutMs, opts.intervalMs ?? 0, opts.watch));
  }

  /** Requests answered so far. */
  get served(): number {
    return this.ok;
  }

  /** Answers that matched `watch` so far. */
  get matches(): number {
    return this.matched;
  }

  /** The requests finished since the last call (or the start), and starts a new window. */
  takeWindow(): TrafficWindow {
    const w = this.window;
    this.window = { ok: 0, failed: 0 };
    return w;
  }

  /** Stops the workers (after their request in flight) and reports the whole run. */
  async stop(): Promise<TrafficResult> {
    this.stopped = true;
    await Promise.all(this.workers);
    const total = this.ok + this.failed;
    return { ok: this.ok, failed: this.failed, successRate: total === 0 ? 1 : this.ok / total, failures: this.failures, matched: this.matched };
  }

  private async work(timeoutMs: number, intervalMs: number, watch?: RegExp): Promise<void> {
    while (!this.stopped) {
      const begun = Date.now();
      try {
        const body = await getOnce(this.url, timeoutMs);
        this.ok++;
        this.window.ok++;
        if (watch?.test(body)) this.matched++;
      } catch (err) {
        this.failed++;
        this.window.failed++;
        if (this.failures.length < 20) this.failures.push(`+${((Date.now() - this.started) / 1000).toFixed(1)} s: ${(err as Error).message}`);
      }
      const wait = begun + intervalMs - Date.now();
      if (wait > 0 && !this.stopped) await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** "99.95% (19990 of 20000 served)". */
export function formatRate(r: Pick<TrafficResult, 'ok' | 'failed' | 'successRate'>): string {
  return `${(r.successRate * 100).toFixed(2)}% (${r.ok} of ${r.ok + r.failed} served)`;
}
