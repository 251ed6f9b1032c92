/**
 * What the `set` sub-verbs share: their selection flags, the objects they select, and the query
 * of their patches (fieldManager=kubectl-set).
 */
import type { FlagSpec, ParsedArgs } from '../flags.js';
import type { Session } from '../session.js';
import { FILENAME_FLAG, RECURSIVE_FLAG } from './command.js';
import { selectObjects, type Selected } from './objects.js';

export const ALL_FLAG_SELECT: FlagSpec = { name: 'all', type: 'bool', help: 'Select all resources, in the namespace of the specified resource types' };

export const FIELD_MANAGER_SET: FlagSpec = { name: 'field-manager', type: 'string', default: 'kubectl-set', help: 'Name of the manager used to track field ownership.' };

export const SET_SELECTION_FLAGS: FlagSpec[] = [
  { ...FILENAME_FLAG, help: 'Filename, directory, or URL to files identifying the resource to get from a server.' },
  RECURSIVE_FLAG,
  { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
];

/** The objects named by the resource arguments (the pairs already split off) or `-f`. */
export function selectForSet(session: Session, p: ParsedArgs, resources: readonly string[]): Promise<Selected> {
  return selectObjects(session, {
    args: resources,
    filenames: p.flags.filename as string[],
    recursive: Boolean(p.flags.recursive),
    selector: p.flags.selector as string,
    all: Boolean(p.flags.all),
  });
}

/** Query parameters of the `set` patches. */
export function setQuery(p: ParsedArgs, dryRun: 'none' | 'client' | 'server'): Record<string, string> {
  const query: Record<string, string> = {};
  if (dryRun === 'server') query.dryRun = 'All';
  query.fieldManager = p.flags['field-manager'] as string;
  return query;
}
