/**
 * The msgpack bytes a write stored, remembered beside the object the registry returns, so the
 * NATS adapter can send them as they are instead of encoding the object once more.
 */
import type { KubeObject } from '@kubesim/api';

const BYTES = new WeakMap<object, Uint8Array>();

/** Remembers that `obj` (as returned to the caller) is `bytes` plus its resourceVersion and type. */
export function rememberStored<T extends KubeObject>(obj: T, bytes: Uint8Array): T {
  BYTES.set(obj, bytes);
  return obj;
}

/** The stored bytes behind a returned object, if it came straight from a write. */
export function storedBytesOf(obj: unknown): Uint8Array | undefined {
  return typeof obj === 'object' && obj !== null ? BYTES.get(obj) : undefined;
}
