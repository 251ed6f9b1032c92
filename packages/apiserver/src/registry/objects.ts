/**
 * Small helpers on API objects used across the registry.
 */
import { randomBytes } from 'node:crypto';
import { groupVersion, type KubeObject, type ResourceInfo } from '@kubesim/api';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character random suffix Kubernetes appends to `generateName`. */
export function randomSuffix(n = 5): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += NAME_CHARS[b % NAME_CHARS.length];
  return s;
}

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sets apiVersion and kind for the version the object is served in. */
export function withTypeMeta<T extends KubeObject>(info: ResourceInfo, obj: T): T {
  return { apiVersion: groupVersion(info), kind: info.kind, ...stripTypeMeta(obj) } as T;
}

function stripTypeMeta<T extends KubeObject>(obj: T): Omit<T, 'apiVersion' | 'kind'> {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/** True if `value` is a plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
