import fs from 'node:fs';
import path from 'node:path';
import { apiserverUrl, natsUrl } from './cluster-files.js';
import type { HealthCheck } from './health.js';
import { REPO_ROOT } from './repo.js';
import { clusterPaths, connectHost, type ClusterSettings } from './settings.js';

/** One process the supervisor runs: what to exec and how to tell it is healthy. */
export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
  health: HealthCheck;
  /** `up` fails if a required component does not become healthy. */
  required: boolean;
  /** The port it serves, shown by `up` and `status`. */
  port: number | null;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** A registry entry: a component of the cluster and how its command line follows from settings. */
interface RegistryEntry {
  name: string;
  /** Built entry point relative to the repo root; null for the nats-server binary. */
  entry: string | null;
  required: boolean;
  args(settings: ClusterSettings): string[];
  health(settings: ClusterSettings): HealthCheck;
  port(settings: ClusterSettings): number | null;
}

/**
 * A component that every NATS client of the cluster runs the same way: `--nats-url` (the
 * cluster's, unless `url` says otherwise) and the profile.
 */
function natsClient(
  name: string,
  entry: string,
  extra: (s: ClusterSettings) => string[] = () => [],
  required = true,
  url: (s: ClusterSettings) => string = natsUrl,
): RegistryEntry {
  return {
    name,
    entry,
    required,
    args: (s) => ['--nats-url', url(s), ...profileArgs(s), ...extra(s)],
    health: () => ({ kind: 'process' }),
    port: () => null,
  };
}

/**
 * Each node: a NATS relay on the node's address (so `kubesim chaos --fault cut` can cut the node
 * off from NATS, as a network partition would), its kubelet (node-i, its own root dir under the
 * data dir) and its proxy, which listens on the node's address for NodePorts (the first node's
 * proxy also serves ClusterIPs). The kubelet and proxy reach NATS through the relay. With
 * `--bind-address 0.0.0.0` nats-server itself holds every address's NATS port, so there is no
 * relay and they connect directly.
 */
function nodes(settings: ClusterSettings): RegistryEntry[] {
  const relayed = settings.bindAddress !== '0.0.0.0';
  return Array.from({ length: settings.nodes }, (_, i) => {
    const node = `node-${i + 1}`;
    const nodeIp = `127.1.0.${i + 1}`;
    const nodeNats = (s: ClusterSettings) => (relayed ? `nats://${nodeIp}:${s.natsPort}` : natsUrl(s));
    const kubelet = natsClient(`kubelet-${node}`, 'packages/kubelet/dist/main.js', (s) => [
      '--node-name', node,
      '--node-index', String(i + 1),
      '--root-dir', path.join(s.dataDir, 'nodes', node),
      '--runtime', s.runtime,
    ], true, nodeNats);
    // Healthy once its Node is registered, so `up` returns with the nodes already listed.
    kubelet.health = (s) => ({ kind: 'http', urls: [`${apiserverUrl(s)}/api/v1/nodes/${node}`] });
    const relay: RegistryEntry = {
      name: `nats-relay-${node}`,
      entry: 'packages/cli/dist/chaos/relay-main.js',
      required: true,
      args: (s) => [
        '--listen', `${nodeIp}:${s.natsPort}`,
        '--upstream', `${connectHost(s.bindAddress)}:${s.natsPort}`,
        '--control-file', path.join(s.dataDir, 'chaos', `nats-cut-${node}.json`),
      ],
      health: (s) => ({ kind: 'tcp', host: nodeIp, port: s.natsPort }),
      port: () => null,
    };
    return [
      ...(relayed ? [relay] : []),
      kubelet,
      natsClient(`proxy-${node}`, 'packages/lb/dist/proxy-main.js', () => [
        '--node-name', node,
        '--node-ip', nodeIp,
        ...(i === 0 ? ['--cluster-ips'] : []),
      ], true, nodeNats),
    ];
  }).flat();
}

/**
 * Every component, in start order (`down` stops them in reverse). A component is added with one
 * entry; entries whose entry point has not been built are skipped.
 */
const registry = (settings: ClusterSettings): readonly RegistryEntry[] => [...controlPlane(settings), ...nodes(settings)];

