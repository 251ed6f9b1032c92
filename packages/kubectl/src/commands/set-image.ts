/**
 * `kubectl set image`: changes container images in pod templates (`NAME=IMAGE`, `*=IMAGE` for
 * every container) and sends the strategic merge patch kubectl computes; an unchanged object is
 * skipped without a request.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { CommandError, formatError, UsageError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { createStrategicMergePatch } from '../patch/two-way.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, type Command } from './command.js';
import { patchObject, splitResourcesAndPairs } from './objects.js';
import { noPodSpecMessage, podSpecOf } from './pod-spec.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';
import { ALL_FLAG_SELECT, FIELD_MANAGER_SET, SET_SELECTION_FLAGS, selectForSet, setQuery } from './set-common.js';

export const setImageCommand: Command = {
  name: 'image',
  short: 'Update the image of a pod template',
  long: `Update existing container image(s) of resources.

 Possible resources include (case insensitive):

        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)`,
  examples: `  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'
  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1

  # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'
  kubectl set image deployments,rc nginx=nginx:1.9.1 --all

  # Update image of all containers of daemonset abc to 'nginx:1.9.1'
  kubectl set image daemonset abc *=nginx:1.9.1`,
  usage: 'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
  flags: [ALL_FLAG_SELECT, DRY_RUN_FLAG, FIELD_MANAGER_SET, ...SET_SELECTION_FLAGS, PRINT_OUTPUT_FLAG],
  run: runSetImage,
};

/** Parses `NAME=IMAGE` pairs; kubectl's validation of `*` and of an empty list. */
export function parseImages(pairs: readonly string[]): Map<string, string> {
  const images = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new CommandError(`invalid image update: ${pair}, expected CONTAINER_NAME=CONTAINER_IMAGE`);
    images.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  if (images.size === 0) throw new CommandError('at least one image update is required');
  if (images.has('*') && images.size > 1) {
    throw new CommandError('all containers are already specified by *, but saw more than one container_name=container_image pairs');
  }
  return images;
}

/** Sets the images in a pod spec; returns kubectl's error for each name no container has. */
export function applyImages(spec: { initContainers?: { name: string; image?: string }[]; containers?: { name: string; image?: string }[]; ephemeralContainers?: { name: string; image?: string }[] }, images: Map<string, string>): string[] {
  const errors: string[] = [];
  for (const [name, image] of images) {
    let found = false;
    for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
      for (const c of list ?? []) {
        if (c.name !== name && name !== '*') continue;
        c.image = image;
        found = true;
      }
    }
    if (!found) errors.push(`error: unable to find container named "${name}"`);
  }
  return errors;
}

async function runSetImage(session: Session, p: ParsedArgs): Promise<number> {
  const { resources, pairs } = splitResourcesAndPairs(p.args, 'image');
  const images = parseImages(pairs);
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  if (resources.length === 0 && (p.flags.filename as string[]).length === 0) {
    throw new UsageError('one or more resources must be specified as <resource> <name> or <resource>/<name>', 'examples');
  }
  const selected = await selectForSet(session, p, resources);
  const errors: string[] = selected.errors.map((e) => formatError(e, 'set image'));
  for (const target of selected.objects) {
    const modified = structuredClone(target.object) as KubeObject;
    const spec = podSpecOf(modified);
    if (!spec) {
      errors.push(`error: ${noPodSpecMessage(target.info.kind, target.name, target.info.plural)}`);
      continue;
    }
    errors.push(...applyImages(spec, images));
    const patch = createStrategicMergePatch(target.object, modified);
    if (Object.keys(patch).length === 0) continue;
    try {
      const obj = dryRun === 'client' ? modified : await patchObject(session, target, { type: 'strategic', body: patch, query: setQuery(p, dryRun) });
      session.out(formatResult(obj, 'image updated', { output: p.flags.output as string, dryRun }));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors.push(`failed to patch image update to pod template: ${err.message}`);
    }
  }
  for (const e of errors) session.err(`${e}\n`);
  return errors.length > 0 ? 1 : 0;
}
