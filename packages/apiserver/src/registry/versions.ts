/**
 * Resources served in several versions (HorizontalPodAutoscaler: autoscaling/v2, stored, and
 * autoscaling/v1) are converted at the edge of the registry: bodies to the storage version on
 * the way in, results to the requested version on the way out.
 */
import { convertHpa, findResource, groupVersion, type KubeObject, type ResourceInfo } from '@kubesim/api';

const CONVERTERS: Record<string, (obj: KubeObject, version: string) => KubeObject> = {
  HorizontalPodAutoscaler: (obj, version) => convertHpa(obj, version as 'v1' | 'v2'),
};

/** The resource entry of the version objects are stored in. */
export function storageInfo(info: ResourceInfo): ResourceInfo {
  if (!info.storageVersion) return info;
  return findResource(info.group, info.storageVersion, info.plural) ?? info;
}

/** Converts an object of the served version to the storage version. */
export function toStorage(info: ResourceInfo, obj: unknown): unknown {
  const convert = info.storageVersion ? CONVERTERS[info.kind] : undefined;
  if (!convert || typeof obj !== 'object' || obj === null || Array.isArray(obj)) return obj;
  const typed = { ...(obj as KubeObject), apiVersion: groupVersion(info), kind: info.kind };
  return convert(typed, info.storageVersion!);
}

/** Converts a stored object to the served version. */
export function fromStorage(info: ResourceInfo, obj: KubeObject): KubeObject {
  const convert = info.storageVersion ? CONVERTERS[info.kind] : undefined;
  if (!convert) return obj;
  const stored = storageInfo(info);
  return convert({ ...obj, apiVersion: groupVersion(stored), kind: info.kind }, info.version);
}
