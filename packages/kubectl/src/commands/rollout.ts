/**
 * `kubectl rollout`: the group of status, history, undo, restart, pause and resume.
 */
import { groupCommand } from './command.js';
import { rolloutHistoryCommand } from './rollout-history.js';
import { rolloutPauseCommand, rolloutRestartCommand, rolloutResumeCommand } from './rollout-restart.js';
import { rolloutStatusCommand } from './rollout-status.js';
import { rolloutUndoCommand } from './rollout-undo.js';

export const rolloutCommand = groupCommand({
  name: 'rollout',
  short: 'Manage the rollout of a resource',
  long: `Manage the rollout of one or many resources.
        
 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets`,
  examples: `  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc

  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo

  # Restart a deployment
  kubectl rollout restart deployment/abc

  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx`,
  usage: 'rollout SUBCOMMAND [options]',
  subcommands: [rolloutHistoryCommand, rolloutPauseCommand, rolloutRestartCommand, rolloutResumeCommand, rolloutStatusCommand, rolloutUndoCommand],
  helpTo: 'stdout',
});
