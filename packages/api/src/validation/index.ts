/**
 * Validation per kind: every problem found, each with its field path.
 */
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import type { ResourceInfo } from '../resources.js';

/** Validates `obj`; with `old`, also the update rules (immutable fields). Returns every problem. */
export function validateObject(_info: ResourceInfo, _obj: KubeObject, _old?: KubeObject): FieldError[] {
  return [];
}
