/**
 * The command table and the root help screen (`kubectl` with no command).
 */
import type { Command } from './command.js';
import { annotateCommand } from './annotate.js';
import { applyCommand } from './apply.js';
import { cordonCommand, uncordonCommand } from './cordon.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { apiResourcesCommand, apiVersionsCommand } from './discovery-commands.js';
import { drainCommand } from './drain.js';
import { exposeCommand } from './expose.js';
import { getCommand } from './get.js';
import { labelCommand } from './label.js';
import { logsCommand } from './logs.js';
import { rolloutCommand } from './rollout.js';
import { runCommand } from './run.js';
import { scaleCommand } from './scale.js';
import { setCommand } from './set.js';
import { taintCommand } from './taint.js';
import { clusterInfoCommand, versionCommand } from './version.js';
import { waitCommand } from './wait.js';

/** Every top-level command, in help order within its section. */
export const COMMANDS: Command[] = [
  createCommand,
  exposeCommand,
  runCommand,
  setCommand,
  getCommand,
  deleteCommand,
  rolloutCommand,
  scaleCommand,
  clusterInfoCommand,
  cordonCommand,
  uncordonCommand,
  drainCommand,
  taintCommand,
  describeCommand,
  logsCommand,
  applyCommand,
  waitCommand,
  labelCommand,
  annotateCommand,
  apiResourcesCommand,
  apiVersionsCommand,
  versionCommand,
];

/** kubectl's groups on the root help screen, holding the commands this kubectl implements. */
const SECTIONS: { title: string; names: string[] }[] = [
  { title: 'Basic Commands (Beginner)', names: ['create', 'expose', 'run', 'set'] },
  { title: 'Basic Commands (Intermediate)', names: ['get', 'delete'] },
  { title: 'Deploy Commands', names: ['rollout', 'scale'] },
  { title: 'Cluster Management Commands', names: ['cluster-info', 'cordon', 'uncordon', 'drain', 'taint'] },
  { title: 'Troubleshooting and Debugging Commands', names: ['describe', 'logs'] },
  { title: 'Advanced Commands', names: ['apply', 'wait'] },
  { title: 'Settings Commands', names: ['label', 'annotate'] },
  { title: 'Other Commands', names: ['api-resources', 'api-versions', 'version'] },
];

/** kubectl's top-level usage text, listing the commands this kubectl implements. */
export function rootHelp(): string {
  const lines = ['kubectl controls the Kubernetes cluster manager.', '', ' Find more information at: https://kubernetes.io/docs/reference/kubectl/', ''];
  for (const section of SECTIONS) {
    const cmds = section.names.map((n) => COMMANDS.find((c) => c.name === n)).filter((c): c is Command => c !== undefined);
    if (cmds.length === 0) continue;
    lines.push(`${section.title}:`);
    for (const c of cmds) lines.push(`  ${c.name.padEnd(16)}${c.short}`);
    lines.push('');
  }
  lines.push(
    'Usage:',
    '  kubectl [flags] [options]',
    '',
    'Use "kubectl <command> --help" for more information about a given command.',
    'Use "kubectl options" for a list of global command-line options (applies to all commands).',
    '',
  );
  return lines.join('\n');
}
