/**
 * What a kubectl command is (name, help text, flags, run), the flags every command shares, and
 * the help screen rendered from them.
 */
import { formatFlagHelp, type FlagSpec, type ParsedArgs } from '../flags.js';
import { CommandError, UsageError } from '../errors.js';
import type { Session } from '../session.js';

/** One verb (`get`) or sub-verb (`create deployment`). */
export interface Command {
  name: string;
  aliases?: string[];
  /** One line for the root help listing. */
  short: string;
  /** Paragraph(s) shown at the top of `--help`. */
  long: string;
  examples: string;
  /** The usage line after `kubectl `. */
  usage: string;
  flags: FlagSpec[];
  /** Sub-verbs chosen by the first positional argument (`create namespace`). */
  subcommands?: Command[];
  /** The full verb path for help texts when it is a sub-verb's parent (`rollout`); defaults to name. */
  path?: string;
  /** Runs the command and returns its exit code; errors it throws are printed by the caller. */
  run(session: Session, parsed: ParsedArgs): Promise<number>;
}

/** Flags every command accepts (kubectl's global options). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', help: 'Path to the kubeconfig file to use for CLI requests.' },
  { name: 'context', type: 'string', help: 'The name of the kubeconfig context to use' },
  { name: 'server', short: 's', type: 'string', help: 'The address and port of the Kubernetes API server' },
  { name: 'namespace', short: 'n', type: 'string', help: 'If present, the namespace scope for this CLI request' },
  { name: 'request-timeout', type: 'string', default: '0', help: 'The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don\'t timeout requests.' },
  { name: 'v', short: 'v', type: 'int', default: 0, help: 'number for the log level verbosity (accepted and ignored)' },
  { name: 'cache-dir', type: 'string', help: 'Default cache directory (accepted and ignored)' },
];

export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', type: 'bool', help: 'help for this command' };

export const FILENAME_FLAG: FlagSpec = { name: 'filename', short: 'f', type: 'slice', help: 'Filename, directory, or URL to files identifying the resource.' };
export const RECURSIVE_FLAG: FlagSpec = {
  name: 'recursive',
  short: 'R',
  type: 'bool',
  help: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
};
export const SELECTOR_FLAG: FlagSpec = {
  name: 'selector',
  short: 'l',
  type: 'string',
  help: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
};
export const FIELD_SELECTOR_FLAG: FlagSpec = {
  name: 'field-selector',
  type: 'string',
  help: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
};
export const ALL_NAMESPACES_FLAG: FlagSpec = {
  name: 'all-namespaces',
  short: 'A',
  type: 'bool',
  help: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
};
export const OUTPUT_FLAG: FlagSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  help: 'Output format. One of: (json, yaml, name, jsonpath, custom-columns, wide).',
};
export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  type: 'string',
  default: 'none',
  noOptDefault: 'unchanged',
  help: 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
};

/** The `--help` screen of a command, laid out as kubectl's help template does. */
export function commandHelp(cmd: Command): string {
  const parts = [cmd.long.trimEnd(), ''];
  // Blank lines inside the examples keep their indentation, as kubectl's templates print them.
  if (cmd.examples.trim()) parts.push('Examples:', cmd.examples.replace(/^\n+|\s+$/g, '').replace(/^$/gm, '  '), '');
  if (cmd.subcommands?.length) {
    parts.push('Available Commands:');
    // cobra pads names to the longest one (at least 11), plus its own spacing.
    const width = Math.max(11, ...cmd.subcommands.map((s) => s.name.length)) + 3;
    for (const s of cmd.subcommands) parts.push(`  ${s.name.padEnd(width)}${s.short}`);
    parts.push('');
  }
  if (cmd.flags.length > 0) parts.push('Options:', formatFlagHelp(cmd.flags));
  parts.push('Usage:', `  kubectl ${cmd.usage}`, '');
  if (cmd.subcommands?.length) parts.push(`Use "kubectl ${cmd.path ?? cmd.name} <command> --help" for more information about a given command.`);
  parts.push('Use "kubectl options" for a list of global command-line options (applies to all commands).', '');
  return parts.join('\n');
}

/**
 * A verb that only groups sub-verbs (`rollout`, `set`): without one it prints its help (to
 * stdout or, like `kubectl set`, to stderr) and fails; an unknown one is a usage error.
 */
export function groupCommand(spec: Omit<Command, 'run' | 'flags'> & { helpTo: 'stdout' | 'stderr' }): Command {
  const cmd: Command = {
    ...spec,
    flags: [],
    async run(session, parsed) {
      if (parsed.args.length > 0) throw new UsageError(`unknown command "${parsed.args[0]}"`, 'examples');
      const text = commandHelp(cmd);
      if (spec.helpTo === 'stdout') session.out(text);
      else session.err(text);
      return 1;
    },
  };
  return cmd;
}

/** Dry-run strategy from the `--dry-run` value. `unchanged` (bare flag) means client. */
export function dryRunMode(value: string): 'none' | 'client' | 'server' {
  if (value === 'none' || value === '' || value === 'false') return 'none';
  if (value === 'client' || value === 'unchanged' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new CommandError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** The suffix kubectl appends to messages in dry-run mode. */
export function dryRunSuffix(mode: 'none' | 'client' | 'server'): string {
  return mode === 'client' ? ' (dry run)' : mode === 'server' ? ' (server dry run)' : '';
}
