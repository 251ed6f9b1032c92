/**
 * `kubectl version` (client version, and the server's from `/version`) and `kubectl cluster-info`.
 */
import { errorFromStatus, type Status } from '@kubesim/api';
import { CommandError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { toYaml } from '../printers/objects.js';
import type { Session } from '../session.js';
import type { Command } from './command.js';

/** The Kubernetes API level this client implements, reported as its version. */
export const CLIENT_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-kubesim.0.1.0',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export const versionCommand: Command = {
  name: 'version',
  short: 'Print the client and server version information',
  long: 'Print the client and server version information for the current context.',
  examples: `  # Print the client and server versions for the current context
  kubectl version`,
  usage: 'version [flags] [options]',
  flags: [
    { name: 'client', type: 'bool', help: 'If true, shows client version only (no server required).' },
    { name: 'output', short: 'o', type: 'string', help: "One of 'yaml' or 'json'." },
  ],
  run: runVersion,
};

async function runVersion(session: Session, p: ParsedArgs): Promise<number> {
  const output = p.flags.output as string;
  if (output && output !== 'json' && output !== 'yaml') throw new CommandError('--output must be \'yaml\' or \'json\'');
  const result: Record<string, unknown> = { clientVersion: CLIENT_VERSION };
  let serverError: unknown;
  if (!p.flags.client) {
    try {
      result.serverVersion = await serverVersion(session);
    } catch (err) {
      serverError = err;
    }
  }
  // kubectl prints the version structs in field order, indented by two spaces.
  if (output === 'json') session.out(JSON.stringify(result, null, 2) + '\n');
  else if (output === 'yaml') session.out(toYaml(result));
  else {
    session.out(`Client Version: ${CLIENT_VERSION.gitVersion}\n`);
    const sv = result.serverVersion as { gitVersion?: string } | undefined;
    if (sv) session.out(`Server Version: ${sv.gitVersion ?? ''}\n`);
  }
  if (serverError) throw serverError;
  return 0;
}

async function serverVersion(session: Session): Promise<unknown> {
  const res = await session.transport.getRaw('/version', { Accept: 'application/json' });
  const body = res.text ? (JSON.parse(res.text) as unknown) : {};
  if (res.code >= 400) throw errorFromStatus(body as Status);
  return body;
}

export const clusterInfoCommand: Command = {
  name: 'cluster-info',
  short: 'Display cluster information',
  long: `Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.`,
  examples: `  # Print the address of the control plane and cluster services
  kubectl cluster-info`,
  usage: 'cluster-info [flags] [options]',
  flags: [],
  async run(session) {
    await serverVersion(session);
    // kubectl colours these two parts whether or not stdout is a terminal.
    session.out(`\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33m${session.config.server}\x1b[0m\n\n`);
    session.out("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    return 0;
  },
};
