/**
 * The kubelet's settings: flags, KUBESIM_* environment variables, and the timer profile.
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import { nodeIndexFromName, podCIDRProblem, setAddressOverrides } from './addresses.js';

export type RuntimeName = 'process' | 'thread';

/** Restart back-off of crashing containers and failing image pulls. */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  /** A container that ran this long before exiting starts its back-off over. */
  resetMs: number;
}

export interface KubeletConfig {
  nodeName: string;
  /** 1-based; picks the node IP 127.1.0.<i> and the pod CIDR. */
  nodeIndex: number;
  cpu: string;
  memory: string;
  maxPods: number;
  natsUrl: string;
  rootDir: string;
  runtime: RuntimeName;
  profile: 'default' | 'fast';
  leaseSeconds: number;
  renewIntervalMs: number;
  /** How often the Ready condition's lastHeartbeatTime is refreshed. */
  heartbeatIntervalMs: number;
  backoff: BackoffSettings;
  /** How often a pod whose volumes or env could not be prepared is retried. */
  retryMs: number;
  /** Where pods reach the apiserver (KUBERNETES_SERVICE_HOST/PORT); optional. */
  apiserverUrl?: string;
  /** The node's InternalIP when it is not 127.1.0.<index> (a node in a container). */
  nodeIP?: string;
  /** The node's pod /24 when it is not derived from the index. */
  podCIDR?: string;
  /** The resolver in pods' resolv.conf when it is not 127.128.0.10. */
  clusterDNS?: string;
}

const PROFILES = {
  default: { renewIntervalMs: 10_000, heartbeatIntervalMs: 10_000, retryMs: 10_000, backoff: { initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 } },
  fast: { renewIntervalMs: 1_000, heartbeatIntervalMs: 2_000, retryMs: 1_000, backoff: { initialMs: 1_000, maxMs: 30_000, resetMs: 60_000 } },
} as const;

export const USAGE = `kubesim-kubelet: one worker node: registers it, keeps its Lease, runs its pods as processes

  --node-name NAME          node name (env KUBESIM_NODE_NAME; required)
  --node-index N            node number, default the trailing number of the name (env KUBESIM_NODE_INDEX)
  --cpu N                   cpu capacity (env KUBESIM_CPU; default 4)
  --memory Q                memory capacity (env KUBESIM_MEMORY; default 8Gi)
  --max-pods N              pod capacity (env KUBESIM_MAX_PODS; default 110)
  --nats-url URL            NATS server (env KUBESIM_NATS_URL; default nats://127.0.0.1:4222)
  --root-dir DIR            pods, logs, state (env KUBESIM_ROOT_DIR; default .kubesim/nodes/NAME)
  --runtime process|thread  container runtime (env KUBESIM_RUNTIME; default process)
  --profile default|fast    timer profile (env KUBESIM_PROFILE)
  --lease-seconds N         Lease duration (default 40)
  --renew-interval D        Lease renewal period, e.g. 10s (default 10s; fast 1s)
  --apiserver-url URL       told to pods as KUBERNETES_SERVICE_HOST/PORT (env KUBESIM_APISERVER_URL)
  --node-ip IP              the node's InternalIP and pods' hostIP (env KUBESIM_NODE_IP;
                            default 127.1.0.<index>)
  --pod-cidr CIDR           the node's pod network, a /24 (env KUBESIM_POD_CIDR;
                            default 127.64.<index>.0/24)
  --cluster-dns IP          resolver in pods' resolv.conf (env KUBESIM_CLUSTER_DNS;
                            default 127.128.0.10)
`;

