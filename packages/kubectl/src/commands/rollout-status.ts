/**
 * `kubectl rollout status`: judges the object's status on its listed state and then on every
 * watch event (rollout_status.go's rules and messages), until the rollout is done, fails, or
 * `--timeout` passes. `--watch=false` prints the first judgement only.
 */
import { parseDuration } from '../duration.js';
import { CommandError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { statusViewerFor } from '../rollout/status.js';
import type { Session } from '../session.js';
import { untilWithSync } from '../watch-until.js';
import { FILENAME_FLAG, RECURSIVE_FLAG, type Command } from './command.js';
import { groupKind, selectObjects } from './objects.js';
import { requireResources } from './rollout-common.js';

export const rolloutStatusCommand: Command = {
  name: 'status',
  short: 'Show the status of the rollout',
  long: `Show the status of the rollout.

 By default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.`,
  examples: `  # Watch the rollout status of a deployment
  kubectl rollout status deployment/nginx`,
  usage: 'rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [
    { ...FILENAME_FLAG, help: 'Filename, directory, or URL to files identifying the resource to get from a server.' },
    RECURSIVE_FLAG,
    { name: 'revision', type: 'int', default: 0, help: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).' },
    { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    { name: 'timeout', type: 'string', default: '0s', help: 'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).' },
    { name: 'watch', short: 'w', type: 'bool', default: true, help: "Watch the status of the rollout until it's done." },
  ],
  run: runStatus,
};

async function runStatus(session: Session, p: ParsedArgs): Promise<number> {
  requireResources(p);
  const revision = p.flags.revision as number;
  if (revision < 0) throw new CommandError(`revision must be a positive integer: ${revision}`);
  const timeoutMs = parseDuration(p.flags.timeout as string, '--timeout');
  const selected = await selectObjects(session, {
    args: p.args,
    filenames: p.flags.filename as string[],
    recursive: Boolean(p.flags.recursive),
    selector: p.flags.selector as string,
    allowEmptySelector: true,
  });
  if (selected.errors.length > 0) throw selected.errors[0];
  if (selected.objects.length !== 1) {
    throw new CommandError(`rollout status is only supported on individual resources and resource collections - ${selected.objects.length} resources were found`);
  }
  const target = selected.objects[0];
  const viewer = statusViewerFor(target.info.group, target.info.kind);
  if (!viewer) throw new CommandError(`no status viewer has been implemented for ${groupKind(target.info)}`);
  await untilWithSync(session, {
    info: target.info,
    namespace: target.namespace,
    name: target.name,
    deadline: timeoutMs > 0 ? Date.now() + timeoutMs : undefined,
    onEvent(type, obj) {
      if (type === 'DELETED') throw new CommandError('object has been deleted');
      const status = viewer(obj, revision);
      session.out(status.message);
      return status.done || !p.flags.watch;
    },
  });
  return 0;
}
