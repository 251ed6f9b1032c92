/**
 * The `kubectl.kubernetes.io/last-applied-configuration` annotation: how client-side apply records
 * the manifest it applied, so the next apply can tell which fields it owns.
 */
import type { KubeObject } from '@kubesim/api';
import { sortKeys } from '../printers/objects.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The annotation's value for a manifest: compact JSON with sorted keys and a trailing newline, of
 * the manifest with `metadata.namespace` filled in (namespaced kinds), `metadata.annotations`
 * present and the annotation itself left out, as kubectl writes it.
 */
export function lastAppliedValue(manifest: KubeObject, namespace: string | undefined): string {
  const copy = structuredClone(manifest);
  copy.metadata ??= {};
  if (namespace !== undefined && !copy.metadata.namespace) copy.metadata.namespace = namespace;
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  return JSON.stringify(sortKeys(copy)) + '\n';
}

/** The manifest as it is sent: with the annotation set to {@link lastAppliedValue}. */
export function withLastApplied(manifest: KubeObject, namespace: string | undefined): KubeObject {
  const value = lastAppliedValue(manifest, namespace);
  const copy = structuredClone(manifest);
  copy.metadata ??= {};
  if (namespace !== undefined && !copy.metadata.namespace) copy.metadata.namespace = namespace;
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [LAST_APPLIED]: value };
  return copy;
}

/** The last applied configuration recorded on a live object, or undefined (absent or unparsable). */
export function readLastApplied(live: KubeObject): unknown {
  const raw = live.metadata?.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
