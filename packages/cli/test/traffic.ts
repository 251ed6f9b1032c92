/**
 * Continuous HTTP traffic for chaos tests: a few workers each send GETs one after another, every
 * one on a new connection (so each is balanced anew), with a per-request timeout. Bounded: it
 * runs until stopped. Counts what was served and keeps a sample of what failed.
 */
import http from 'node:http';

/** What a traffic run saw. */
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

export class TrafficLoop {
  private stopped = false;
  private readonly started = Date.now();
  private ok = 0;
  private failed = 0;
  private matched = 0;
  private readonly failures: string[] = [];
  private readonly workers: Promise<void>[];

  /** Starts `workers` loops against `url`; `watch` counts bodies it matches. */
  constructor(
    private readonly url: string,
    opts: { workers?: number; timeoutMs?: number; watch?: RegExp } = {},
  ) {
    const timeoutMs = opts.timeoutMs ?? 2000;
    this.workers = Array.from({ length: opts.workers ?? 4 }, () => this.work(timeoutMs, opts.watch));
  }

  /** Requests answered so far. */
  get served(): number {
    return this.ok;
  }

  /** Answers that matched `watch` so far. */
  get matches(): number {
    return this.matched;
  }

  /** Stops the workers (after their request in flight) and reports. */
  async stop(): Promise<TrafficResult> {
    this.stopped = true;
    await Promise.all(this.workers);
    const total = this.ok + this.failed;
    return { ok: this.ok, failed: this.failed, successRate: total === 0 ? 1 : this.ok / total, failures: this.failures, matched: this.matched };
  }

  private async work(timeoutMs: number, watch?: RegExp): Promise<void> {
    while (!this.stopped) {
      try {
        const body = await getOnce(this.url, timeoutMs);
        this.ok++;
        if (watch?.test(body)) this.matched++;
      } catch (err) {
        this.failed++;
        if (this.failures.length < 20) this.failures.push(`+${((Date.now() - this.started) / 1000).toFixed(1)} s: ${(err as Error).message}`);
      }
    }
  }
}

/** "99.95% (19990 of 20000 served)". */
export function formatRate(r: TrafficResult): string {
  return `${(r.successRate * 100).toFixed(2)}% (${r.ok} of ${r.ok + r.failed} served)`;
}
