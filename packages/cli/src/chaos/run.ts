/**
 * A chaos run: faults on their schedule against a running `kubesim up` cluster, the steady
 * state sampled all along, then a wait for recovery after the last fault, then the report.
 */
import { ApiClient, HttpTransport, RESOURCES, type Service } from '@kubesim/api';
import { apiserverUrl } from '../cluster-files.js';
import { clusterPaths } from '../settings.js';
import { readState, type ClusterState } from '../state.js';
import { liveSupervisor } from '../stop.js';
import { formatSeconds } from './duration.js';
import { cutAvailable, inject, type ActiveFault } from './inject.js';
import type { ChaosOptions } from './options.js';
import { settled } from './recovery.js';
import { buildReport, type ChaosReport, type FaultRecord } from './report.js';
import { resolveTarget } from './resolve.js';
import { SteadyStateSampler } from './sampler.js';
import { planFaults, type PlannedFault } from './schedule.js';
import { formatTarget } from './target.js';
import { TrafficLoop } from './traffic.js';

/** A run that cannot start: no running cluster, or a Service without an EXTERNAL-IP. */
export class ChaosSetupError extends Error {
  override readonly name = 'ChaosSetupError';
}

/**
 * Healthy samples in a row (one a second) after the last fault before the run stops waiting:
 * long enough for a node that went silent to turn NotReady (grace 4 s with the fast profile)
 * and for the evictions after it to show, so a recovery is not declared while one is coming.
 */
const SETTLED_SAMPLES = 10;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Runs the experiment in `opts`, printing one line per fault through `log`, and resolves to the
 * report. Aborting `signal` stops the schedule early (paused processes are continued, cuts
 * lifted) and still reports. Throws ChaosSetupError when there is nothing to run against.
 */
export async function runChaos(opts: ChaosOptions, log: (line: string) => void, signal?: AbortSignal): Promise<ChaosReport> {
  const stateFile = clusterPaths(opts.dataDir).state;
  const state = readState(stateFile);
  if (!state?.settings || !liveSupervisor(state)) throw new ChaosSetupError(`no running kubesim cluster in ${opts.dataDir} (start one with kubesim up)`);
  const client = new ApiClient(new HttpTransport({ server: apiserverUrl(state.settings), timeoutMs: 2000 }));
  const active: ActiveFault[] = [];
  let traffic: TrafficLoop | null = null;
  try {
    const url = opts.service ? await serviceUrl(client, opts.service) : null;
    traffic = url ? new TrafficLoop(url, { workers: 4, timeoutMs: 2000, intervalMs: 50 }) : null;
    const startedAt = new Date();
    const t0 = startedAt.getTime();
    const sampler = new SteadyStateSampler(client, traffic, t0);
    sampler.start();
    const plan = planFaults({ ...opts, action: opts.fault, cutAvailable: cutAvailable(state) });
    const faults: FaultRecord[] = [];
    for (const planned of plan) {
      await sleep(t0 + planned.atMs - Date.now(), signal);
      if (signal?.aborted) break;
      const record = await fire(planned, opts, readState(stateFile) ?? state, client, t0, active);
      faults.push(record);
      log(faultLine(record));
    }
    await waitForRecovery(faults, sampler, t0, opts.recoveryTimeoutMs, signal);
    active.forEach((a) => a.end());
    await sampler.stop();
    const result = traffic && (await traffic.stop());
    traffic = null;
    return buildReport({
      seed: opts.seed,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - t0,
      faults,
      samples: sampler.samples,
      traffic: result && opts.service && url ? { service: `${opts.service.namespace}/${opts.service.name}`, url, ...result } : null,
    });
  } finally {
    active.forEach((a) => a.end());
    await traffic?.stop();
    await client.close();
  }
}

/** Resolves and injects one planned fault; what happened, as a record. */
async function fire(planned: PlannedFault, opts: ChaosOptions, state: ClusterState, client: ApiClient, t0: number, active: ActiveFault[]): Promise<FaultRecord> {
  const atMs = Date.now() - t0;
  const base = { index: planned.index, atMs, action: planned.action, endMs: atMs };
  let target;
  try {
    target = await resolveTarget(planned, { dataDir: opts.dataDir, state, client });
  } catch (err) {
    target = { error: (err as Error).message };
  }
  const asked = planned.target.kind === 'random' ? `random ${planned.kind}` : formatTarget(planned.target);
  if ('error' in target) return { ...base, target: asked, processes: [], error: target.error };
  const injection = inject(planned.action, target, opts.durationMs, opts.dataDir, state);
  if (injection.active) active.push(injection.active);
  const lasting = planned.action === 'pause' || planned.action === 'cut';
  const processes = target.processes.filter((p) => injection.pids.includes(p.pid)).map((p) => `${p.owner}:${p.pid}`);
  if (planned.action === 'cut' && injection.pids.length) processes.push(`nats-relay-${target.node}:${injection.pids[0]}`);
  return {
    ...base,
    target: target.label,
    processes,
    endMs: lasting ? atMs + opts.durationMs : atMs,
    error: injection.error ?? (injection.pids.length === 0 ? 'every process had already exited' : null),
  };
}

/** Waits until the last fault has ended and the steady state holds, or `timeoutMs` after it ended. */
async function waitForRecovery(faults: FaultRecord[], sampler: SteadyStateSampler, t0: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const lastEnd = Math.max(0, ...faults.filter((f) => f.error === null).map((f) => f.endMs));
  await sleep(t0 + lastEnd - Date.now(), signal);
  const deadline = t0 + lastEnd + timeoutMs;
  while (!signal?.aborted && Date.now() < deadline && !settled(sampler.samples, lastEnd, SETTLED_SAMPLES)) await sleep(250, signal);
}

/** `http://<EXTERNAL-IP>:<port>/` of a LoadBalancer Service. */
async function serviceUrl(client: ApiClient, svc: { namespace: string; name: string }): Promise<string> {
  const services = RESOURCES.find((r) => r.plural === 'services')!;
  let obj: Service;
  try {
    obj = await client.resource<Service>(services).get(svc.namespace, svc.name);
  } catch (err) {
    throw new ChaosSetupError(`service ${svc.namespace}/${svc.name}: ${(err as Error).message}`);
  }
  const ip = obj.status?.loadBalancer?.ingress?.[0]?.ip;
  if (obj.spec?.type !== 'LoadBalancer' || !ip) throw new ChaosSetupError(`service ${svc.namespace}/${svc.name} is not a LoadBalancer with an EXTERNAL-IP yet`);
  const port = obj.spec.ports?.[0]?.port ?? 80;
  return `http://${ip}${port === 80 ? '' : `:${port}`}/`;
}

function faultLine(f: FaultRecord): string {
  const what = f.error ? `skipped (${f.error})` : f.processes.join(' ');
  return `+${formatSeconds(f.atMs)} ${f.action} ${f.target}: ${what}`;
}
