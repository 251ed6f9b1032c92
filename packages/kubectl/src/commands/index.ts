/**
 * The command table and the root help screen (`kubectl` with no command).
 */
import type { Command } from './command.js';
import { applyCommand } from './apply.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { apiResourcesCommand, apiVersionsCommand } from './discovery-commands.js';
import { getCommand } from './get.js';
import { clusterInfoCommand, versionCommand } from './version.js';

/** Every top-level command, in help order within its section. */
export const COMMANDS: Command[] = [
  createCommand,
  getCommand,
  deleteCommand,
  clusterInfoCommand,
  describeCommand,
  applyCommand,
  apiResourcesCommand,
  apiVersionsCommand,
  versionCommand,
];

const SECTIONS: { title: string; names: string[] }[] = [
  { title: 'Basic Commands (Beginner)', names: ['create'] },
  { title: 'Basic Commands (Intermediate)', names: ['get', 'delete'] },
  { title: 'Cluster Management Commands', names: ['cluster-info'] },
  { title: 'Troubleshooting and Debugging Commands', names: ['describe'] },
  { title: 'Advanced Commands', names: ['apply'] },
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
