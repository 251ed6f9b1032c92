/**
 * `kubectl taint nodes NODE key=value:Effect[-]`: recomputes the node's taint list (taints.ts)
 * and sends the strategic merge patch kubectl computes, with fieldManager=kubectl-taint and
 * fieldValidation=Strict.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { CommandError, formatError, UsageError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { createStrategicMergePatch } from '../patch/two-way.js';
import { resolveType } from '../resources.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, type Command } from './command.js';
import { patchObject, selectObjects, type ObjectInfo } from './objects.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';
import { conflictingTaints, existingTaints, parseTaints, reorganizeTaints, type Taint } from './taints.js';

export const taintCommand: Command = {
  name: 'taint',
  short: 'Update the taints on one or more nodes',
  long: `Update the taints on one or more nodes.

  *  A taint consists of a key, value, and effect. As an argument here, it is expressed as key=value:effect.
  *  The key must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 253 characters.
  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
  *  The value is optional. If given, it must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters.
  *  The effect must be NoSchedule, PreferNoSchedule or NoExecute.
  *  Currently taint can only apply to node.`,
  examples: `  # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'
  # If a taint with that key and effect already exists, its value is replaced as specified
  kubectl taint nodes foo dedicated=special-user:NoSchedule

  # Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists
  kubectl taint nodes foo dedicated:NoSchedule-

  # Remove from node 'foo' all the taints with key 'dedicated'
  kubectl taint nodes foo dedicated-

  # Add a taint with key 'dedicated' on nodes having label myLabel=X
  kubectl taint node -l myLabel=X  dedicated=foo:PreferNoSchedule

  # Add to node 'foo' a taint with key 'bar' and no value
  kubectl taint nodes foo bar:NoSchedule`,
  usage: 'taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
  flags: [
    { name: 'all', type: 'bool', help: 'Select all nodes in the cluster' },
    DRY_RUN_FLAG,
    { name: 'field-manager', type: 'string', default: 'kubectl-taint', help: 'Name of the manager used to track field ownership.' },
    PRINT_OUTPUT_FLAG,
    { name: 'overwrite', type: 'bool', help: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
    { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)" },
    { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict', help: 'Must be one of: strict (or true), warn, ignore (or false). Accepted; validation is left to the server.' },
  ],
  run: runTaint,
};

/** Splits arguments into resources and taint changes; a resource after a change is an error. */
function splitTaintArgs(args: readonly string[]): { resources: string[]; taints: string[] } {
  const resources: string[] = [];
  const taints: string[] = [];
  for (const s of args) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) taints.push(s);
    else if (taints.length > 0) throw new CommandError(`all resources must be specified before taint changes: ${s}`);
    else resources.push(s);
  }
  return { resources, taints };
}

async function runTaint(session: Session, p: ParsedArgs): Promise<number> {
  const { resources, taints } = splitTaintArgs(p.args);
  if (resources.length < 1) throw new CommandError('one or more resources must be specified as <resource> <name>');
  if (taints.length < 1) throw new CommandError('at least one taint update is required');
  let changes: { add: Taint[]; remove: Taint[] };
  try {
    changes = parseTaints(taints);
  } catch (err) {
    throw new UsageError((err as Error).message, 'examples');
  }
  await validate(session, p, resources, changes);
  const selector = p.flags.selector as string;
  const all = Boolean(p.flags.all);
  const args = !all && !selector ? ['nodes', ...resources.slice(1)] : ['nodes'];
  const selected = await selectObjects(session, { args, selector, all });
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  const errors: string[] = selected.errors.map((e) => formatError(e, 'taint'));
  for (const node of selected.objects) {
    try {
      await taintNode(session, p, node, changes, dryRun);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CommandError)) throw err;
      errors.push(formatError(err, 'taint'));
    }
  }
  for (const e of errors) session.err(`${e}\n`);
  return errors.length > 0 ? 1 : 0;
}

async function validate(session: Session, p: ParsedArgs, resources: string[], changes: { add: Taint[]; remove: Taint[] }): Promise<void> {
  const type = resources[0].toLowerCase();
  const info = await resolveType(session, type);
  if (info.kind !== 'Node') throw new CommandError(`invalid resource type ${type}, only node types are supported`);
  const conflicts = conflictingTaints(changes.add, changes.remove);
  if (conflicts.length > 0) throw new CommandError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  if (p.flags.all && p.flags.selector) throw new CommandError("setting 'all' parameter with a non empty selector is prohibited");
  if (!p.flags.all && !p.flags.selector && resources.length < 2) throw new CommandError("at least one resource name must be specified since 'all' parameter is not set");
}

async function taintNode(session: Session, p: ParsedArgs, node: ObjectInfo, changes: { add: Taint[]; remove: Taint[] }, dryRun: 'none' | 'client' | 'server'): Promise<void> {
  const old: Taint[] = (node.object as { spec?: { taints?: Taint[] } }).spec?.taints ?? [];
  const overwrite = Boolean(p.flags.overwrite);
  if (!overwrite) {
    const exists = existingTaints(old, changes.add);
    if (exists) throw new CommandError(`node ${node.name} already has ${exists} taint(s) with same effect(s) and --overwrite is false`);
  }
  const next = reorganizeTaints(old, overwrite, changes.add, changes.remove);
  if (next.errors.length > 0) throw new CommandError(next.errors.length === 1 ? next.errors[0] : `[${next.errors.join(', ')}]`);
  const modified = structuredClone(node.object) as KubeObject & { spec?: { taints?: Taint[] } };
  modified.spec ??= {};
  if (next.taints.length > 0) modified.spec.taints = next.taints;
  else delete modified.spec.taints;
  let result: KubeObject = modified;
  if (dryRun !== 'client') {
    const query: Record<string, string> = { fieldManager: p.flags['field-manager'] as string, fieldValidation: 'Strict' };
    if (dryRun === 'server') query.dryRun = 'All';
    result = await patchObject(session, node, { type: 'strategic', body: createStrategicMergePatch(node.object, modified), query });
  }
  session.out(formatResult(result, next.operation, { output: p.flags.output as string, dryRun }));
}
