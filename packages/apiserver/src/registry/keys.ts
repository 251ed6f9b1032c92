import { storagePrefix, type ResourceInfo } from '@kubesim/api';

/** The storage key of one object: `<group|core>/<plural>/<namespace|_>/<name>`. */
export function storageKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storagePrefix(storageInfo(info))}/${info.namespaced ? namespace : '_'}/${name}`;
}

/** The storage prefix of a resource (shared by every version it is served in). */
export function resourcePrefix(info: ResourceInfo): string {
  return storagePrefix(storageInfo(info));
}

function storageInfo(info: ResourceInfo): ResourceInfo {
  return info.storageVersion ? { ...info, version: info.storageVersion } : info;
}

/** `deployments.apps` / `pods`: how Kubernetes names a resource in messages. */
export function qualifiedResource(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}
