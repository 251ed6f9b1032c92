/**
 * `kubectl drain NODE`: cordons the node, then removes its pods (see drain-filters.ts for which)
 * through the eviction subresource when discovery lists it (`POST …/pods/NAME/eviction`, retried
 * every 5 s on 429), else by DELETE, and waits until each pod is gone. An apiserver that lists
 * evictions but does not serve them yet (404/405) gets a DELETE for that pod instead.
 */
import type { KubeObject } from '@kubesim/api';
import { formatGoDuration, parseDuration } from '../duration.js';
import { CommandError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, type Command } from './command.js';
import { cordonNodes, NODE_SELECTOR_FLAG, selectNodes } from './cordon.js';
import { podsForDeletion, removePods, type DrainOptions, type DrainFailure } from './drain-pods.js';
import { aggregateMessage, drainErrors, drainWarnings } from './drain-filters.js';
import type { ObjectInfo } from './objects.js';
import { formatResult } from './result.js';

export const drainCommand: Command = {
  name: 'drain',
  short: 'Drain node in preparation for maintenance',
  long: `Drain node in preparation for maintenance.

 The given node will be marked unschedulable to prevent new pods from arriving. 'drain' evicts the pods if the API server supports https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ eviction https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ . Otherwise, it will use normal DELETE to delete the pods. The 'drain' evicts or deletes all pods except mirror pods (which cannot be deleted through the API server).  If there are daemon set-managed pods, drain will not proceed without --ignore-daemonsets, and regardless it will not delete any daemon set-managed pods, because those pods would be immediately replaced by the daemon set controller, which ignores unschedulable markings.  If there are any pods that are neither mirror pods nor managed by a replication controller, replica set, daemon set, stateful set, or job, then drain will not delete any pods unless you use --force.  --force will also allow deletion to proceed if the managing resource of one or more pods is missing.

 'drain' waits for graceful termination. You should not operate on the machine until the command completes.

 When you are ready to put the node back into service, use kubectl uncordon, which will make the node schedulable again.`,
  examples: `  # Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it
  kubectl drain foo --force

  # As above, but abort if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set, and use a grace period of 15 minutes
  kubectl drain foo --grace-period=900`,
  usage: 'drain NODE [options]',
  flags: [
    { name: 'delete-emptydir-data', type: 'bool', help: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).' },
    { name: 'disable-eviction', type: 'bool', help: 'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.' },
    DRY_RUN_FLAG,
    { name: 'force', type: 'bool', help: 'Continue even if there are pods that do not declare a controller.' },
    { name: 'grace-period', type: 'int', default: -1, help: 'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.' },
    { name: 'ignore-daemonsets', type: 'bool', help: 'Ignore DaemonSet-managed pods.' },
    { name: 'pod-selector', type: 'string', help: 'Label selector to filter pods on the node' },
    NODE_SELECTOR_FLAG,
    { name: 'skip-wait-for-delete-timeout', type: 'int', default: 0, help: 'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.' },
    { name: 'timeout', type: 'string', default: '0s', help: 'The length of time to wait before giving up, zero means infinite' },
  ],
  run: runDrain,
};

function drainOptions(p: ParsedArgs): DrainOptions {
  const timeoutMs = parseDuration(p.flags.timeout as string, '--timeout');
  return {
    force: Boolean(p.flags.force),
    ignoreDaemonSets: Boolean(p.flags['ignore-daemonsets']),
    deleteEmptyDirData: Boolean(p.flags['delete-emptydir-data']),
    skipWaitForDeleteTimeoutSeconds: p.flags['skip-wait-for-delete-timeout'] as number,
    disableEviction: Boolean(p.flags['disable-eviction']),
    gracePeriodSeconds: p.flags['grace-period'] as number,
    podSelector: p.flags['pod-selector'] as string,
    dryRun: dryRunMode(p.flags['dry-run'] as string),
    deadline: timeoutMs > 0 ? Date.now() + timeoutMs : undefined,
    timeoutText: formatGoDuration(timeoutMs),
  };
}

async function runDrain(session: Session, p: ParsedArgs): Promise<number> {
  const opts = drainOptions(p);
  const selected = await selectNodes(session, p, 'drain');
  if (selected.errors.length > 0) throw selected.errors[0];
  await cordonNodes(session, selected.objects, true, opts.dryRun);
  const failures: DrainFailure[] = [];
  const remaining: string[] = [];
  for (const node of selected.objects) {
    const failure = await drainNode(session, node, opts);
    if (!failure) {
      session.out(formatResult(node.object, 'drained', { dryRun: opts.dryRun }));
      continue;
    }
    failures.push(failure);
    remaining.push(node.name);
    session.err(`error: unable to drain node "${node.name}" due to error: ${aggregateMessage(failure.messages)}, continuing command...\n`);
    session.err(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join('')}`);
  }
  if (failures.length === 0) return 0;
  throw new CommandError(finalMessage(failures), true);
}

/** How kubectl's checkErr prints the aggregate of the nodes' failures. */
function finalMessage(failures: DrainFailure[]): string {
  if (failures.length > 1) return failures.map((f) => aggregateMessage(f.messages)).join('\n');
  const [only] = failures;
  return only.aggregate ? [...new Set(only.messages)].join('\n') : `error: ${only.messages[0]}`;
}

/** Drains one node; returns its failure, if any. */
async function drainNode(session: Session, node: ObjectInfo, opts: DrainOptions): Promise<DrainFailure | undefined> {
  const listed = await podsForDeletion(session, node.name, opts);
  if ('messages' in listed) return listed;
  const errors = drainErrors(listed);
  if (errors.length > 0) return { messages: errors, aggregate: true };
  const warnings = drainWarnings(listed);
  if (warnings) session.err(`Warning: ${warnings}\n`);
  const pods: KubeObject[] = listed.filter((v) => v.status.delete).map((v) => v.pod);
  if (opts.dryRun === 'client') {
    for (const pod of pods) session.out(`evicting pod ${pod.metadata?.namespace}/${pod.metadata?.name} (dry run)\n`);
    return undefined;
  }
  const failure = await removePods(session, pods, opts);
  if (failure) await reportPending(session, node.name, opts, aggregateMessage(failure.messages));
  return failure;
}

async function reportPending(session: Session, nodeName: string, opts: DrainOptions, error: string): Promise<void> {
  const listed = await podsForDeletion(session, nodeName, opts);
  if ('messages' in listed) return;
  const pending = listed.filter((v) => v.status.delete);
  if (pending.length === 0) return;
  session.err(`There are pending pods in node "${nodeName}" when an error occurred: ${error}\n${pending.map((v) => `pod/${v.pod.metadata?.name}\n`).join('')}`);
}
