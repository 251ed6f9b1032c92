/**
 * `kubectl rollout restart|pause|resume`: each edits a copy of the object (the template's
 * restartedAt annotation, `spec.paused`) and sends the strategic merge patch between the two,
 * with fieldManager=kubectl-rollout.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { createStrategicMergePatch } from '../patch/two-way.js';
import type { Session } from '../session.js';
import type { Command } from './command.js';
import { groupResource, patchObject, type ObjectInfo } from './objects.js';
import { formatResult } from './result.js';
import { FIELD_MANAGER_ROLLOUT, ROLLOUT_FLAGS, selectForRollout } from './rollout-common.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- objects are edited as loose JSON */
type Json = any;

/**
 * An edit of a copy of the object; `kind` is the apps/v1 kind, or '' for other groups. Throws a
 * message kubectl prefixes with the object's name.
 */
type Mutation = (obj: Json, kind: string) => void;

const RESTART: Mutation = (obj, kind) => {
  if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(kind)) throw new Error('restarting is not supported');
  if (kind === 'Deployment' && obj.spec?.paused) throw new Error("can't restart paused deployment (run rollout resume first)");
  obj.spec ??= {};
  obj.spec.template ??= {};
  obj.spec.template.metadata ??= {};
  obj.spec.template.metadata.annotations = { ...obj.spec.template.metadata.annotations, 'kubectl.kubernetes.io/restartedAt': rfc3339(new Date()) };
};

const PAUSE: Mutation = (obj, kind) => {
  if (kind !== 'Deployment') throw new Error('pausing is not supported');
  if (obj.spec?.paused) throw new Error('is already paused');
  obj.spec.paused = true;
};

const RESUME: Mutation = (obj, kind) => {
  if (kind !== 'Deployment') throw new Error('resuming is not supported');
  if (!obj.spec?.paused) throw new Error('is not paused');
  delete obj.spec.paused;
};

/** Time as Go's RFC3339 layout writes it: local time, `Z` when the offset is zero. */
export function rfc3339(d: Date): string {
  const offset = -d.getTimezoneOffset();
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = new Date(d.getTime() + offset * 60_000);
  const stamp = local.toISOString().slice(0, 19);
  if (offset === 0) return `${stamp}Z`;
  const sign = offset > 0 ? '+' : '-';
  return `${stamp}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

function patchVerb(name: string, short: string, long: string, examples: string, mutation: Mutation, operation: string, emptyPatch: (name: string) => string): Command {
  return {
    name,
    short,
    long,
    examples,
    usage: `rollout ${name} RESOURCE [options]`,
    flags: [...ROLLOUT_FLAGS, FIELD_MANAGER_ROLLOUT],
    run: (session, p) => runPatchVerb(session, p, mutation, operation, emptyPatch),
  };
}

async function runPatchVerb(session: Session, p: ParsedArgs, mutation: Mutation, operation: string, emptyPatch: (name: string) => string): Promise<number> {
  const selected = await selectForRollout(session, p);
  const errors: string[] = selected.errors.map((e) => (e as Error).message);
  for (const target of selected.objects) {
    const failure = await patchOne(session, p, target, mutation, operation, emptyPatch);
    if (failure) errors.push(failure);
  }
  for (const e of errors) session.err(`${e.startsWith('error: ') ? e : `error: ${e}`}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** Edits, patches and prints one object; returns the error line on failure. */
async function patchOne(session: Session, p: ParsedArgs, target: ObjectInfo, mutation: Mutation, operation: string, emptyPatch: (name: string) => string): Promise<string | undefined> {
  const modified = structuredClone(target.object) as KubeObject;
  try {
    mutation(modified, target.info.group === 'apps' ? target.info.kind : '');
  } catch (err) {
    return `error: ${groupResource(target.info)} "${target.name}" ${(err as Error).message}`;
  }
  const patch = createStrategicMergePatch(target.object, modified);
  if (Object.keys(patch).length === 0) return emptyPatch(target.name);
  try {
    const obj = await patchObject(session, target, { type: 'strategic', body: patch, query: { fieldManager: p.flags['field-manager'] as string } });
    session.out(formatResult(obj, operation, { output: p.flags.output as string }));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return `failed to patch: ${err.message}`;
  }
  return undefined;
}

export const rolloutRestartCommand = patchVerb(
  'restart',
  'Restart a resource',
  `Restart a resource.

        Resource rollout will be restarted.`,
  `  # Restart all deployments in the test-namespace namespace
  kubectl rollout restart deployment -n test-namespace

  # Restart a deployment
  kubectl rollout restart deployment/nginx

  # Restart a daemon set
  kubectl rollout restart daemonset/abc

  # Restart deployments with the app=nginx label
  kubectl rollout restart deployment --selector=app=nginx`,
  RESTART,
  'restarted',
  (name) => `failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
);

export const rolloutPauseCommand = patchVerb(
  'pause',
  'Mark the provided resource as paused',
  `Mark the provided resource as paused.

 Paused resources will not be reconciled by a controller. Use "kubectl rollout resume" to resume a paused resource. Currently only deployments support being paused.`,
  `  # Mark the nginx deployment as paused
  # Any current state of the deployment will continue its function; new updates
  # to the deployment will not have an effect as long as the deployment is paused
  kubectl rollout pause deployment/nginx`,
  PAUSE,
  'paused',
  (name) => `failed to create patch for ${name}: empty patch`,
);

export const rolloutResumeCommand = patchVerb(
  'resume',
  'Resume a paused resource',
  `Resume a paused resource.

 Paused resources will not be reconciled by a controller. By resuming a resource, we allow it to be reconciled again. Currently only deployments support being resumed.`,
  `  # Resume an already paused deployment
  kubectl rollout resume deployment/nginx`,
  RESUME,
  'resumed',
  (name) => `failed to create patch for ${name}: empty patch`,
);
