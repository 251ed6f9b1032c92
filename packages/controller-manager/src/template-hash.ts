/**
 * The pod-template-hash: a short, stable name for a pod template (pkg/controller ComputeHash),
 * used to name a Deployment's ReplicaSets and to tell their pods apart. Upstream hashes the
 * template's Go printout with FNV-32a; here the canonical JSON of the template is hashed the
 * same way, then encoded with the same alphabet, so names look alike (`web-6d4cf56db6`).
 */
import type { DeepReadonly, PodTemplateSpec } from '@kubesim/api';
import { canonicalJson } from './canonical-json.js';

/** The label (and selector key) a Deployment adds to its ReplicaSets and their pods. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Letters and digits that never spell words (k8s.io/apimachinery rand.SafeEncodeString). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over the bytes given. */
export function fnv32a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Maps each character to the safe alphabet by its code (rand.SafeEncodeString). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/**
 * The hash of a pod template, with the Deployment's `status.collisionCount` mixed in when set (a
 * collision bumps the count, which yields a new name).
 */
export function computeHash(template: DeepReadonly<PodTemplateSpec> | undefined, collisionCount?: number): string {
  const json = new TextEncoder().encode(canonicalJson(template ?? {}));
  let bytes = json;
  if (collisionCount !== undefined && collisionCount !== null) {
    // Upstream appends the count as 8 little-endian bytes (of which the upper 4 are zero).
    bytes = new Uint8Array(json.length + 8);
    bytes.set(json);
    new DataView(bytes.buffer).setUint32(json.length, collisionCount >>> 0, true);
  }
  return safeEncodeString(String(fnv32a(bytes)));
}

/** A template with the pod-template-hash label removed (and an empty label map dropped). */
export function withoutHashLabel(template: DeepReadonly<PodTemplateSpec> | undefined): unknown {
  if (!template) return {};
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const metadata = { ...(template.metadata ?? {}), labels: Object.keys(labels).length > 0 ? labels : undefined };
  return { ...template, metadata };
}

/**
 * True when two templates are equal once the pod-template-hash label is ignored (EqualIgnoreHash).
 * Like apimachinery's semantic equality, an absent field equals its empty value: a template
 * written back by `kubectl rollout undo` carries `creationTimestamp: null` and `resources: {}`.
 */
export function equalIgnoreHash(a: DeepReadonly<PodTemplateSpec> | undefined, b: DeepReadonly<PodTemplateSpec> | undefined): boolean {
  return canonicalJson(pruneEmpty(withoutHashLabel(a))) === canonicalJson(pruneEmpty(withoutHashLabel(b)));
}

/** Drops nulls and empty objects and arrays, recursively. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = pruneEmpty(v);
    if (p === null || p === undefined) continue;
    if (typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    if (Array.isArray(p) && p.length === 0) continue;
    out[k] = p;
  }
  return out;
}
