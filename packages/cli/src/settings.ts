import path from 'node:path';
import { UsageError } from './errors.js';

export type Profile = 'default' | 'fast';

/** What one cluster is: where its data lives and where it listens. */
export interface ClusterSettings {
  /** Absolute path of the data dir. */
  dataDir: string;
  natsPort: number;
  apiPort: number;
  bindAddress: string;
  profile: Profile;
  /** Worker nodes: one kubelet process each. */
  nodes: number;
  /** How kubelets run containers: `process` (one child process each) or `thread` (worker threads). */
  runtime: 'process' | 'thread';
  /**
   * High availability (`--ha`): a second apiserver on this port, and two schedulers and two
   * controller-managers that elect their leaders through Leases. Absent without `--ha`.
   */
  haApiPort?: number;
}

/** Flag values as given on the command line (strings, unvalidated). */
export interface SettingsFlags {
  'data-dir'?: string;
  'nats-port'?: string;
  'api-port'?: string;
  'bind-address'?: string;
  profile?: string;
  nodes?: string;
  runtime?: string;
  ha?: boolean;
  'ha-api-port'?: string;
}

export const DEFAULT_DATA_DIR = '.kubesim';

/** node:util parseArgs options for the flags that make up ClusterSettings. */
export const SETTINGS_OPTIONS = {
  'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
  'nats-port': { type: 'string', default: '4222' },
  'api-port': { type: 'string', default: '6443' },
  'bind-address': { type: 'string', default: '127.0.0.1' },
  profile: { type: 'string', default: 'default' },
  nodes: { type: 'string', default: '3' },
  runtime: { type: 'string', default: 'process' },
  ha: { type: 'boolean' },
  'ha-api-port': { type: 'string' },
} as const;

/** Validates flags into settings; the data dir is made absolute against `cwd`. Throws UsageError. */
export function settingsFromFlags(flags: SettingsFlags, cwd: string): ClusterSettings {
  const profile = flags.profile ?? 'default';
  if (profile !== 'default' && profile !== 'fast') {
    throw new UsageError(`--profile must be "default" or "fast", not "${profile}"`);
  }
  const bindAddress = flags['bind-address'] ?? '127.0.0.1';
  if (!bindAddress) throw new UsageError('--bind-address must not be empty');
  const settings: ClusterSettings = {
    dataDir: path.resolve(cwd, flags['data-dir'] || DEFAULT_DATA_DIR),
    natsPort: parsePort('--nats-port', flags['nats-port'] ?? '4222'),
    apiPort: parsePort('--api-port', flags['api-port'] ?? '6443'),
    bindAddress,
    profile,
    nodes: parseNodes(flags.nodes ?? '3'),
    runtime: parseRuntime(flags.runtime ?? 'process'),
  };
  if (settings.natsPort === settings.apiPort) {
    throw new UsageError(`--nats-port and --api-port must differ (both are ${settings.natsPort})`);
  }
  if (flags['ha-api-port'] !== undefined && !flags.ha) throw new UsageError('--ha-api-port needs --ha');
  if (flags.ha) settings.haApiPort = parseHaApiPort(flags['ha-api-port'], settings);
  return settings;
}

/** The second apiserver's port: given, or the one after --api-port; never one already used. */
function parseHaApiPort(value: string | undefined, settings: ClusterSettings): number {
  const port = value === undefined ? settings.apiPort + 1 : parsePort('--ha-api-port', value);
  if (port > 65535) throw new UsageError('--ha needs --ha-api-port when --api-port is 65535');
  if (port === settings.apiPort || port === settings.natsPort) {
    throw new UsageError(`--ha-api-port ${port} is already the ${port === settings.apiPort ? 'api' : 'NATS'} port; choose another`);
  }
  return port;
}

function parseNodes(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 0 || n > 250) throw new UsageError(`--nodes must be a number from 0 to 250, not "${value}"`);
  return n;
}

function parseRuntime(value: string): 'process' | 'thread' {
  if (value !== 'process' && value !== 'thread') throw new UsageError(`--runtime must be "process" or "thread", not "${value}"`);
  return value;
}

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new UsageError(`${flag} must be a port number (1-65535), not "${value}"`);
  }
  return port;
}

/** The flags that rebuild `settings` (the inverse of settingsFromFlags). */
export function settingsToArgs(settings: ClusterSettings): string[] {
  return [
    '--data-dir', settings.dataDir,
    '--nats-port', String(settings.natsPort),
    '--api-port', String(settings.apiPort),
    '--bind-address', settings.bindAddress,
    '--profile', settings.profile,
    '--nodes', String(settings.nodes),
    '--runtime', settings.runtime,
    ...(settings.haApiPort ? ['--ha', '--ha-api-port', String(settings.haApiPort)] : []),
  ];
}

/** The address clients dial: a wildcard bind address is reached through loopback. */
export function connectHost(bindAddress: string): string {
  if (bindAddress === '0.0.0.0') return '127.0.0.1';
  if (bindAddress === '::' || bindAddress === '[::]') return '[::1]';
  return bindAddress.includes(':') && !bindAddress.startsWith('[') ? `[${bindAddress}]` : bindAddress;
}

/** The files and folders a cluster keeps in its data dir. */
export interface ClusterPaths {
  dataDir: string;
  state: string;
  logs: string;
  natsStore: string;
  natsConf: string;
  kubeconfig: string;
}

/** Where each file of the cluster in `dataDir` lives. */
export function clusterPaths(dataDir: string): ClusterPaths {
  return {
    dataDir,
    state: path.join(dataDir, 'state.json'),
    logs: path.join(dataDir, 'logs'),
    natsStore: path.join(dataDir, 'nats'),
    natsConf: path.join(dataDir, 'nats.conf'),
    kubeconfig: path.join(dataDir, 'kubeconfig'),
  };
}

/** Path of one component's log file. */
export function logFile(paths: ClusterPaths, component: string): string {
  return path.join(paths.logs, `${component}.log`);
}
