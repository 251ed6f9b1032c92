/**
 * `kubectl cordon` / `uncordon`: set or clear a node's `spec.unschedulable` with the strategic
 * merge patch kubectl sends (`{"spec":{"unschedulable":true}}`, `…null}}`); a node already in
 * that state is reported and left alone. Drain cordons through the same code.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { UsageError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { createStrategicMergePatch } from '../patch/two-way.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, type Command } from './command.js';
import { patchObject, selectObjects, type ObjectInfo, type Selected } from './objects.js';
import { formatResult } from './result.js';

export const NODE_SELECTOR_FLAG = {
  name: 'selector',
  short: 'l',
  type: 'string' as const,
  help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
};

/** The nodes named by the arguments (`NODE…`) or matched by `-l`; kubectl's usage checks. */
export async function selectNodes(session: Session, p: ParsedArgs, verb: string): Promise<Selected> {
  const selector = p.flags.selector as string;
  if (p.args.length === 0 && !p.set.has('selector')) throw new UsageError(`USAGE: ${verb} NODE [flags]`, 'examples');
  if (p.args.length > 0 && selector) throw new UsageError('cannot specify both a node name and a --selector option', 'examples');
  const args = p.args.length > 0 ? (p.args.some((a) => a.includes('/')) ? p.args : ['nodes', ...p.args]) : ['nodes'];
  return selectObjects(session, { args, selector, allowEmptySelector: true });
}

/**
 * Cordons (`desired` true) or uncordons each node, printing kubectl's line for each; a failed
 * patch is reported on stderr and the others go on (kubectl still exits 0).
 */
export async function cordonNodes(session: Session, nodes: readonly ObjectInfo[], desired: boolean, dryRun: 'none' | 'client' | 'server'): Promise<void> {
  const verb = desired ? 'cordon' : 'uncordon';
  for (const node of nodes) {
    if (node.info.kind !== 'Node') {
      session.out(formatResult(node.object, 'skipped', { dryRun }));
      continue;
    }
    const current = Boolean((node.object as { spec?: { unschedulable?: boolean } }).spec?.unschedulable);
    if (current === desired) {
      session.out(formatResult(node.object, `already ${verb}ed`, { dryRun }));
      continue;
    }
    if (dryRun !== 'client') {
      try {
        await patchObject(session, node, { type: 'strategic', body: createStrategicMergePatch(node.object, withUnschedulable(node.object, desired)), query: dryRun === 'server' ? { dryRun: 'All' } : {} });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        session.err(`error: unable to ${verb} node "${node.name}": ${err.message}\n`);
        continue;
      }
    }
    session.out(formatResult(node.object, `${verb}ed`, { dryRun }));
  }
}

function withUnschedulable(node: KubeObject, desired: boolean): KubeObject {
  const copy = structuredClone(node) as KubeObject & { spec?: { unschedulable?: boolean } };
  copy.spec ??= {};
  if (desired) copy.spec.unschedulable = true;
  else delete copy.spec.unschedulable;
  return copy;
}

function cordonVerb(desired: boolean): Command {
  const verb = desired ? 'cordon' : 'uncordon';
  return {
    name: verb,
    short: desired ? 'Mark node as unschedulable' : 'Mark node as schedulable',
    long: desired ? 'Mark node as unschedulable.' : 'Mark node as schedulable.',
    examples: `  # Mark node "foo" as ${desired ? 'unschedulable' : 'schedulable'}\n  kubectl ${verb} foo`,
    usage: `${verb} NODE [options]`,
    flags: [DRY_RUN_FLAG, NODE_SELECTOR_FLAG],
    async run(session, p) {
      const dryRun = dryRunMode(p.flags['dry-run'] as string);
      const selected = await selectNodes(session, p, verb);
      if (selected.errors.length > 0) throw selected.errors[0];
      await cordonNodes(session, selected.objects, desired, dryRun);
      return 0;
    },
  };
}

export const cordonCommand = cordonVerb(true);
export const uncordonCommand = cordonVerb(false);
