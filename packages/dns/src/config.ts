/**
 * The DNS server's settings: flags, environment variables (KUBESIM_*), defaults and the fast
 * profile for tests and demos.
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import type { PodMode } from './zone/lookup.js';

export interface DnsConfig {
  natsUrl: string;
  /** The address to listen on, UDP and TCP: the cluster DNS Service's ClusterIP by default. */
  address: string;
  port: number;
  /** The cluster domain served. */
  domain: string;
  /** TTL of every record, seconds. */
  ttl: number;
  /** How `<a-b-c-d>.<ns>.pod.<domain>` is answered. */
  podMode: PodMode;
  profile: 'default' | 'fast';
  /** Longest wait between retries of a failed list or watch. */
  backoffMaxMs: number;
}

/** The address kube-dns/CoreDNS usually holds: the tenth address of the Service range. */
export const CLUSTER_DNS_ADDRESS = '127.128.0.10';

export const DEFAULTS: DnsConfig = {
  natsUrl: 'nats://127.0.0.1:4222',
  address: CLUSTER_DNS_ADDRESS,
  port: 53,
  domain: 'cluster.local',
  ttl: 5,
  podMode: 'verified',
  profile: 'default',
  backoffMaxMs: 30_000,
};

const FAST: Pick<DnsConfig, 'backoffMaxMs'> = { backoffMaxMs: 2000 };

export const USAGE = `kubesim-dns: the cluster DNS server (Services, Endpoints and Pods as DNS records)

  --nats-url URL            NATS server (env KUBESIM_NATS_URL; default ${DEFAULTS.natsUrl})
  --address IP              listen here, UDP and TCP (env KUBESIM_DNS_ADDRESS; default ${DEFAULTS.address})
  --port N                  (env KUBESIM_DNS_PORT; default ${DEFAULTS.port})
  --domain NAME             cluster domain (env KUBESIM_CLUSTER_DOMAIN; default ${DEFAULTS.domain})
  --ttl SECONDS             TTL of every record (default ${DEFAULTS.ttl})
  --pods verified|insecure|disabled
                            answer <a-b-c-d>.<ns>.pod.<domain> for existing pods only, for any
                            address, or never (default ${DEFAULTS.podMode})
  --profile default|fast    retry timers (env KUBESIM_PROFILE). default: failed watches retried
                            within 30 s; fast: within 2 s
`;

/** Settings for a profile, before flags that override single values. */
export function profileConfig(profile: DnsConfig['profile']): DnsConfig {
  return profile === 'fast' ? { ...DEFAULTS, ...FAST, profile } : { ...DEFAULTS, profile };
}

/** Parses argv and environment. Throws an Error with the usage text on bad flags. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): DnsConfig | 'help' {
  const { values } = flags(argv);
  if (values.help) return 'help';
  const profile = values.profile ?? env.KUBESIM_PROFILE ?? 'default';
  if (profile !== 'default' && profile !== 'fast') throw new Error(`--profile must be default or fast\n\n${USAGE}`);
  const base = profileConfig(profile);
  const config: DnsConfig = {
    ...base,
    natsUrl: values['nats-url'] ?? env.KUBESIM_NATS_URL ?? base.natsUrl,
    address: values.address ?? env.KUBESIM_DNS_ADDRESS ?? base.address,
    port: integer(values.port ?? env.KUBESIM_DNS_PORT, 'port', base.port),
    domain: (values.domain ?? env.KUBESIM_CLUSTER_DOMAIN ?? base.domain).replace(/\.$/, '').toLowerCase(),
    ttl: integer(values.ttl, 'ttl', base.ttl),
    podMode: (values.pods ?? base.podMode) as PodMode,
  };
  const problems = configProblems(config);
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n\n${USAGE}`);
  return config;
}

/** The flags, strictly parsed; a parse error carries the usage text. */
function flags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        'nats-url': { type: 'string' },
        address: { type: 'string' },
        port: { type: 'string' },
        domain: { type: 'string' },
        ttl: { type: 'string' },
        pods: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${USAGE}`);
  }
}

/** Every problem with a config, empty when it is usable. */
export function configProblems(c: DnsConfig): string[] {
  const problems: string[] = [];
  if (!c.natsUrl) problems.push('natsUrl is required');
  if (!net.isIP(c.address)) problems.push(`address must be an IP address, got ${JSON.stringify(c.address)}`);
  if (!(Number.isInteger(c.port) && c.port >= 0 && c.port <= 65535)) problems.push('port must be within 0..65535');
  if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(c.domain)) problems.push(`domain is not a DNS name: ${c.domain}`);
  if (!(Number.isInteger(c.ttl) && c.ttl >= 0 && c.ttl <= 3600)) problems.push('ttl must be within 0..3600 seconds');
  if (!['verified', 'insecure', 'disabled'].includes(c.podMode)) problems.push('pods must be verified, insecure or disabled');
  if (!(c.backoffMaxMs > 0)) problems.push('backoffMaxMs must be > 0');
  return problems;
}

function integer(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: not a whole number: ${v}\n\n${USAGE}`);
  return n;
}
