/**
 * Kubeconfig loading and resolution, as kubectl does it: which file (`--kubeconfig`, then the first
 * existing file in `$KUBECONFIG`, then `~/.kube/config`), which context (`--context`, then
 * `current-context`), and from those the server URL, namespace and credentials.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CommandError } from './errors.js';

export interface KubeconfigCluster {
  server?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
}

export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface KubeconfigUser {
  token?: string;
  username?: string;
  password?: string;
}

/** The parts of a kubeconfig file kubectl reads. */
export interface Kubeconfig {
  'current-context'?: string;
  clusters?: { name: string; cluster?: KubeconfigCluster }[];
  contexts?: { name: string; context?: KubeconfigContext }[];
  users?: { name: string; user?: KubeconfigUser }[];
}

/** What a command connects with. */
export interface ResolvedConfig {
  /** Absolute server URL, e.g. `http://127.0.0.1:6443`. */
  server: string;
  /** The namespace from the context, or `default`. */
  namespace: string;
  /** The context used, if any. */
  contextName?: string;
  token?: string;
  /** The file read, if any. */
  path?: string;
}

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  server?: string;
  env: NodeJS.ProcessEnv;
}

/** kubectl's server when no kubeconfig names one. */
export const DEFAULT_SERVER = 'http://localhost:8080';

/**
 * Picks the kubeconfig file. An explicit `--kubeconfig` must exist; `$KUBECONFIG` entries and the
 * default path are skipped when missing. Returns undefined when no file applies.
 */
export function kubeconfigPath(opts: Pick<KubeconfigOptions, 'kubeconfig' | 'env'>): string | undefined {
  if (opts.kubeconfig) {
    if (!fs.existsSync(opts.kubeconfig)) throw new CommandError(`stat ${opts.kubeconfig}: no such file or directory`);
    return opts.kubeconfig;
  }
  const list = opts.env.KUBECONFIG;
  if (list) {
    const first = list.split(path.delimiter).find((p) => p !== '' && fs.existsSync(p));
    if (first) return first;
  }
  const home = opts.env.HOME ?? os.homedir();
  const def = path.join(home, '.kube', 'config');
  return fs.existsSync(def) ? def : undefined;
}

/** Reads and parses a kubeconfig file; a malformed file fails with kubectl's message. */
export function loadKubeconfig(file: string): Kubeconfig {
  const text = fs.readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new CommandError(`error loading config file "${file}": ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CommandError(`error loading config file "${file}": couldn't get version/kind; json parse error`);
  }
  return doc as Kubeconfig;
}

/**
 * Resolves a parsed kubeconfig to server, namespace and credentials. A named context that does not
 * exist is kubectl's "context was not found" error; a context whose cluster is missing falls back
 * to the default server, as kubectl does.
 */
export function resolveKubeconfig(cfg: Kubeconfig, opts: Omit<KubeconfigOptions, 'env' | 'kubeconfig'>, file?: string): ResolvedConfig {
  const contextName = opts.context || cfg['current-context'] || undefined;
  let ctx: KubeconfigContext | undefined;
  if (contextName) {
    ctx = cfg.contexts?.find((c) => c.name === contextName)?.context;
    if (!ctx) throw new CommandError(`Error in configuration: context was not found for specified context: ${contextName}`, true);
  }
  const cluster = ctx?.cluster ? cfg.clusters?.find((c) => c.name === ctx!.cluster)?.cluster : undefined;
  const user = ctx?.user ? cfg.users?.find((u) => u.name === ctx!.user)?.user : undefined;
  return {
    server: normalizeServer(opts.server || cluster?.server || DEFAULT_SERVER),
    namespace: ctx?.namespace || 'default',
    contextName,
    token: user?.token,
    path: file,
  };
}

/** Loads and resolves in one step (the usual path for a command). */
export function resolveConfig(opts: KubeconfigOptions): ResolvedConfig {
  const file = kubeconfigPath(opts);
  const cfg = file ? loadKubeconfig(file) : {};
  return resolveKubeconfig(cfg, opts, file);
}

/** Adds the scheme kubectl assumes for a bare `host:port` (https, like kubectl). */
export function normalizeServer(server: string): string {
  const s = server.replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`;
}

/** `host:port` of a server URL, with the scheme's default port filled in, as kubectl prints it. */
export function hostPort(server: string): string {
  const u = new URL(server);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.hostname}:${port}`;
}
