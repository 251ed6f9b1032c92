/** The report of a chaos run: its JSON shape, how it is built from what was seen, and its table. */
import { formatTable } from '../format.js';
import { formatSeconds } from './duration.js';
import { isHealthy, minAvailable, recoveryOf, type Sample } from './recovery.js';
import type { FaultAction } from './schedule.js';
import { formatRate } from './traffic.js';

/** One fault as it happened. */
export interface FaultRecord {
  index: number;
  /** Milliseconds after the start of the run. */
  atMs: number;
  action: FaultAction;
  /** `node/node-2`, `pod/default/web-1`, `component/lb`, `apiserver`, `nats`; or what was asked when nothing was hit. */
  target: string;
  /** `scheduler:1234`, `pod default/web-1:2345`… */
  processes: string[];
  /** When it stopped acting: atMs for kill and restart, atMs + duration for pause and cut. */
  endMs: number;
  /** Why nothing was hit (no such pod, no relay…); the fault then counts as skipped. */
  error: string | null;
}

/** A fault with its measured recovery. */
export interface FaultResult extends FaultRecord {
  disrupted: boolean;
  recoveryMs: number | null;
}

/** The whole report; `kubesim chaos --json` prints exactly this. */
export interface ChaosReport {
  seed: number;
  startedAt: string;
  durationMs: number;
  faults: FaultResult[];
  traffic: { service: string; url: string; ok: number; failed: number; successRate: number; failures: string[] } | null;
  deployments: { name: string; declared: number; available: number; minAvailable: number }[];
  recovery: {
    /** Time from the end of the last fault until the steady state was back for good; null if it never was. */
    afterLastFaultMs: number | null;
    recovered: boolean;
    /** The longest recovery among faults that recovered before the next one. */
    maxMs: number | null;
  };
  samples: number;
}

/** What a run collected, for buildReport. */
export interface RunRecord {
  seed: number;
  startedAt: string;
  durationMs: number;
  faults: FaultRecord[];
  samples: Sample[];
  traffic: ChaosReport['traffic'];
}

/** The report from what a run saw: per-fault recovery over each fault's window, and the totals. */
export function buildReport(run: RunRecord): ChaosReport {
  const hits = run.faults.filter((f) => f.error === null);
  const faults: FaultResult[] = run.faults.map((f) => {
    if (f.error !== null) return { ...f, disrupted: false, recoveryMs: null };
    const next = hits.find((h) => h.atMs > f.atMs);
    return { ...f, ...recoveryOf({ startMs: f.atMs, endMs: f.endMs, untilMs: next?.atMs ?? null }, run.samples) };
  });
  const lastEnd = hits.length ? Math.max(...hits.map((f) => f.endMs)) : 0;
  const final = recoveryOf({ startMs: lastEnd, endMs: lastEnd, untilMs: null }, run.samples);
  const last = run.samples.at(-1);
  const mins = minAvailable(run.samples);
  const recoveries = faults.map((f) => f.recoveryMs).filter((ms): ms is number => ms !== null);
  return {
    seed: run.seed,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    faults,
    traffic: run.traffic,
    deployments: (last?.deployments ?? []).map((d) => ({ ...d, minAvailable: mins.get(d.name) ?? d.available })),
    recovery: {
      afterLastFaultMs: final.recoveryMs,
      recovered: final.recoveryMs !== null && !!last && isHealthy(last),
      maxMs: recoveries.length ? Math.max(...recoveries) : null,
    },
    samples: run.samples.length,
  };
}

/** The report as a newcomer reads it: one row per fault, then the steady-state figures. */
export function formatReport(r: ChaosReport): string {
  const rows = [
    ['#', 'AT', 'ACTION', 'TARGET', 'PROCESSES', 'DISRUPTED', 'RECOVERED IN'],
    ...r.faults.map((f) => [
      String(f.index),
      formatSeconds(f.atMs),
      f.action,
      f.target,
      f.error ? `skipped: ${f.error}` : shortList(f.processes),
      f.error ? '-' : f.disrupted ? 'yes' : 'no',
      f.error ? '-' : f.recoveryMs === null ? 'not before next fault' : formatSeconds(f.recoveryMs),
    ]),
  ];
  const lines = [formatTable(rows)];
  for (const d of r.deployments) {
    lines.push(`deployment ${d.name}: ${d.available}/${d.declared} available at the end, at least ${d.minAvailable} throughout\n`);
  }
  if (r.traffic) lines.push(`loadbalancer ${r.traffic.service} (${r.traffic.url}): ${formatRate(r.traffic)}\n`);
  const injected = r.faults.filter((f) => f.error === null).length;
  lines.push(
    r.recovery.recovered
      ? `recovered ${formatSeconds(r.recovery.afterLastFaultMs)} after the last fault; longest recovery ${formatSeconds(r.recovery.maxMs)}\n`
      : 'NOT recovered at the end of the run\n',
    `${injected} of ${r.faults.length} faults injected over ${formatSeconds(r.durationMs)}, seed ${r.seed} (--seed ${r.seed} replays them)\n`,
  );
  return lines.join('');
}

/** Up to three entries, then how many more. */
function shortList(items: string[]): string {
  return items.length <= 3 ? items.join(' ') : `${items.slice(0, 2).join(' ')} +${items.length - 2} more`;
}
