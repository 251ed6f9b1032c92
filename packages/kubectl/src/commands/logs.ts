/**
 * `kubectl logs`: streams `GET …/pods/NAME/log` (text) for a pod's container, every container
 * (`--all-containers`), a workload's first pod (`deployment/web`: "Found 3 pods, using pod/…"), or
 * the pods of a selector. `-f` keeps the chunked response open; several followed streams are
 * read at once, line by line, optionally prefixed with `[pod/NAME/CONTAINER]`.
 */
import { ApiError, findResourceByKind, type KubeObject } from '@kubesim/api';
import { parseDuration } from '../duration.js';
import { CommandError, UsageError } from '../errors.js';
import { getObject, listObjects } from '../fetch.js';
import type { ParsedArgs } from '../flags.js';
import { parseResourceArgs, resolveTargets } from '../resources.js';
import type { Session } from '../session.js';
import type { Command } from './command.js';
import { chooseContainers, logQuery, type LogFlags } from './logs-select.js';
import { firstPodOf } from './logs-pods.js';

const PODS = findResourceByKind('v1', 'Pod')!;

const USAGE_ERROR = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

export const logsCommand: Command = {
  name: 'logs',
  short: 'Print the logs for a container in a pod',
  long: 'Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.',
  examples: `  # Return snapshot logs from pod nginx with only one container
  kubectl logs nginx

  # Return snapshot logs from pod nginx with multi containers
  kubectl logs nginx --all-containers=true

  # Return snapshot logs from all containers in pods defined by label app=nginx
  kubectl logs -l app=nginx --all-containers=true

  # Return snapshot of previous terminated ruby container logs from pod web-1
  kubectl logs -p -c ruby web-1

  # Begin streaming the logs of the ruby container in pod web-1
  kubectl logs -f -c ruby web-1

  # Begin streaming the logs from all containers in pods defined by label app=nginx
  kubectl logs -f -l app=nginx --all-containers=true

  # Display only the most recent 20 lines of output in pod nginx
  kubectl logs --tail=20 nginx

  # Show all logs from pod nginx written in the last hour
  kubectl logs --since=1h nginx

  # Return snapshot logs from first container of a job named hello
  kubectl logs job/hello

  # Return snapshot logs from container nginx-1 of a deployment named nginx
  kubectl logs deployment/nginx -c nginx-1`,
  usage: 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  flags: [
    { name: 'all-containers', type: 'bool', help: "Get all containers' logs in the pod(s)." },
    { name: 'container', short: 'c', type: 'string', help: 'Print the logs of this container' },
    { name: 'follow', short: 'f', type: 'bool', help: 'Specify if the logs should be streamed.' },
    { name: 'ignore-errors', type: 'bool', help: 'If watching / following pod logs, allow for any errors that occur to be non-fatal' },
    { name: 'limit-bytes', type: 'int', default: 0, help: 'Maximum bytes of logs to return. Defaults to no limit.' },
    { name: 'max-log-requests', type: 'int', default: 5, help: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.' },
    { name: 'pod-running-timeout', type: 'string', default: '20s', help: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
    { name: 'prefix', type: 'bool', help: 'Prefix each log line with the log source (pod name and container name)' },
    { name: 'previous', short: 'p', type: 'bool', help: 'If true, print the logs for the previous instance of the container in a pod if it exists.' },
    { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    { name: 'since', type: 'string', default: '0s', help: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'since-time', type: 'string', help: 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'tail', type: 'int', default: -1, help: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.' },
    { name: 'timestamps', type: 'bool', help: 'Include timestamps on each line in the log output' },
  ],
  run: runLogs,
};

/** One container's log to read. */
interface LogSource {
  namespace: string;
  pod: string;
  container: string;
}

interface LogsOptions {
  resource: string;
  container: string;
  flags: LogFlags;
  allContainers: boolean;
  prefix: boolean;
  ignoreErrors: boolean;
  maxFollow: number;
  podTimeoutMs: number;
}

async function runLogs(session: Session, p: ParsedArgs): Promise<number> {
  const opts = logsOptions(p);
  const sources = await resolveSources(session, opts, p.flags.selector as string);
  if (sources === undefined) return 0;
  if (opts.flags.follow && sources.length > 1) {
    if (sources.length > opts.maxFollow) {
      throw new CommandError(
        `you are attempting to follow ${sources.length} log streams, but maximum allowed concurrency is ${opts.maxFollow}, use --max-log-requests to increase the limit`,
      );
    }
    await Promise.all(sources.map((s) => readLog(session, s, opts, true)));
  } else {
    for (const s of sources) await readLog(session, s, opts, false);
  }
  return 0;
}

/** kubectl's Complete and Validate: argument shapes and flag combinations. */
function logsOptions(p: ParsedArgs): LogsOptions {
  const selector = p.flags.selector as string;
  if (p.args.length === 0 && !selector) throw new UsageError(USAGE_ERROR, 'examples');
  if (p.args.length === 1 && selector) throw new UsageError('only a selector (-l) or a POD name is allowed', 'examples');
  if (p.args.length > 2) throw new UsageError(USAGE_ERROR, 'examples');
  const container = p.args.length === 2 ? p.args[1] : (p.flags.container as string);
  const since = p.flags.since as string;
  const sinceMs = since.startsWith('-') ? -1 : parseDuration(since, '--since');
  if (p.flags['since-time'] && sinceMs !== 0) throw new CommandError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (p.flags['all-containers'] && container) throw new CommandError(`--all-containers=true should not be specified with container name ${container}`);
  if (p.set.has('container') && p.args.length === 2) throw new CommandError('only one of -c or an inline [CONTAINER] arg is allowed');
  if ((p.flags['limit-bytes'] as number) < 0) throw new CommandError('--limit-bytes must be greater than 0');
  if (sinceMs < 0) throw new CommandError('--since must be greater than 0');
  if ((p.flags.tail as number) < -1) throw new CommandError('--tail must be greater than or equal to -1');
  return {
    resource: p.args[0] ?? '',
    container,
    allContainers: Boolean(p.flags['all-containers']),
    prefix: Boolean(p.flags.prefix),
    ignoreErrors: Boolean(p.flags['ignore-errors']),
    maxFollow: p.flags['max-log-requests'] as number,
    podTimeoutMs: parseDuration(p.flags['pod-running-timeout'] as string, '--pod-running-timeout'),
    flags: {
      follow: Boolean(p.flags.follow),
      previous: Boolean(p.flags.previous),
      timestamps: Boolean(p.flags.timestamps),
      tail: p.flags.tail as number,
      tailSet: p.set.has('tail'),
      bySelector: Boolean(selector),
      sinceMs,
      sinceTime: p.flags['since-time'] as string,
      limitBytes: p.flags['limit-bytes'] as number,
    },
  };
}

/** The containers to read; undefined when a selector matched no pod (already reported). */
async function resolveSources(session: Session, opts: LogsOptions, selector: string): Promise<LogSource[] | undefined> {
  const namespace = session.namespace;
  let pods: KubeObject[];
  if (selector) {
    pods = (await listObjects(session, PODS, { namespace, labelSelector: selector })).items;
    if (pods.length === 0) {
      session.err(`No resources found in ${namespace} namespace.\n`);
      return undefined;
    }
  } else {
    pods = [await podFor(session, await fetchNamed(session, opts.resource), opts.podTimeoutMs)];
  }
  const sources: LogSource[] = [];
  for (const pod of pods) {
    const choice = chooseContainers(pod, opts.container, opts.allContainers);
    for (const n of choice.notices) session.err(`${n}\n`);
    for (const c of choice.containers) sources.push({ namespace: pod.metadata?.namespace ?? namespace, pod: pod.metadata?.name ?? '', container: c });
  }
  return sources;
}

/** The builder's GET of `POD` or `TYPE/NAME`, with the logs command's wording for a missing object. */
async function fetchNamed(session: Session, arg: string): Promise<KubeObject> {
  const [target] = await resolveTargets(session, arg.includes('/') ? parseResourceArgs([arg]) : { kind: 'pairs', pairs: [{ type: 'pods', name: arg }] });
  const namespace = target.info.namespaced ? session.namespace : undefined;
  try {
    return await getObject(session, target.info, namespace, target.name!);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NotFound') {
      throw new CommandError(`error from server (NotFound): ${err.message} in namespace "${session.namespace}"`);
    }
    throw err;
  }
}

/** The pod itself, or the pod kubectl picks for a workload. */
async function podFor(session: Session, obj: KubeObject, timeoutMs: number): Promise<KubeObject> {
  if (obj.kind === 'Pod') return obj;
  const { pod, count } = await firstPodOf(session, obj, timeoutMs);
  if (count > 1) session.err(`Found ${count} pods, using pod/${pod.metadata?.name}\n`);
  return pod;
}

/** Streams one container's log to stdout, whole lines at a time (so parallel streams do not mix). */
async function readLog(session: Session, source: LogSource, opts: LogsOptions, parallel: boolean): Promise<void> {
  const prefix = opts.prefix ? `[pod/${source.pod}/${source.container}] ` : '';
  let pending = '';
  const emit = (text: string) => session.out(prefix ? (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((line) => prefix + line).join('') : text);
  const path = `/api/v1/namespaces/${encodeURIComponent(source.namespace)}/pods/${encodeURIComponent(source.pod)}/log`;
  try {
    await session.stream(path, logQuery(source.container, opts.flags), (chunk) => {
      pending += chunk.toString('utf8');
      const nl = pending.lastIndexOf('\n');
      if (nl < 0) return;
      emit(pending.slice(0, nl + 1));
      pending = pending.slice(nl + 1);
    });
  } catch (err) {
    if (!(parallel && opts.ignoreErrors)) throw err;
    session.out(`error: ${(err as Error).message}\n`);
  } finally {
    if (pending) emit(pending);
  }
}
