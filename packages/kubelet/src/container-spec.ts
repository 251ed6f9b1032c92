/**
 * What the images package is asked to run for one container: its environment (with the
 * ConfigMaps and Secrets it names fetched from the API), `$(VAR)`-expanded command and args,
 * its rootfs and its volume mounts.
 */
import type { Container, DeepReadonly, Pod } from '@kubesim/api';
import { envReferences, expandVars, resolveEnv, type EnvSources, type PodRuntimeInfo } from './env.js';
import type { ContainerSpec } from './runtime/types.js';
import { containerMounts, type VolumeSources } from './volumes.js';
import { resolvConf } from '@kubesim/dns';
import { serviceEnv } from './service-env.js';
import { clusterDNS } from './addresses.js';

type RO<T> = DeepReadonly<T>;

/** Where a container of a sandboxed pod lives. */
export interface ContainerPlace {
  rootfs: string;
  podIP: string;
  /** Host directories of the pod's volumes, by volume name. */
  volumeDirs: ReadonlyMap<string, string>;
}

/** The container's spec, or the CreateContainerConfigError message that keeps it from starting. */
export async function buildContainerSpec(
  pod: RO<Pod>,
  c: RO<Container>,
  place: ContainerPlace,
  sources: VolumeSources,
  info: PodRuntimeInfo,
): Promise<ContainerSpec | { error: string }> {
  // Service variables come first, so the container's own env and KUBERNETES_* win over them.
  const links = pod.spec?.enableServiceLinks === false || !sources.services ? {} : serviceEnv(await sources.services(pod.metadata.namespace ?? 'default'));
  const env = resolveEnv(pod, c, await fetchEnvSources(pod, c, sources), { ...info, baseEnv: { ...links, ...info.baseEnv } });
  if ('error' in env) return env;
  const vars = env.env;
  return {
    image: c.image ?? '',
    ...(c.command ? { command: c.command.map((s) => expandVars(s, vars)) } : {}),
    ...(c.args ? { args: c.args.map((s) => expandVars(s, vars)) } : {}),
    env: vars,
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    rootfs: place.rootfs,
    mounts: containerMounts(c, place.volumeDirs),
    podIP: place.podIP,
    hostname: pod.spec?.hostname ?? pod.metadata.name!,
    ...(clusterFirst(pod) ? { resolvConf: resolvConf(pod.metadata.namespace ?? 'default', clusterDNS()) } : {}),
  };
}

/** dnsPolicy ClusterFirst (the default), or ClusterFirstWithHostNet on the host network. */
function clusterFirst(pod: RO<Pod>): boolean {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  return policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec?.hostNetwork);
}

async function fetchEnvSources(pod: RO<Pod>, c: RO<Container>, sources: VolumeSources): Promise<EnvSources> {
  const ns = pod.metadata.namespace ?? 'default';
  const refs = envReferences(c);
  const configMaps = new Map<string, Awaited<ReturnType<VolumeSources['configMap']>>>();
  const secrets = new Map<string, Awaited<ReturnType<VolumeSources['secret']>>>();
  for (const n of refs.configMaps) configMaps.set(n, await sources.configMap(ns, n));
  for (const n of refs.secrets) secrets.set(n, await sources.secret(ns, n));
  return { configMaps, secrets };
}
