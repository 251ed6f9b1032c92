/**
 * The scheduler's settings: flags, environment variables (KUBESIM_*), Kubernetes' defaults and
 * the fast profile for tests and demos.
 */
import { parseArgs } from 'node:util';
import {
  LEADER_ELECTION_DEFAULTS,
  LEADER_ELECTION_FAST,
  LEADER_ELECTION_USAGE,
  leaderElectionConfig,
  leaderElectionProblems,
  splitLeaderElectionFlags,
  type LeaderElectionConfig,
} from '@kubesim/api';
import { DEFAULT_SCHEDULER_NAME } from './cluster-events.js';

export interface SchedulerConfig {
  natsUrl: string;
  /** Pods whose spec.schedulerName is this are ours. */
  schedulerName: string;
  profile: 'default' | 'fast';
  /** Backoff after a pod's first failed attempt, doubled per attempt... */
  podInitialBackoffMs: number;
  /** ...up to this. */
  podMaxBackoffMs: number;
  /** Longest wait of an unschedulable pod before it is retried without any cluster event. */
  podMaxInUnschedulableMs: number;
  /** Share of nodes searched for feasible ones per pod; 0 is kube-scheduler's adaptive rule. */
  percentageOfNodesToScore: number;
  /** Seed for breaking ties between equally scored nodes; random when unset. */
  seed?: number;
  /**
   * Whether to schedule only while holding the Lease kube-system/kube-scheduler (the scheduler
   * name's own Lease for a scheduler not named default-scheduler), and its timers.
   */
  leaderElection: LeaderElectionConfig;
}

export const DEFAULTS: SchedulerConfig = {
  natsUrl: 'nats://127.0.0.1:4222',
  schedulerName: DEFAULT_SCHEDULER_NAME,
  profile: 'default',
  podInitialBackoffMs: 1000,
  podMaxBackoffMs: 10_000,
  podMaxInUnschedulableMs: 60_000,
  percentageOfNodesToScore: 0,
  leaderElection: { leaderElect: true, ...LEADER_ELECTION_DEFAULTS },
};

/** Timers of the fast profile. */
const FAST: Pick<SchedulerConfig, 'podInitialBackoffMs' | 'podMaxBackoffMs' | 'podMaxInUnschedulableMs' | 'leaderElection'> = {
  podInitialBackoffMs: 200,
  podMaxBackoffMs: 2000,
  podMaxInUnschedulableMs: 5000,
  leaderElection: { leaderElect: true, ...LEADER_ELECTION_FAST },
};

export const USAGE = `kubesim-scheduler: binds pending pods to nodes (filter, score, bind)

  --nats-url URL              NATS server (env KUBESIM_NATS_URL; default ${DEFAULTS.natsUrl})
  --scheduler-name NAME       schedule pods with this spec.schedulerName
                              (env KUBESIM_SCHEDULER_NAME; default ${DEFAULTS.schedulerName})
  --profile default|fast      timers (env KUBESIM_PROFILE). default: backoff 1 s to 10 s,
                              unschedulable pods retried at least every 60 s; fast: 0.2 s to
                              2 s, every 5 s
  --percentage-of-nodes-to-score N
                              nodes searched per pod, in percent (default 0: adaptive)
  --seed N                    seed for breaking score ties (env KUBESIM_SCHEDULER_SEED)
${LEADER_ELECTION_USAGE}`;

/** Settings for a profile, before flags that override single values. */
export function profileConfig(profile: SchedulerConfig['profile']): SchedulerConfig {
  return profile === 'fast' ? { ...DEFAULTS, ...FAST, profile } : { ...DEFAULTS, profile };
}

/** Parses argv and environment. Throws an Error with the usage text on bad flags. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): SchedulerConfig | 'help' {
  const { rest, flags } = withUsage(() => splitLeaderElectionFlags(argv));
  const { values } = parseArgs({
    args: rest,
    options: {
      'nats-url': { type: 'string' },
      'scheduler-name': { type: 'string' },
      profile: { type: 'string' },
      'percentage-of-nodes-to-score': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const profile = values.profile ?? env.KUBESIM_PROFILE ?? 'default';
  if (profile !== 'default' && profile !== 'fast') throw new Error(`--profile must be default or fast\n\n${USAGE}`);
  const seed = values.seed ?? env.KUBESIM_SCHEDULER_SEED;
  return {
    ...profileConfig(profile),
    natsUrl: values['nats-url'] ?? env.KUBESIM_NATS_URL ?? DEFAULTS.natsUrl,
    schedulerName: values['scheduler-name'] ?? env.KUBESIM_SCHEDULER_NAME ?? DEFAULTS.schedulerName,
    percentageOfNodesToScore: integer(values['percentage-of-nodes-to-score'], 'percentage-of-nodes-to-score', 0),
    leaderElection: withUsage(() => leaderElectionConfig(flags, env, profile)),
    ...(seed !== undefined ? { seed: integer(seed, 'seed', 0) } : {}),
  };
}

/** Every problem with a config, empty when it is usable. */
export function configProblems(c: SchedulerConfig): string[] {
  const problems: string[] = [];
  if (!c.natsUrl) problems.push('natsUrl is required');
  if (!c.schedulerName) problems.push('schedulerName is required');
  for (const k of ['podInitialBackoffMs', 'podMaxBackoffMs', 'podMaxInUnschedulableMs'] as const) {
    if (!Number.isFinite(c[k]) || c[k] < 0) problems.push(`${k} must be a number >= 0`);
  }
  if (c.leaderElection.leaderElect) problems.push(...leaderElectionProblems(c.leaderElection));
  if (!(c.percentageOfNodesToScore >= 0 && c.percentageOfNodesToScore <= 100)) problems.push('percentageOfNodesToScore must be within 0..100');
  return problems;
}

function integer(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: not a whole number: ${v}\n\n${USAGE}`);
  return n;
}

function withUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${USAGE}`);
  }
}

/** The Lease a scheduler elects its leader through: upstream's name for the default scheduler. */
export function leaseName(schedulerName: string): string {
  return schedulerName === DEFAULT_SCHEDULER_NAME ? 'kube-scheduler' : schedulerName;
}
