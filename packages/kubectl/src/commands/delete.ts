/**
 * `kubectl delete`: by TYPE NAME..., TYPE/NAME, `-f`, `-l` or `--all`. Sends one DELETE per object
 * (propagationPolicy from `--cascade`, gracePeriodSeconds from `--grace-period`/`--now`), prints
 * `kind.group "name" deleted`, then (with `--wait`, the default) waits until every object is gone.
 */
import { ApiError, errorFromStatus, groupVersion, type KubeObject, type ResourceInfo, type Status } from '@kubesim/api';
import { CommandError, formatApiError, formatError } from '../errors.js';
import { getObject, listObjects } from '../fetch.js';
import type { ParsedArgs } from '../flags.js';
import { kindGroup } from '../printers/objects.js';
import type { Session } from '../session.js';
import { parseDuration } from '../duration.js';
import { ALL_NAMESPACES_FLAG, DRY_RUN_FLAG, dryRunMode, dryRunSuffix, FIELD_SELECTOR_FLAG, FILENAME_FLAG, RECURSIVE_FLAG, SELECTOR_FLAG, type Command } from './command.js';
import { collectTargets, isNotFound, type Target } from './targets.js';

export const deleteCommand: Command = {
  name: 'delete',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  long: `Delete resources by file names, stdin, resources and names, or by resources and label selector.

 JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.

 Some resources, such as pods, support graceful deletion. These resources define a default period before they are forcibly terminated (the grace period) but you may override that value with the --grace-period flag, or pass --now to set a grace-period of 1.`,
  examples: `  # Delete a pod using the type and name specified in pod.json
  kubectl delete -f ./pod.json

  # Delete pods and services with same names "baz" and "foo"
  kubectl delete pod,service baz foo

  # Delete pods and services with label name=myLabel
  kubectl delete pods,services -l name=myLabel

  # Delete a pod with minimal delay
  kubectl delete pod foo --now

  # Delete all pods
  kubectl delete pods --all`,
  usage: 'delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [options]',
  flags: [
    { name: 'all', type: 'bool', help: 'Delete all resources, in the namespace of the specified resource types.' },
    ALL_NAMESPACES_FLAG,
    { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background', help: 'Must be "background", "orphan", or "foreground". Defaults to background.' },
    DRY_RUN_FLAG,
    FIELD_SELECTOR_FLAG,
    FILENAME_FLAG,
    { name: 'force', type: 'bool', help: 'If true, immediately remove resources from API and bypass graceful deletion.' },
    { name: 'grace-period', type: 'int', default: -1, help: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown.' },
    { name: 'ignore-not-found', type: 'bool', help: 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.' },
    { name: 'now', type: 'bool', help: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).' },
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    { name: 'timeout', type: 'string', default: '0s', help: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
    { name: 'wait', type: 'bool', default: true, help: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
  ],
  run: runDelete,
};

interface DeleteOptions {
  body: Record<string, unknown>;
  dryRun: 'none' | 'client' | 'server';
  ignoreNotFound: boolean;
}

async function runDelete(session: Session, p: ParsedArgs): Promise<number> {
  const opts = deleteOptions(p);
  const hasFiles = (p.flags.filename as string[]).length > 0;
  const selector = p.flags.selector as string;
  const fieldSelector = p.flags['field-selector'] as string;
  const all = Boolean(p.flags.all);
  if (!hasFiles && p.args.length === 0) {
    throw new CommandError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  }
  const allNs = Boolean(p.flags['all-namespaces']);
  const set = await collectTargets(session, p.args, p.flags, allNs);
  const byName = set.targets.filter((t) => t.name);
  if (!hasFiles && byName.length === 0 && !all && !selector && !fieldSelector) {
    throw new CommandError(`resource(s) were provided, but no name was specified`);
  }
  const { objects, errors } = await expandTargets(session, set.targets, selector, fieldSelector);
  if (objects.length === 0 && errors.length === 0) {
    session.out('No resources found\n');
    return 0;
  }
  const deleted: { target: Target; uid?: string }[] = [];
  for (const t of objects) {
    try {
      const res = await deleteOne(session, t, opts);
      if (res) deleted.push({ target: t, uid: res });
      session.out(`${kindGroup(groupVersion(t.info), t.info.kind)} "${t.name}" deleted${dryRunSuffix(opts.dryRun)}\n`);
    } catch (err) {
      if (opts.ignoreNotFound && isNotFound(err)) continue;
      errors.push({ err, target: t });
    }
  }
  if (p.flags.wait && opts.dryRun === 'none') {
    const timeoutMs = parseDuration(p.flags.timeout as string, '--timeout') || 7 * 24 * 3_600_000;
    const deadline = Date.now() + timeoutMs;
    for (const d of deleted) await waitGone(session, d.target, d.uid, deadline);
  }
  for (const e of errors) session.err(describeDeleteError(e.err, e.target) + '\n');
  return errors.length > 0 ? 1 : 0;
}

function deleteOptions(p: ParsedArgs): DeleteOptions {
  const cascade = (p.flags.cascade as string).toLowerCase();
  const policies: Record<string, string> = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan', true: 'Background', false: 'Orphan' };
  const policy = policies[cascade];
  if (!policy) throw new CommandError(`invalid cascade value (${p.flags.cascade}). Must be "background", "foreground", or "orphan"`);
  const body: Record<string, unknown> = { propagationPolicy: policy };
  let grace = p.flags['grace-period'] as number;
  if (p.flags.now) {
    if (grace >= 0) throw new CommandError('--now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (p.flags.force && grace < 0) grace = 0;
  if (grace >= 0) body.gracePeriodSeconds = grace;
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  if (dryRun === 'server') body.dryRun = ['All'];
  return { body, dryRun, ignoreNotFound: Boolean(p.flags['ignore-not-found']) || Boolean(p.flags.all) };
}

/** Named targets stay as they are; type-only targets become one target per listed object. */
async function expandTargets(
  session: Session,
  targets: Target[],
  selector: string,
  fieldSelector: string,
): Promise<{ objects: Target[]; errors: { err: unknown; target?: Target }[] }> {
  const objects: Target[] = [];
  const errors: { err: unknown; target?: Target }[] = [];
  for (const t of targets) {
    if (t.name) {
      objects.push(t);
      continue;
    }
    try {
      const { items } = await listObjects(session, t.info, { namespace: t.namespace, labelSelector: selector, fieldSelector });
      for (const o of items) objects.push({ info: t.info, name: o.metadata?.name, namespace: t.info.namespaced ? o.metadata?.namespace : undefined });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors.push({ err });
    }
  }
  return { objects, errors };
}

/** Sends the DELETE; returns the uid of the object (to wait on), or undefined if already gone. */
async function deleteOne(session: Session, t: Target, opts: DeleteOptions): Promise<string | undefined> {
  if (opts.dryRun === 'client') {
    await getObject(session, t.info, t.namespace, t.name!);
    return undefined;
  }
  const query: Record<string, string> = {};
  if (opts.dryRun === 'server') query.dryRun = 'All';
  const res = await session.transport.request({
    verb: 'delete',
    group: t.info.group,
    version: t.info.version,
    resource: t.info.plural,
    namespace: t.namespace,
    name: t.name,
    body: opts.body,
    query,
  });
  if (res.code >= 400) throw errorFromStatus((res.body ?? { code: res.code }) as Status);
  const body = res.body as (KubeObject & Partial<Status>) | undefined;
  return body?.kind === 'Status' ? (body.details?.uid ?? '') : (body?.metadata?.uid ?? '');
}

/**
 * Waits until the object is gone: a GET answering 404 (or an object with another uid), else a
 * watch on it until its DELETED event, re-checking when the watch ends.
 */
async function waitGone(session: Session, t: Target, uid: string | undefined, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    let live: KubeObject;
    try {
      live = await getObject(session, t.info, t.namespace, t.name!);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (uid && live.metadata?.uid && live.metadata.uid !== uid) return;
    if (await watchUntilDeleted(session, t.info, t, live, deadline)) return;
  }
  throw new CommandError(`timed out waiting for the condition on ${t.info.plural}/${t.name}`);
}

async function watchUntilDeleted(session: Session, info: ResourceInfo, t: Target, live: KubeObject, deadline: number): Promise<boolean> {
  const seconds = Math.max(1, Math.min(300, Math.ceil((deadline - Date.now()) / 1000)));
  const stream = await session.transport.watch({
    verb: 'watch',
    group: info.group,
    version: info.version,
    resource: info.plural,
    namespace: t.namespace,
    query: { fieldSelector: `metadata.name=${t.name}`, resourceVersion: live.metadata?.resourceVersion ?? '', timeoutSeconds: String(seconds) },
  });
  const timer = setTimeout(() => stream.close(), deadline - Date.now());
  try {
    for await (const ev of stream) if (ev.type === 'DELETED') return true;
  } finally {
    clearTimeout(timer);
    stream.close();
  }
  return false;
}

function describeDeleteError(err: unknown, target?: Target): string {
  if (err instanceof ApiError && target?.source) return formatApiError(err, `error when deleting "${target.source}"`);
  return formatError(err, 'delete');
}
