/**
 * What the `rollout` sub-verbs share: their argument check, their flags, the object selection
 * (names, `-f`, or a type with `-l`), and a Deployment's controlled ReplicaSets.
 */
import { findResourceByKind, type KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { listObjects } from '../fetch.js';
import type { FlagSpec, ParsedArgs } from '../flags.js';
import { controlledBy } from '../rollout/history.js';
import type { Session } from '../session.js';
import { FILENAME_FLAG, RECURSIVE_FLAG } from './command.js';
import { selectObjects, type Selected } from './objects.js';
import { PRINT_OUTPUT_FLAG } from './result.js';

/** kubectl's check that a resource was named. */
export function requireResources(p: ParsedArgs): void {
  if (p.args.length === 0 && (p.flags.filename as string[]).length === 0) throw new CommandError('required resource not specified');
}

/** Flags of history, undo, restart, pause and resume. */
export const ROLLOUT_FLAGS: FlagSpec[] = [
  { ...FILENAME_FLAG, help: 'Filename, directory, or URL to files identifying the resource to get from a server.' },
  PRINT_OUTPUT_FLAG,
  RECURSIVE_FLAG,
  { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
];

export const FIELD_MANAGER_ROLLOUT: FlagSpec = { name: 'field-manager', type: 'string', default: 'kubectl-rollout', help: 'Name of the manager used to track field ownership.' };

/** The objects a rollout sub-verb acts on; a bare type means every object of it. */
export function selectForRollout(session: Session, p: ParsedArgs): Promise<Selected> {
  requireResources(p);
  return selectObjects(session, {
    args: p.args,
    filenames: p.flags.filename as string[],
    recursive: Boolean(p.flags.recursive),
    selector: p.flags.selector as string,
    allowEmptySelector: true,
  });
}

/**
 * The ReplicaSets a Deployment controls: a list by its selector (kubectl sends no limit here),
 * kept when their controller ownerReference carries the Deployment's uid.
 */
export async function replicaSetsOf(session: Session, deployment: KubeObject): Promise<KubeObject[]> {
  const rsInfo = findResourceByKind('apps/v1', 'ReplicaSet')!;
  const selector = (deployment as { spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } } }).spec?.selector;
  const { items } = await listObjects(session, rsInfo, { namespace: deployment.metadata?.namespace, labelSelector: selectorString(selector), unpaged: true });
  return controlledBy(items, deployment);
}

/** A label selector as Go's `labels.Selector.String()` writes it: requirements sorted by key. */
export function selectorString(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  const parts: { key: string; text: string }[] = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => ({ key: k, text: `${k}=${v}` }));
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    parts.push({ key: e.key, text });
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}
