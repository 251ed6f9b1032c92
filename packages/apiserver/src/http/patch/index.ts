/**
 * The four patch flavours of the Kubernetes API, as pure functions over decoded JSON.
 */
import { BadRequestError, type KubeObject, type PatchType } from '@kubesim/api';
import { applyServerSideApply, type ApplyOptions } from './apply.js';
import { isObject } from './json.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic.js';

export { applyJsonPatch, parsePointer } from './json-patch.js';
export type { JsonPatchOperation } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic.js';
export { applyServerSideApply, BEFORE_FIRST_APPLY } from './apply.js';
export type { ApplyOptions } from './apply.js';
export { updateManagedFields } from './managed-fields.js';
export type { ManagedFieldsOptions } from './managed-fields.js';

/**
 * Applies a patch of the given type to `doc` (the current object) for a resource of `kind` and
 * returns the patched object; `doc` is never modified. An `apply` patch needs `apply` options (the
 * field manager); without them it is the 400 the apiserver gives for a missing fieldManager.
 * A patch whose result is not an object is 400 BadRequest.
 */
export function applyPatch(patchType: PatchType, doc: unknown, patch: unknown, kind: string, apply?: ApplyOptions): unknown {
  let result: unknown;
  switch (patchType) {
    case 'json':
      result = applyJsonPatch(doc, patch);
      break;
    case 'merge':
      result = applyMergePatch(doc, patch);
      break;
    case 'strategic':
      result = applyStrategicMergePatch(doc, patch, kind);
      break;
    case 'apply':
      if (!apply) throw new BadRequestError('PATCH request must include fieldManager query parameter for apply requests');
      result = applyServerSideApply(isObject(doc) ? (doc as unknown as KubeObject) : undefined, patch as KubeObject, apply);
      break;
    default:
      throw new BadRequestError(`unsupported patch type ${String(patchType)}`);
  }
  if (!isObject(result)) throw new BadRequestError('the patch must produce a JSON object');
  return result;
}
