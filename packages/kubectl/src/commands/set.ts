/**
 * `kubectl set`: the group of `set image` and `set env`.
 */
import { groupCommand } from './command.js';
import { setEnvCommand } from './set-env.js';
import { setImageCommand } from './set-image.js';

export const setCommand = groupCommand({
  name: 'set',
  short: 'Set specific features on objects',
  long: `Configure application resources.

 These commands help you make changes to existing application resources.`,
  examples: '',
  usage: 'set SUBCOMMAND [options]',
  subcommands: [setEnvCommand, setImageCommand],
  helpTo: 'stderr',
});
