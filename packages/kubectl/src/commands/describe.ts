/**
 * `kubectl describe`: fetches each object plus what its describer shows (events, owned
 * ReplicaSets or pods, endpoints, the node lease) and prints the descriptions separated by a
 * blank line.
 */
import { ApiError, RESOURCES, type KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { getObject, listObjects } from '../fetch.js';
import { describeObject, type DescribeExtras } from '../printers/describe/describers.js';
import { selectorString, type EventLike } from '../printers/describe/writer.js';
import type { Session } from '../session.js';
import { ALL_NAMESPACES_FLAG, FILENAME_FLAG, RECURSIVE_FLAG, SELECTOR_FLAG, type Command } from './command.js';
import { reportErrors } from './get.js';
import { collectTargets, isNotFound, type Target } from './targets.js';

const resource = (plural: string) => RESOURCES.find((r) => r.plural === plural && r.group !== 'autoscaling')!;

export const describeCommand: Command = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources',
  long: `Show details of a specific resource or group of resources.

 Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:

        $ kubectl describe TYPE NAME_PREFIX

 will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.

Use "kubectl api-resources" for a complete list of supported resources.`,
  examples: `  # Describe a node
  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal

  # Describe a pod
  kubectl describe pods/nginx

  # Describe a pod identified by type and name in "pod.json"
  kubectl describe -f pod.json

  # Describe all pods
  kubectl describe pods

  # Describe pods by label name=myLabel
  kubectl describe pods -l name=myLabel`,
  usage: 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  flags: [
    ALL_NAMESPACES_FLAG,
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    { name: 'show-events', type: 'bool', default: true, help: 'If true, display events related to the described object.' },
  ],
  run: runDescribe,
};

async function runDescribe(session: Session, p: ParsedArgs): Promise<number> {
  if (p.args.length === 0 && (p.flags.filename as string[]).length === 0) {
    throw new CommandError(`You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n`, true);
  }
  const allNs = Boolean(p.flags['all-namespaces']);
  const { targets } = await collectTargets(session, p.args, p.flags, allNs);
  const errors: unknown[] = [];
  const objects: KubeObject[] = [];
  for (const t of targets) {
    try {
      objects.push(...(await findObjects(session, t, p.flags.selector as string)));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors.push(err);
    }
  }
  if (objects.length === 0 && errors.length === 0) {
    const namespaced = !allNs && targets.every((t) => t.info.namespaced);
    session.err(namespaced ? `No resources found in ${session.namespace} namespace.\n` : 'No resources found\n');
    return 0;
  }
  const showEvents = Boolean(p.flags['show-events']);
  const texts: string[] = [];
  for (const obj of objects) texts.push(describeObject(obj, await extrasFor(session, obj, showEvents)));
  session.out(texts.join('\n\n'));
  return reportErrors(session, errors);
}

/** The exact object, or (when no exact match) every object whose name starts with the given name. */
async function findObjects(session: Session, t: Target, selector: string): Promise<KubeObject[]> {
  if (!t.name) return (await listObjects(session, t.info, { namespace: t.namespace, labelSelector: selector })).items;
  try {
    return [await getObject(session, t.info, t.namespace, t.name)];
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const prefixed = (await listObjects(session, t.info, { namespace: t.namespace })).items.filter((o) => o.metadata?.name?.startsWith(t.name!));
    if (prefixed.length === 0) throw err;
    return prefixed;
  }
}

async function extrasFor(session: Session, obj: KubeObject, showEvents: boolean): Promise<DescribeExtras> {
  const extras: DescribeExtras = {};
  const key = `${obj.apiVersion}/${obj.kind}`;
  const ns = obj.metadata?.namespace;
  const spec = obj.spec as { selector?: unknown } | undefined;
  if (showEvents) extras.events = await eventsFor(session, obj);
  if (key === 'apps/v1/Deployment') {
    extras.replicaSets = await quietList(session, 'replicasets', ns, selectorString(spec?.selector as never));
  } else if (key === 'apps/v1/ReplicaSet') {
    extras.pods = await quietList(session, 'pods', ns, selectorString(spec?.selector as never));
  } else if (key === 'v1/Service') {
    extras.endpoints = await getObject(session, resource('endpoints'), ns, obj.metadata!.name!).catch(() => undefined);
  } else if (key === 'v1/Node') {
    const name = obj.metadata!.name!;
    extras.pods = await quietList(session, 'pods', undefined, undefined, `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`);
    extras.lease = await getObject(session, resource('leases'), 'kube-node-lease', name).catch((err: Error) => ({ error: err.message }));
  }
  return extras;
}

async function quietList(session: Session, plural: string, namespace?: string, labelSelector?: string, fieldSelector?: string): Promise<KubeObject[]> {
  try {
    return (await listObjects(session, resource(plural), { namespace, labelSelector, fieldSelector })).items;
  } catch (err) {
    if (err instanceof ApiError) return [];
    throw err;
  }
}

/**
 * Events about an object, found the way kubectl's searchEvents does: by involvedObject name,
 * namespace, kind (not for pods) and uid. Node events are also looked up with the node name as uid.
 */
async function eventsFor(session: Session, obj: KubeObject): Promise<EventLike[]> {
  const m = obj.metadata ?? {};
  const ns = m.namespace ?? '';
  const parts = [`involvedObject.name=${m.name}`, `involvedObject.namespace=${ns}`];
  if (obj.kind !== 'Pod') parts.push(`involvedObject.kind=${obj.kind}`);
  const selectors = [[...parts, `involvedObject.uid=${m.uid ?? ''}`].join(',')];
  if (obj.kind === 'Node') selectors.push([...parts, `involvedObject.uid=${m.name}`].join(','));
  const events: EventLike[] = [];
  for (const fieldSelector of selectors) events.push(...((await quietList(session, 'events', ns || undefined, undefined, fieldSelector)) as EventLike[]));
  return events;
}
