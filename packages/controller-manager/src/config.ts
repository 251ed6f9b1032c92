/**
 * The controller-manager's settings: flags, KUBESIM_* environment variables, defaults.
 */
import { parseArgs } from 'node:util';
import { LEADER_ELECTION_USAGE, leaderElectionConfig, splitLeaderElectionFlags, type LeaderElectionConfig } from '@kubesim/api';
import { CONTROLLERS, selectControllers } from './controllers/index.js';
import { settingsFor, type ControllerSettings } from './settings.js';

/** What the process runs with, once flags and environment are read. */
export interface ControllerManagerConfig {
  natsUrl: string;
  profile: 'default' | 'fast';
  /** Names of the controllers to run. */
  controllers: string[];
  settings: ControllerSettings;
  /** Whether controllers run only while holding the Lease kube-system/kube-controller-manager, and its timers. */
  leaderElection: LeaderElectionConfig;
}

/** The `--help` text. */
export const USAGE = `kubesim-controller-manager: the core Kubernetes controllers in one process

  --nats-url URL            NATS server (env KUBESIM_NATS_URL; default nats://127.0.0.1:4222)
  --profile default|fast    timer profile (env KUBESIM_PROFILE; fast scales waits down for tests)
  --controllers LIST        which controllers run (env KUBESIM_CONTROLLERS; default '*'):
                            '*' all, 'name' enable, '-name' disable, comma-separated;
                            names: ${Object.keys(CONTROLLERS).join(', ')}
${LEADER_ELECTION_USAGE}`;

/** Parses argv and environment. Throws an Error with the usage text on bad flags. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ControllerManagerConfig | 'help' {
  let values;
  let leaderFlags;
  try {
    const split = splitLeaderElectionFlags(argv);
    leaderFlags = split.flags;
    ({ values } = parseArgs({
      args: split.rest,
      options: {
        'nats-url': { type: 'string' },
        profile: { type: 'string' },
        controllers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const profile = values.profile ?? env.KUBESIM_PROFILE ?? 'default';
  if (profile !== 'default' && profile !== 'fast') throw new Error(`--profile must be default or fast\n\n${USAGE}`);
  let controllers: string[];
  try {
    controllers = selectControllers(values.controllers ?? env.KUBESIM_CONTROLLERS ?? '*');
  } catch (err) {
    throw new Error(`--controllers: ${(err as Error).message}\n\n${USAGE}`);
  }
  let leaderElection: LeaderElectionConfig;
  try {
    leaderElection = leaderElectionConfig(leaderFlags, env, profile);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${USAGE}`);
  }
  return {
    natsUrl: values['nats-url'] ?? env.KUBESIM_NATS_URL ?? 'nats://127.0.0.1:4222',
    profile,
    controllers,
    settings: settingsFor(profile),
    leaderElection,
  };
}
