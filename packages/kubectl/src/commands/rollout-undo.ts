/**
 * `kubectl rollout undo`: puts a Deployment's pod template back to the one of an earlier
 * revision (the previous one, or `--to-revision`), with the JSON patch kubectl sends; skipped
 * when the template already matches.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { CommandError, formatError } from '../errors.js';
import { getObject } from '../fetch.js';
import type { ParsedArgs } from '../flags.js';
import { equalIgnoreHash, podTemplateText, revisionNotFound, rollbackPatch, rollbackTarget } from '../rollout/history.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, type Command } from './command.js';
import { groupKind, patchObject, type ObjectInfo } from './objects.js';
import { formatResult } from './result.js';
import { replicaSetsOf, ROLLOUT_FLAGS, selectForRollout } from './rollout-common.js';

export const rolloutUndoCommand: Command = {
  name: 'undo',
  short: 'Undo a previous rollout',
  long: 'Roll back to a previous rollout.',
  examples: `  # Roll back to the previous deployment
  kubectl rollout undo deployment/abc

  # Roll back to daemonset revision 3
  kubectl rollout undo daemonset/abc --to-revision=3

  # Roll back to the previous deployment with dry-run
  kubectl rollout undo --dry-run=server deployment/abc`,
  usage: 'rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [...ROLLOUT_FLAGS, DRY_RUN_FLAG, { name: 'to-revision', type: 'int', default: 0, help: 'The revision to rollback to. Default to 0 (last revision).' }],
  run: runUndo,
};

async function runUndo(session: Session, p: ParsedArgs): Promise<number> {
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  const toRevision = p.flags['to-revision'] as number;
  const selected = await selectForRollout(session, p);
  const errors = [...selected.errors];
  for (const target of selected.objects) {
    try {
      const outcome = await rollback(session, target, toRevision, dryRun);
      session.out(formatResult(target.object, outcome, { output: p.flags.output as string, dryRun }));
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CommandError)) throw err;
      errors.push(err);
    }
  }
  for (const err of errors) session.err(formatError(err, 'rollout undo') + '\n');
  return errors.length > 0 ? 1 : 0;
}

/** DeploymentRollbacker.Rollback: returns the operation to print (`rolled back`, `skipped rollback …`). */
async function rollback(session: Session, target: ObjectInfo, toRevision: number, dryRun: 'none' | 'client' | 'server'): Promise<string> {
  if (target.info.group !== 'apps' || target.info.kind !== 'Deployment') {
    throw new CommandError(`no rollbacker has been implemented for "${groupKind(target.info)}"`);
  }
  if (toRevision < 0) throw revisionNotFound(toRevision);
  let deployment: KubeObject;
  try {
    deployment = await getObject(session, target.info, target.namespace, target.name);
  } catch (err) {
    throw new CommandError(`failed to retrieve Deployment ${target.name}: ${(err as Error).message}`);
  }
  let replicaSets: KubeObject[];
  try {
    replicaSets = await replicaSetsOf(session, deployment);
  } catch (err) {
    throw new CommandError(`failed to retrieve replica sets from deployment ${target.name}: ${(err as Error).message}`);
  }
  const rs = rollbackTarget(replicaSets, toRevision, target.name) as KubeObject & { spec?: { template?: unknown } };
  if (dryRun === 'client') return podTemplateText(rs.spec?.template);
  const spec = (deployment as { spec?: { paused?: boolean; template?: unknown } }).spec;
  if (spec?.paused) throw new CommandError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  if (equalIgnoreHash(rs.spec?.template, spec?.template)) return `skipped rollback (current template already matches revision ${toRevision})`;
  try {
    await patchObject(session, target, { type: 'json', body: rollbackPatch(deployment, rs), query: dryRun === 'server' ? { dryRun: 'All' } : {} });
  } catch (err) {
    throw new CommandError(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
  }
  return 'rolled back';
}
