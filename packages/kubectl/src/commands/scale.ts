/**
 * `kubectl scale`: sets `spec.replicas` through the scale subresource, with a merge PATCH; with
 * `--current-replicas` or `--resource-version` preconditions it reads the Scale, checks them
 * and PUTs it back. `--timeout` waits until the new size is reached.
 */
import { ApiError, unwrap } from '@kubesim/api';
import { parseDuration } from '../duration.js';
import { CommandError, formatError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, FILENAME_FLAG, RECURSIVE_FLAG, type Command } from './command.js';
import { NO_RESOURCES_GIVEN, patchObject, selectObjects, type ObjectInfo } from './objects.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';

export const scaleCommand: Command = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  long: `Set a new size for a deployment, replica set, replication controller, or stateful set.

 Scale also allows users to specify one or more preconditions for the scale action.

 If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.`,
  examples: `  # Scale a replica set named 'foo' to 3
  kubectl scale --replicas=3 rs/foo

  # Scale a resource identified by type and name specified in "foo.yaml" to 3
  kubectl scale --replicas=3 -f foo.yaml

  # If the deployment named mysql's current size is 2, scale mysql to 3
  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql

  # Scale multiple replication controllers
  kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3

  # Scale stateful set named 'web' to 3
  kubectl scale --replicas=3 statefulset/web`,
  usage: 'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  flags: [
    { name: 'all', type: 'bool', help: 'Select all resources in the namespace of the specified resource types' },
    { name: 'current-replicas', type: 'int', default: -1, help: 'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.' },
    DRY_RUN_FLAG,
    { ...FILENAME_FLAG, help: 'Filename, directory, or URL to files identifying the resource to set a new size' },
    PRINT_OUTPUT_FLAG,
    RECURSIVE_FLAG,
    { name: 'replicas', type: 'int', default: 0, help: 'The new desired number of replicas. Required.' },
    { name: 'resource-version', type: 'string', help: 'Precondition for resource version. Requires that the current resource version match this value in order to scale.' },
    { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    { name: 'timeout', type: 'string', default: '0s', help: "The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)." },
  ],
  run: runScale,
};

interface ScaleOptions {
  replicas: number;
  currentReplicas: number;
  resourceVersion: string;
  dryRun: 'none' | 'client' | 'server';
  output: string;
  timeoutMs: number;
}

interface Scale {
  metadata?: { resourceVersion?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number };
}

async function runScale(session: Session, p: ParsedArgs): Promise<number> {
  if (!p.set.has('replicas')) throw new CommandError('required flag(s) "replicas" not set');
  const opts: ScaleOptions = {
    replicas: p.flags.replicas as number,
    currentReplicas: p.flags['current-replicas'] as number,
    resourceVersion: p.flags['resource-version'] as string,
    dryRun: dryRunMode(p.flags['dry-run'] as string),
    output: p.flags.output as string,
    timeoutMs: parseDuration(p.flags.timeout as string, '--timeout'),
  };
  if (opts.replicas < 0) throw new CommandError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (p.args.length === 0 && (p.flags.filename as string[]).length === 0) throw new CommandError(NO_RESOURCES_GIVEN);
  const selected = await selectObjects(session, {
    args: p.args,
    filenames: p.flags.filename as string[],
    recursive: Boolean(p.flags.recursive),
    selector: p.flags.selector as string,
    all: Boolean(p.flags.all),
  });
  const errors = [...selected.errors];
  for (const target of selected.objects) {
    try {
      await scaleOne(session, target, opts);
      session.out(formatResult(target.object, 'scaled', { output: opts.output, dryRun: opts.dryRun }));
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CommandError)) throw err;
      errors.push(err);
    }
  }
  for (const err of errors) session.err(formatError(err, 'scale') + '\n');
  return errors.length > 0 ? 1 : 0;
}

async function scaleOne(session: Session, target: ObjectInfo, opts: ScaleOptions): Promise<void> {
  if (opts.dryRun === 'client') return;
  const query: Record<string, string> = opts.dryRun === 'server' ? { dryRun: 'All' } : {};
  if (opts.currentReplicas >= 0 || opts.resourceVersion) {
    const scale = await readScale(session, target);
    checkPreconditions(scale, opts);
    scale.spec = { ...scale.spec, replicas: opts.replicas };
    unwrap(await session.transport.request({ ...scaleRequest(target), verb: 'update', body: scale, query }));
  } else {
    await patchObject(session, target, { type: 'merge', subresource: 'scale', body: { spec: { replicas: opts.replicas } }, query });
  }
  if (opts.timeoutMs > 0 && opts.dryRun === 'none') await waitForReplicas(session, target, opts.replicas, Date.now() + opts.timeoutMs);
}

/** kubectl's ScalePrecondition check. */
export function checkPreconditions(scale: Scale, opts: Pick<ScaleOptions, 'currentReplicas' | 'resourceVersion'>): void {
  const current = scale.spec?.replicas ?? 0;
  if (opts.currentReplicas >= 0 && current !== opts.currentReplicas) throw new CommandError(`Expected replicas to be ${opts.currentReplicas}, was ${current}`);
  const rv = scale.metadata?.resourceVersion ?? '';
  if (opts.resourceVersion && rv !== opts.resourceVersion) throw new CommandError(`Expected resource version to be ${opts.resourceVersion}, was ${rv}`);
}

function scaleRequest(target: ObjectInfo) {
  return { group: target.info.group, version: target.info.version, resource: target.info.plural, subresource: 'scale', namespace: target.namespace, name: target.name };
}

async function readScale(session: Session, target: ObjectInfo): Promise<Scale> {
  return unwrap<Scale>(await session.transport.request({ ...scaleRequest(target), verb: 'get' }));
}

/** Polls the Scale every second until `status.replicas` is the wanted size (kubectl's `--timeout`). */
async function waitForReplicas(session: Session, target: ObjectInfo, replicas: number, deadline: number): Promise<void> {
  for (;;) {
    const scale = await readScale(session, target);
    if ((scale.status?.replicas ?? 0) === replicas && (scale.spec?.replicas ?? 0) === replicas) return;
    if (Date.now() >= deadline) throw new CommandError('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
  }
}
