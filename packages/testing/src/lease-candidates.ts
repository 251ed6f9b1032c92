/**
 * Processes of one component that elect a leader through a Lease in kube-system, as failover
 * tests drive them: start another candidate, find which one leads, stop them all.
 */
import { findResource, type ApiClient, type Lease } from '@kubesim/api';
import type { TestProcess } from './process.js';

const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
/** The pid in a leaderIdentity() (`<host>_<pid>_<8 hex digits>`); NaN for any other holder. */
export function pidOfIdentity(identity: string | undefined): number {
  return Number(/_(\d+)_[0-9a-f]{8}$/.exec(identity ?? '')?.[1]);
}

/** The candidates of one Lease, by pid. */
export class LeaseCandidates {
  readonly procs = new Map<number, TestProcess>();

  /**
   * @param client reads the Lease
   * @param leaseName the Lease in kube-system (`kube-scheduler`, `kube-controller-manager`)
   * @param spawn starts one more candidate process
   */
  constructor(
    private readonly client: ApiClient,
    private readonly leaseName: string,
    private readonly spawn: () => TestProcess,
  ) {}

  /** Starts one more candidate. */
  start(): TestProcess {
    const proc = this.spawn();
    this.procs.set(proc.pid, proc);
    return proc;
  }

  /** How many candidates are alive. */
  get running(): number {
    return [...this.procs.values()].filter((p) => p.running).length;
  }

  /** The process holding the Lease now, if it is one of ours and alive. */
  async leader(): Promise<TestProcess | undefined> {
    const lease = await this.client.resource<Lease>(LEASES).get('kube-system', this.leaseName).catch(() => undefined);
    const pid = pidOfIdentity(lease?.spec?.holderIdentity);
    const proc = this.procs.get(pid);
    return proc?.running ? proc : undefined;
  }

  /** SIGKILLs every candidate. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.kill('SIGKILL')));
  }
}

/** `min …, median …, max … (n=…)` of durations in milliseconds, for printed figures. */
export function formatMsStats(ms: readonly number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `min ${s[0]} ms, median ${s[Math.floor(s.length / 2)]} ms, max ${s.at(-1)} ms (n=${s.length})`;
}
