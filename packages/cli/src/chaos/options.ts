/** `kubesim chaos` flags, parsed and validated into ChaosOptions (pure; UsageError on bad input). */
import path from 'node:path';
import { parseFlags } from '../args.js';
import { UsageError } from '../errors.js';
import { DEFAULT_DATA_DIR } from '../settings.js';
import { parseDuration } from './duration.js';
import { FAULT_ACTIONS, type FaultAction } from './schedule.js';
import { parseTarget, type Target } from './target.js';

/** Everything a chaos run needs to know. */
export interface ChaosOptions {
  dataDir: string;
  target: Target;
  fault: FaultAction | 'random';
  /** How long a pause or a cut lasts. */
  durationMs: number;
  /** Null: one fault. */
  everyMs: number | null;
  forMs: number | null;
  seed: number;
  /** A LoadBalancer Service to send traffic through. */
  service: { namespace: string; name: string } | null;
  /** How long to wait for the steady state after the last fault. */
  recoveryTimeoutMs: number;
  json: boolean;
}

export const CHAOS_FLAGS = {
  'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
  target: { type: 'string', default: 'random' },
  fault: { type: 'string', default: 'kill' },
  duration: { type: 'string', default: '3s' },
  every: { type: 'string' },
  for: { type: 'string' },
  seed: { type: 'string' },
  service: { type: 'string' },
  namespace: { type: 'string', short: 'n', default: 'default' },
  'recovery-timeout': { type: 'string', default: '60s' },
  json: { type: 'boolean' },
} as const;

/** Parses `kubesim chaos` argv; `now` seeds the run when --seed is not given. */
export function parseChaosArgs(argv: string[], cwd: string, now = Date.now()): ChaosOptions {
  const { values: v } = parseFlags(argv, CHAOS_FLAGS);
  const fault = v.fault;
  if (fault !== 'random' && !(FAULT_ACTIONS as readonly string[]).includes(fault)) {
    throw new UsageError(`--fault must be one of ${FAULT_ACTIONS.join(', ')} or random, not "${fault}"`);
  }
  const target = parseTarget(v.target, v.namespace);
  if (fault === 'cut' && target.kind !== 'node' && target.kind !== 'random') throw new UsageError('--fault cut needs a node/NAME or random target');
  if ((v.every === undefined) !== (v.for === undefined)) throw new UsageError('--every and --for go together');
  const seed = v.seed === undefined ? now % 2 ** 31 : Number(v.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, not "${v.seed}"`);
  return {
    dataDir: path.resolve(cwd, v['data-dir']),
    target,
    fault: fault as FaultAction | 'random',
    durationMs: parseDuration('--duration', v.duration),
    everyMs: v.every === undefined ? null : parseDuration('--every', v.every),
    forMs: v.for === undefined ? null : parseDuration('--for', v.for),
    seed,
    service: v.service === undefined ? null : parseService(v.service, v.namespace),
    recoveryTimeoutMs: parseDuration('--recovery-timeout', v['recovery-timeout'], true),
    json: v.json ?? false,
  };
}

function parseService(value: string, namespace: string): { namespace: string; name: string } {
  const parts = value.replace(/^(service|services|svc)\//, '').split('/');
  if (parts.length === 1 && parts[0]) return { namespace, name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  throw new UsageError(`--service must be NAME or NAMESPACE/NAME, not "${value}"`);
}