/** Parses a duration: `10s`, `500ms`, `2m`, or plain milliseconds. Undefined for garbage. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/**
 * Parses argv and environment. Throws an Error carrying the usage text on bad input. The address
 * flags also become this process's address plan (addresses.ts `setAddressOverrides`), since the
 * node, pod address and pod DNS code reads addresses from there.
 */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): KubeletConfig | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      'node-name': { type: 'string' },
      'node-index': { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      'max-pods': { type: 'string' },
      'nats-url': { type: 'string' },
      'root-dir': { type: 'string' },
      runtime: { type: 'string' },
      profile: { type: 'string' },
      'lease-seconds': { type: 'string' },
      'renew-interval': { type: 'string' },
      'apiserver-url': { type: 'string' },
      'node-ip': { type: 'string' },
      'pod-cidr': { type: 'string' },
      'cluster-dns': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (v.help) return 'help';
  const fail = (msg: string): never => {
    throw new Error(`${msg}\n\n${USAGE}`);
  };
  const int = (s: string | undefined, name: string, fallback: number): number => {
    if (s === undefined || s === '') return fallback;
    const n = Number(s);
    return Number.isInteger(n) && n > 0 ? n : fail(`--${name}: not a positive integer: ${s}`);
  };
  const nodeName = v['node-name'] ?? env.KUBESIM_NODE_NAME ?? fail('--node-name is required');
  const profileName = v.profile ?? env.KUBESIM_PROFILE ?? 'default';
  if (profileName !== 'default' && profileName !== 'fast') fail('--profile must be default or fast');
  const profile = PROFILES[profileName as 'default' | 'fast'];
  const runtime = v.runtime ?? env.KUBESIM_RUNTIME ?? 'process';
  if (runtime !== 'process' && runtime !== 'thread') fail('--runtime must be process or thread');
  const index = int(v['node-index'] ?? env.KUBESIM_NODE_INDEX, 'node-index', nodeIndexFromName(nodeName) ?? 0);
  if (index < 1) fail(`--node-index is required: "${nodeName}" does not end in a number`);
  const addresses = addressFlags(v['node-ip'] ?? env.KUBESIM_NODE_IP, v['pod-cidr'] ?? env.KUBESIM_POD_CIDR, v['cluster-dns'] ?? env.KUBESIM_CLUSTER_DNS, fail);
  const renew = v['renew-interval'] ?? env.KUBESIM_RENEW_INTERVAL;
  const renewMs = renew === undefined ? profile.renewIntervalMs : (parseDuration(renew) ?? fail(`--renew-interval: not a duration: ${renew}`));
  setAddressOverrides(addresses);
  return {
    nodeName,
    nodeIndex: index,
    cpu: v.cpu ?? env.KUBESIM_CPU ?? '4',
    memory: v.memory ?? env.KUBESIM_MEMORY ?? '8Gi',
    maxPods: int(v['max-pods'] ?? env.KUBESIM_MAX_PODS, 'max-pods', 110),
    natsUrl: v['nats-url'] ?? env.KUBESIM_NATS_URL ?? 'nats://127.0.0.1:4222',
    rootDir: v['root-dir'] ?? env.KUBESIM_ROOT_DIR ?? `.kubesim/nodes/${nodeName}`,
    runtime: runtime as RuntimeName,
    profile: profileName as 'default' | 'fast',
    leaseSeconds: int(v['lease-seconds'] ?? env.KUBESIM_LEASE_SECONDS, 'lease-seconds', 40),
    renewIntervalMs: renewMs,
    heartbeatIntervalMs: profile.heartbeatIntervalMs,
    backoff: { ...profile.backoff },
    retryMs: profile.retryMs,
    apiserverUrl: v['apiserver-url'] ?? env.KUBESIM_APISERVER_URL,
    ...addresses,
  };
}

/** The given address settings, validated; empty strings count as unset. */
function addressFlags(
  nodeIP: string | undefined,
  podCIDR: string | undefined,
  clusterDNS: string | undefined,
  fail: (msg: string) => never,
): Pick<KubeletConfig, 'nodeIP' | 'podCIDR' | 'clusterDNS'> {
  const out: Pick<KubeletConfig, 'nodeIP' | 'podCIDR' | 'clusterDNS'> = {};
  if (nodeIP) out.nodeIP = net.isIPv4(nodeIP) ? nodeIP : fail(`--node-ip: not an IPv4 address: ${nodeIP}`);
  if (podCIDR) {
    const problem = podCIDRProblem(podCIDR);
    out.podCIDR = problem ? fail(`--pod-cidr: ${problem}`) : podCIDR;
  }
  if (clusterDNS) out.clusterDNS = net.isIPv4(clusterDNS) ? clusterDNS : fail(`--cluster-dns: not an IPv4 address: ${clusterDNS}`);
  return out;
}
