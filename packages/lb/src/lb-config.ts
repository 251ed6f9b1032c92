/**
 * kubesim-lb's settings: flags, KUBESIM_* environment variables, defaults.
 */
import { parseArgs } from 'node:util';
import { parseRange } from './ip-range.js';
import { parseProfile } from './proxy-config.js';
import { PROXY_HEALTHZ_PORT, settingsFor, type Profile, type TrafficSettings } from './settings.js';

export interface LoadBalancerConfig {
  natsUrl: string;
  profile: Profile;
  /** CIDR the external addresses come from. */
  addressRange: string;
  /** Port of the node proxies' health endpoint. */
  healthCheckPort: number;
  settings: TrafficSettings;
}

export const DEFAULT_ADDRESS_RANGE = '127.200.0.0/16';

export const LB_USAGE = `kubesim-lb: LoadBalancer Services: external addresses, health-checked spreading over nodes

  --nats-url URL            NATS server (env KUBESIM_NATS_URL; default nats://127.0.0.1:4222)
  --address-range CIDR      external addresses (env KUBESIM_LB_ADDRESS_RANGE;
                            default ${DEFAULT_ADDRESS_RANGE})
  --health-check-port N     the node proxies' health port (default ${PROXY_HEALTHZ_PORT})
  --profile default|fast    timers (env KUBESIM_PROFILE). default: a health check per node
                            every 1 s (0.8 s timeout), connect timeout 1 s; fast: every 0.5 s
                            (0.3 s timeout), connect timeout 0.3 s. 2 failed checks take a
                            node out, 2 passed ones bring it back.
`;

/** Parses argv and environment. Throws an Error with the usage text on bad flags. */
export function parseLbConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): LoadBalancerConfig | 'help' {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'nats-url': { type: 'string' },
        'address-range': { type: 'string' },
        'health-check-port': { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) return 'help';
    const profile = parseProfile(values.profile ?? env.KUBESIM_PROFILE);
    const addressRange = parseRange(values['address-range'] ?? env.KUBESIM_LB_ADDRESS_RANGE ?? DEFAULT_ADDRESS_RANGE).cidr;
    const port = Number(values['health-check-port'] ?? PROXY_HEALTHZ_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`--health-check-port must be 1-65535, got ${values['health-check-port']}`);
    return {
      natsUrl: values['nats-url'] ?? env.KUBESIM_NATS_URL ?? 'nats://127.0.0.1:4222',
      profile,
      addressRange,
      healthCheckPort: port,
      settings: settingsFor(profile),
    };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${LB_USAGE}`);
  }
}
