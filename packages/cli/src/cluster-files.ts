import fs from 'node:fs';
import { clusterPaths, connectHost, type ClusterSettings } from './settings.js';

/** The nats-server configuration: one server with JetStream, its store in the data dir. */
export function natsConfig(settings: ClusterSettings): string {
  const { natsStore } = clusterPaths(settings.dataDir);
  return [
    '# Written by kubesim up; rewritten on every start.',
    `listen: ${settings.bindAddress}:${settings.natsPort}`,
    // kubesim objects (a ConfigMap, a big list) can exceed the 1 MB default.
    'max_payload: 8MB',
    'jetstream {',
    `  store_dir: ${JSON.stringify(natsStore)}`,
    '}',
    '',
  ].join('\n');
}

/** The apiserver's URL as clients dial it. */
export function apiserverUrl(settings: ClusterSettings): string {
  return `http://${connectHost(settings.bindAddress)}:${settings.apiPort}`;
}

/** The NATS URL components connect to. */
export function natsUrl(settings: ClusterSettings): string {
  return `nats://${connectHost(settings.bindAddress)}:${settings.natsPort}`;
}

/**
 * A kubeconfig for the stock kubectl: cluster, user and context all named `kubesim`. The user has
 * no credentials because the apiserver serves plain HTTP without authentication.
 */
export function kubeconfig(settings: ClusterSettings): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kubesim',
    '  cluster:',
    `    server: ${apiserverUrl(settings)}`,
    'users:',
    '- name: kubesim',
    '  user: {}',
    'contexts:',
    '- name: kubesim',
    '  context:',
    '    cluster: kubesim',
    '    user: kubesim',
    '    namespace: default',
    'current-context: kubesim',
    'preferences: {}',
    '',
  ].join('\n');
}

/** Creates the data dir's folders and (re)writes nats.conf and kubeconfig. Keeps the store. */
export function writeClusterFiles(settings: ClusterSettings): void {
  const paths = clusterPaths(settings.dataDir);
  fs.mkdirSync(paths.logs, { recursive: true });
  fs.mkdirSync(paths.natsStore, { recursive: true });
  fs.writeFileSync(paths.natsConf, natsConfig(settings));
  fs.writeFileSync(paths.kubeconfig, kubeconfig(settings));
}
