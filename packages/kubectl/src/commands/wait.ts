/**
 * `kubectl wait --for=delete|condition=…|jsonpath=…`: for each selected object, lists and watches
 * it (as UntilWithSync does) until the condition holds, printing `<kind>/<name> condition met`;
 * `--timeout` (30 s; 0 checks once; negative waits a week) ends with kubectl's timeout error.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { parseDuration } from '../duration.js';
import { CommandError, formatError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import type { Session } from '../session.js';
import { untilWithSync, WaitTimeoutError } from '../watch-until.js';
import { ALL_NAMESPACES_FLAG, FIELD_SELECTOR_FLAG, FILENAME_FLAG, type Command } from './command.js';
import { selectObjects, type ObjectInfo } from './objects.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';
import { conditionMet, parseWaitFor, type WaitCondition } from './wait-conditions.js';

const WEEK_MS = 7 * 24 * 3_600_000;

export const waitCommand: Command = {
  name: 'wait',
  short: 'Experimental: Wait for a specific condition on one or many resources',
  long: `Experimental: Wait for a specific condition on one or many resources.

 The command takes multiple resources and waits until the specified condition is seen in the Status field of every given resource.

 Alternatively, the command can wait for the given set of resources to be deleted by providing the "delete" keyword as the value to the --for flag.

 A successful message will be printed to stdout indicating when the specified condition has been met. You can use -o option to change to output destination.`,
  examples: `  # Wait for the pod "busybox1" to contain the status condition of type "Ready"
  kubectl wait --for=condition=Ready pod/busybox1

  # The default value of status condition is true; you can wait for other targets after an equal delimiter (compared after Unicode simple case folding, which is a more general form of case-insensitivity)
  kubectl wait --for=condition=Ready=false pod/busybox1

  # Wait for the pod "busybox1" to contain the status phase to be "Running"
  kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1

  # Wait for pod "busybox1" to be Ready
  kubectl wait --for='jsonpath={.status.conditions[?(@.type=="Ready")].status}=True' pod/busybox1

  # Wait for the service "loadbalancer" to have ingress
  kubectl wait --for=jsonpath='{.status.loadBalancer.ingress}' service/loadbalancer

  # Wait for the pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command
  kubectl delete pod/busybox1
  kubectl wait --for=delete pod/busybox1 --timeout=60s`,
  usage:
    "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
  flags: [
    { name: 'all', type: 'bool', help: 'Select all resources in the namespace of the specified resource types' },
    ALL_NAMESPACES_FLAG,
    FIELD_SELECTOR_FLAG,
    { ...FILENAME_FLAG, help: 'identifying the resource.' },
    { name: 'for', type: 'string', help: "The condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity." },
    PRINT_OUTPUT_FLAG,
    { name: 'recursive', short: 'R', type: 'bool', default: true, help: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
    { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)" },
    { name: 'timeout', type: 'string', default: '30s', help: 'The length of time to wait before giving up.  Zero means check once and don\'t wait, negative means wait for a week.' },
  ],
  run: runWait,
};

async function runWait(session: Session, p: ParsedArgs): Promise<number> {
  const cond = parseWaitFor(p.flags.for as string);
  const timeout = p.flags.timeout as string;
  const timeoutMs = timeout.startsWith('-') ? WEEK_MS : parseDuration(timeout, '--timeout');
  const selected = await selectObjects(session, {
    args: p.args,
    filenames: p.flags.filename as string[],
    recursive: Boolean(p.flags.recursive),
    selector: p.flags.selector as string,
    fieldSelector: p.flags['field-selector'] as string,
    all: Boolean(p.flags.all),
    allNamespaces: Boolean(p.flags['all-namespaces']),
  });
  const errors = cond.kind === 'delete' ? selected.errors.filter((e) => !(e instanceof ApiError && e.code === 'NotFound')) : [...selected.errors];
  if (selected.objects.length === 0 && errors.length === 0 && cond.kind !== 'delete') throw new CommandError('no matching resources found');
  for (const target of selected.objects) {
    try {
      await waitFor(session, target, cond, timeoutMs);
      session.out(formatResult(target.object, 'condition met', { output: p.flags.output as string }));
    } catch (err) {
      if (err instanceof WaitTimeoutError) errors.push(new CommandError(`timed out waiting for the condition on ${target.info.plural}/${target.name}`));
      else if (err instanceof ApiError || err instanceof CommandError) errors.push(err);
      else throw err;
    }
  }
  for (const err of errors) session.err(formatError(err, 'wait') + '\n');
  return errors.length > 0 ? 1 : 0;
}

/** Waits for one object; throws WaitTimeoutError when the time is up. */
async function waitFor(session: Session, target: ObjectInfo, cond: WaitCondition, timeoutMs: number): Promise<void> {
  const uid = target.object.metadata?.uid;
  const gone = (obj: KubeObject) => Boolean(uid) && obj.metadata?.uid !== uid;
  if (cond.kind !== 'delete' && timeoutMs === 0) {
    if (!conditionMet(target.object, cond)) throw new WaitTimeoutError();
    return;
  }
  await untilWithSync(session, {
    info: target.info,
    namespace: target.namespace,
    name: target.name,
    deadline: Date.now() + timeoutMs,
    onList: (items) => cond.kind === 'delete' && (items.length === 0 || items.every(gone)),
    onEvent(type, obj) {
      if (cond.kind === 'delete') return type === 'DELETED' || gone(obj);
      if (type === 'DELETED') throw new CommandError(`${target.info.plural}/${target.name} was deleted`);
      return conditionMet(obj, cond);
    },
  });
}
