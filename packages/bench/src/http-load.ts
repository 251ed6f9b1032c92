/**
 * A closed-loop HTTP load generator on Node's http module: a fixed number of requests in
 * flight, each worker sending its next GET as soon as the previous one's body has arrived.
 */
import http from 'node:http';

/** How connections are used: a fixed pool of persistent ones, or a new TCP connection per request. */
export type ConnectionMode = 'keep-alive' | 'new-connection';

/** One HTTP endpoint to load. */
export interface HttpTarget {
  host: string;
  port: number;
}

export interface LoadOptions {
  /** Targets are used round-robin, request by request (e.g. every replica's pod IP). */
  targets: readonly HttpTarget[];
  path: string;
  mode: ConnectionMode;
  /** Requests in flight; with keep-alive also the number of persistent connections. */
  concurrency: number;
  /** Stop sending after this long. */
  durationMs: number;
  /** Stop sending after this many requests (0: no limit). */
  maxRequests: number;
  /** A request taking longer counts as failed. */
  timeoutMs: number;
}

/** What one run measured. */
export interface LoadResult {
  /** Answered with a 2xx status and a whole body. */
  ok: number;
  failed: number;
  /** First error messages seen, with counts, for the report. */
  errors: Map<string, number>;
  /** Wall time from the first request sent to the last answer, in seconds. */
  seconds: number;
  /** Latency of each successful request in ms, sorted ascending. */
  latenciesMs: number[];
}

/**
 * Loads the targets for `durationMs` (or `maxRequests`) and resolves once every request in
 * flight has finished. Never rejects: failures are counted in the result.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.targets.length === 0) throw new TypeError('at least one target is needed');
  const agent = options.mode === 'keep-alive' ? new http.Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency }) : false;
  const result: LoadResult = { ok: 0, failed: 0, errors: new Map(), seconds: 0, latenciesMs: [] };
  const start = performance.now();
  const deadline = start + options.durationMs;
  let sent = 0;
  const more = () => performance.now() < deadline && (options.maxRequests <= 0 || sent < options.maxRequests);
  const worker = async () => {
    while (more()) {
      const target = options.targets[sent++ % options.targets.length];
      const t0 = performance.now();
      const err = await get(target, options.path, agent, options.timeoutMs);
      if (err === undefined) {
        result.ok++;
        result.latenciesMs.push(performance.now() - t0);
      } else {
        result.failed++;
        result.errors.set(err, (result.errors.get(err) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.seconds = (performance.now() - start) / 1000;
  if (agent) agent.destroy();
  result.latenciesMs.sort((a, b) => a - b);
  return result;
}

/** The results of several runs as one: counts and times added, latencies pooled and sorted. */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  const out: LoadResult = { ok: 0, failed: 0, errors: new Map(), seconds: 0, latenciesMs: [] };
  for (const r of results) {
    out.ok += r.ok;
    out.failed += r.failed;
    out.seconds += r.seconds;
    for (const [e, n] of r.errors) out.errors.set(e, (out.errors.get(e) ?? 0) + n);
    for (const l of r.latenciesMs) out.latenciesMs.push(l);
  }
  out.latenciesMs.sort((a, b) => a - b);
  return out;
}

/** One GET with its body read to the end; resolves with undefined on a 2xx, else a short error text. */
function get(target: HttpTarget, path: string, agent: http.Agent | false, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (err?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(err);
    };
    const req = http.get({ host: target.host, port: target.port, path, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => done(res.statusCode! >= 200 && res.statusCode! < 300 ? undefined : `HTTP ${res.statusCode}`));
      res.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    const timer = setTimeout(() => {
      done(`timeout ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
  });
}
