/**
 * `kubectl rollout history`: a Deployment's revisions from the ReplicaSets it controls
 * (`REVISION  CHANGE-CAUSE`), or with `--revision=N` that revision's pod template.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { CommandError, formatError } from '../errors.js';
import { getObject } from '../fetch.js';
import type { ParsedArgs } from '../flags.js';
import { historyOf, historyTable, podTemplateText } from '../rollout/history.js';
import type { Session } from '../session.js';
import type { Command } from './command.js';
import { groupKind, type ObjectInfo } from './objects.js';
import { formatResult } from './result.js';
import { replicaSetsOf, ROLLOUT_FLAGS, selectForRollout } from './rollout-common.js';

export const rolloutHistoryCommand: Command = {
  name: 'history',
  short: 'View rollout history',
  long: 'View previous rollout revisions and configurations.',
  examples: `  # View the rollout history of a deployment
  kubectl rollout history deployment/abc

  # View the details of daemonset revision 3
  kubectl rollout history daemonset/abc --revision=3`,
  usage: 'rollout history (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [...ROLLOUT_FLAGS, { name: 'revision', type: 'int', default: 0, help: 'See the details, including podTemplate of the revision specified' }],
  run: runHistory,
};

async function runHistory(session: Session, p: ParsedArgs): Promise<number> {
  const revision = p.flags.revision as number;
  if (revision < 0) throw new CommandError(`revision must be a positive integer: ${revision}`);
  const selected = await selectForRollout(session, p);
  const errors = [...selected.errors];
  for (const target of selected.objects) {
    try {
      const text = await viewHistory(session, target, revision);
      const withRevision = revision > 0 ? `with revision #${revision}` : '';
      session.out(formatResult(target.object, `${withRevision}\n${text}`, { output: p.flags.output as string }));
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CommandError)) throw err;
      errors.push(err);
    }
  }
  for (const err of errors) session.err(formatError(err, 'rollout history') + '\n');
  return errors.length > 0 ? 1 : 0;
}

/** DeploymentHistoryViewer.ViewHistory: the table, or one revision's template. */
async function viewHistory(session: Session, target: ObjectInfo, revision: number): Promise<string> {
  if (target.info.group !== 'apps' || target.info.kind !== 'Deployment') {
    throw new CommandError(`no history viewer has been implemented for "${groupKind(target.info)}"`);
  }
  let deployment: KubeObject;
  try {
    deployment = await getObject(session, target.info, target.namespace, target.name);
  } catch (err) {
    throw new CommandError(`failed to retrieve deployment ${target.name}: ${(err as Error).message}`);
  }
  let history;
  try {
    history = historyOf(await replicaSetsOf(session, deployment));
  } catch (err) {
    throw new CommandError(`failed to retrieve replica sets from deployment ${target.name}: ${(err as Error).message}`);
  }
  if (revision > 0 && history.size > 0) {
    const template = history.get(revision);
    if (!template) throw new CommandError('unable to find the specified revision');
    return podTemplateText(template);
  }
  return historyTable(history);
}