/** An apiserver serving HTTP on `port`; every apiserver shares the NATS queue group and the store. */
function apiserver(name: string, port: (s: ClusterSettings) => number): RegistryEntry {
  const url = (s: ClusterSettings) => `http://${connectHost(s.bindAddress)}:${port(s)}`;
  return {
    name,
    entry: 'packages/apiserver/dist/main.js',
    required: true,
    args: (s) => ['--nats-url', natsUrl(s), '--port', String(port(s)), '--bind-address', s.bindAddress, ...profileArgs(s)],
    health: (s) => ({ kind: 'http', urls: [`${url(s)}/readyz`, `${url(s)}/healthz`] }),
    port,
  };
}

/**
 * The control plane. With `--ha` each of apiserver, controller-manager and scheduler runs twice
 * (the second named `<name>-2`); the schedulers and controller-managers elect a leader through
 * their Leases in kube-system (leader election is on by default), the other waits as a standby.
 */
function controlPlane(settings: ClusterSettings): RegistryEntry[] {
  const ha = settings.haApiPort !== undefined;
  const twice = (entry: RegistryEntry): RegistryEntry[] => (ha ? [entry, { ...entry, name: `${entry.name}-2` }] : [entry]);
  return [
    {
      name: 'nats-server',
      entry: null,
      required: true,
      args: (s) => ['-c', clusterPaths(s.dataDir).natsConf],
      health: (s) => ({ kind: 'tcp', host: connectHost(s.bindAddress), port: s.natsPort }),
      port: (s) => s.natsPort,
    },
    apiserver('apiserver', (s) => s.apiPort),
    ...(ha ? [apiserver('apiserver-2', (s) => s.haApiPort!)] : []),
    ...twice(natsClient('controller-manager', 'packages/controller-manager/dist/main.js')),
    ...twice(natsClient('scheduler', 'packages/scheduler/dist/main.js')),
    // The cluster DNS on the kube-dns Service's address; port 53 needs root, so others get 5353.
    // Not required: a second cluster on the same machine finds that address taken.
    natsClient('dns', 'packages/dns/dist/main.js', () => ['--address', '127.128.0.10', '--port', process.getuid?.() === 0 ? '53' : '5353'], false),
    // LoadBalancer Services get EXTERNAL-IPs in 127.200.0.0/16, reachable from the host.
    natsClient('lb', 'packages/lb/dist/lb-main.js'),
  ];
}

function profileArgs(settings: ClusterSettings): string[] {
  return settings.profile === 'fast' ? ['--profile', 'fast'] : [];
}

/** A registry entry whose entry point does not exist (not built yet, or not written yet). */
export interface MissingComponent {
  name: string;
  entry: string;
  required: boolean;
}

/** Where to find things: the repo (for entry points) and the nats-server binary. */
export interface ComponentContext {
  repoRoot?: string;
  natsServer: string;
}

/** The components to run for `settings`, in start order, and the ones skipped for lack of a build. */
export function componentsFor(
  settings: ClusterSettings,
  ctx: ComponentContext,
): { components: ComponentSpec[]; missing: MissingComponent[] } {
  const root = ctx.repoRoot ?? REPO_ROOT;
  const components: ComponentSpec[] = [];
  const missing: MissingComponent[] = [];
  for (const e of registry(settings)) {
    const entryPath = e.entry && path.join(root, e.entry);
    if (entryPath && !fs.existsSync(entryPath)) {
      missing.push({ name: e.name, entry: e.entry!, required: e.required });
      continue;
    }
    components.push({
      name: e.name,
      command: entryPath ? process.execPath : ctx.natsServer,
      args: entryPath ? [entryPath, ...e.args(settings)] : e.args(settings),
      health: e.health(settings),
      required: e.required,
      port: e.port(settings),
    });
  }
  return { components, missing };
}

/** Finds nats-server on PATH or at /usr/sbin/nats-server; null if it is not installed. */
export function findNatsServer(envPath = process.env.PATH ?? ''): string | null {
  for (const dir of [...envPath.split(path.delimiter), '/usr/sbin', '/usr/local/sbin']) {
    if (!dir) continue;
    const candidate = path.join(dir, 'nats-server');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** What to tell a user who has no nats-server. */
export const NATS_INSTALL_HINT = [
  'nats-server was not found (looked on PATH and at /usr/sbin/nats-server).',
  'Install it, then run kubesim up again:',
  '  Debian/Ubuntu: sudo apt-get install -y nats-server',
  '  or run scripts/setup.sh from the repository root',
].join('\n');
