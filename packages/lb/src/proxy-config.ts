/**
 * kubesim-proxy's settings: flags, KUBESIM_* environment variables, defaults.
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import { PROXY_HEALTHZ_PORT, settingsFor, type Profile, type TrafficSettings } from './settings.js';

export interface ServiceProxyConfig {
  natsUrl: string;
  profile: Profile;
  /** This node: its NodePorts are served on `nodeIP`. */
  nodeName?: string;
  nodeIP?: string;
  /** Serve every Service's ClusterIP too. */
  clusterIPs: boolean;
  /** Port of the health endpoint on the node IP; 0 turns it off. */
  healthzPort: number;
  settings: TrafficSettings;
}

export const PROXY_USAGE = `kubesim-proxy: kube-proxy's job over real TCP: Services' ClusterIPs and NodePorts

  --nats-url URL            NATS server (env KUBESIM_NATS_URL; default nats://127.0.0.1:4222)
  --node-name NAME          serve this node's NodePorts (env KUBESIM_NODE_NAME)
  --node-ip IP              the node's IP (env KUBESIM_NODE_IP; default from the name:
                            node-i → 127.1.0.i)
  --cluster-ips             also listen on every Service's ClusterIP (one process per machine)
  --healthz-port N          health endpoint on the node IP (default ${PROXY_HEALTHZ_PORT}; 0: none)
  --profile default|fast    timers (env KUBESIM_PROFILE); fast: backend connect timeout 300 ms
                            instead of 1 s
`;

/** Parses argv and environment. Throws an Error with the usage text on bad flags. */
export function parseProxyConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServiceProxyConfig | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'nats-url': { type: 'string' },
        'node-name': { type: 'string' },
        'node-ip': { type: 'string' },
        'cluster-ips': { type: 'boolean' },
        'healthz-port': { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw usageError((err as Error).message);
  }
  if (values.help) return 'help';
  let profile: Profile;
  try {
    profile = parseProfile(values.profile ?? env.KUBESIM_PROFILE);
  } catch (err) {
    throw usageError((err as Error).message);
  }
  const nodeName = values['node-name'] ?? env.KUBESIM_NODE_NAME;
  const nodeIP = values['node-ip'] ?? env.KUBESIM_NODE_IP ?? (nodeName ? nodeIPFromName(nodeName) : undefined);
  const clusterIPs = values['cluster-ips'] ?? false;
  if (!nodeName && !clusterIPs) throw usageError('nothing to serve: give --node-name, --cluster-ips or both');
  if (nodeName && !nodeIP) throw usageError(`--node-ip is required: no node index in the name ${nodeName}`);
  if (nodeIP && (net.isIPv4(nodeIP) === false || nodeIP === '0.0.0.0')) throw usageError(`--node-ip must be one IPv4 address, got ${nodeIP}`);
  return {
    natsUrl: values['nats-url'] ?? env.KUBESIM_NATS_URL ?? 'nats://127.0.0.1:4222',
    profile,
    ...(nodeName ? { nodeName, nodeIP } : {}),
    clusterIPs,
    healthzPort: port(values['healthz-port'], PROXY_HEALTHZ_PORT),
    settings: settingsFor(profile),
  };
}

/** The node IP of the address convention: `node-3` → 127.1.0.3 (index i → 127.1.⌊i/256⌋.(i mod 256)). */
export function nodeIPFromName(name: string): string | undefined {
  const m = /(\d+)$/.exec(name);
  if (!m) return undefined;
  const i = Number(m[1]);
  return i >= 1 && i < 65536 ? `127.1.${Math.floor(i / 256)}.${i % 256}` : undefined;
}

/** `default` (when unset) or `fast`; throws a TypeError otherwise. */
export function parseProfile(value: string | undefined): Profile {
  const profile = value ?? 'default';
  if (profile !== 'default' && profile !== 'fast') throw new TypeError('--profile must be default or fast');
  return profile;
}

function port(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usageError(`--healthz-port must be 0-65535, got ${value}`);
  return n;
}

function usageError(message: string): Error {
  return new Error(`${message}\n\n${PROXY_USAGE}`);
}
