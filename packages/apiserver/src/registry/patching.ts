/**
 * PATCH for every resource and the four patch types, as a read-modify-write through the
 * registry's optimistic-concurrency loop. Server-side apply creates the object if it is absent.
 */
import {
  BadRequestError,
  UnsupportedMediaTypeError,
  isReason,
  type KubeObject,
  type PatchType,
  type ResourceInfo,
} from '@kubesim/api';
import { applyPatch, applyServerSideApply } from '../http/patch/index.js';
import { isPlainObject } from './objects.js';
import type { Registry } from './registry.js';

export interface PatchOptions {
  dryRun?: boolean;
  subresource?: string;
  manager?: string;
  force?: boolean;
  /** For a resource served in another version than stored: the patch applies to the served form. */
  view?: { toServed: (o: KubeObject) => KubeObject; toStored: (o: KubeObject) => KubeObject };
}

/** Applies a patch document to the named object. `created` is true when apply created it. */
export async function patchObject(
  registry: Registry,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  patchType: PatchType | undefined,
  body: unknown,
  opts: PatchOptions,
): Promise<{ object: KubeObject; created: boolean }> {
  if (!patchType) throw new UnsupportedMediaTypeError('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json');
  checkPatchBody(patchType, body);
  if (patchType === 'apply' && !opts.manager) {
    throw new BadRequestError('PATCH request must include fieldManager query parameter for apply requests');
  }
  const manager = opts.manager ?? 'unknown';
  if (patchType === 'apply') {
    try {
      await registry.get(info, namespace, name);
    } catch (err) {
      if (!isReason(err, 'NotFound')) throw err;
      const fresh = applyServerSideApply(undefined, body as KubeObject, { manager, force: !!opts.force });
      const applied = opts.view ? opts.view.toStored(fresh) : fresh;
      const object = await registry.create(info, namespace, { ...applied, metadata: { ...applied.metadata, name } }, { dryRun: opts.dryRun, applied: true });
      return { object, created: true };
    }
  }
  const pinned = pinnedVersion(patchType, body);
  const object = await registry.writeLoop(
    info,
    namespace,
    name,
    pinned,
    (stored) => {
      const current = opts.view ? opts.view.toServed(stored) : stored;
      const patched =
        patchType === 'apply'
          ? applyServerSideApply(current, body as KubeObject, { manager, force: !!opts.force })
          : (applyPatch(patchType, current, body, info.kind) as KubeObject);
      const next = opts.view && isPlainObject(patched) ? opts.view.toStored(patched) : patched;
      if (!isPlainObject(next) || !isPlainObject(next.metadata)) throw new BadRequestError('the patch produced an object without metadata');
      // The patch's own resourceVersion was a precondition, checked against the current object above.
      next.metadata.resourceVersion = stored.metadata.resourceVersion;
      return next as KubeObject;
    },
    { dryRun: opts.dryRun, subresource: opts.subresource, manager: opts.manager, applied: patchType === 'apply' },
  );
  return { object, created: false };
}

function checkPatchBody(patchType: PatchType, body: unknown): void {
  if (patchType === 'json') {
    if (!Array.isArray(body)) throw new BadRequestError('a JSON patch must be a JSON array of operations');
  } else if (!isPlainObject(body)) {
    throw new BadRequestError('the patch must be a JSON object');
  }
}

function pinnedVersion(patchType: PatchType, body: unknown): string | undefined {
  if (patchType === 'json' || !isPlainObject(body)) return undefined;
  const rv = (body as any).metadata?.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}
