/**
 * `kubectl get`: human tables from the server's Table responses, or whole objects as
 * yaml/json/name/jsonpath/custom-columns, and `-w` watches (see get-watch.ts).
 */
import { ApiError, groupVersion, type KubeObject } from '@kubesim/api';
import { CommandError, formatError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { getObject, getTable, listObjects, listTable } from '../fetch.js';
import { kindGroup } from '../printers/objects.js';
import { parseOutput, printObjects, type OutputFormat } from '../printers/output.js';
import { sortObjects, sortTableRows } from '../printers/sort.js';
import { printTable, type Table } from '../printers/table.js';
import { KUBECTL_MIN_WIDTH, TabWriter } from '../printers/tabwriter.js';
import type { Session } from '../session.js';
import {
  ALL_NAMESPACES_FLAG,
  FIELD_SELECTOR_FLAG,
  FILENAME_FLAG,
  OUTPUT_FLAG,
  RECURSIVE_FLAG,
  SELECTOR_FLAG,
  type Command,
} from './command.js';
import { watchGet } from './get-watch.js';
import { collectTargets, isNotFound, type Target, type TargetSet } from './targets.js';

/** The options `get` reads from its flags. */
export interface GetOptions {
  format: OutputFormat;
  allNamespaces: boolean;
  labelSelector: string;
  fieldSelector: string;
  showLabels: boolean;
  labelColumns: string[];
  noHeaders: boolean;
  showKind: boolean;
  sortBy: string;
  ignoreNotFound: boolean;
  showManagedFields: boolean;
  outputWatchEvents: boolean;
}

const MISSING_TYPE = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples`;

export const getCommand: Command = {
  name: 'get',
  short: 'Display one or many resources',
  long: `Display one or many resources.

 Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.

 By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter the attributes of the fetched resources.

Use "kubectl api-resources" for a complete list of supported resources.`,
  examples: `  # List all pods in ps output format
  kubectl get pods

  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide

  # List deployments in JSON output format, in the "v1" version of the "apps" API group
  kubectl get deployments.v1.apps -o json

  # List a single pod in JSON output format
  kubectl get -o json pod web-pod-13je7

  # List a pod identified by type and name specified in "pod.yaml" in JSON output format
  kubectl get -f pod.yaml -o json

  # Return only the phase value of the specified pod
  kubectl get -o jsonpath='{.status.phase}' pod web-pod-13je7

  # List resource information in custom columns
  kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image

  # List all replication controllers and services together in ps output format
  kubectl get rc,services

  # List one or more resources by their type and names
  kubectl get rc/web service/frontend pods/web-pod-13je7`,
  usage:
    'get [(-o|--output=)json|yaml|name|jsonpath|custom-columns|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  flags: [
    ALL_NAMESPACES_FLAG,
    FIELD_SELECTOR_FLAG,
    FILENAME_FLAG,
    { name: 'ignore-not-found', type: 'bool', help: 'If the requested object does not exist the command will return exit code 0.' },
    { name: 'label-columns', short: 'L', type: 'slice', help: 'Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive.' },
    { name: 'no-headers', type: 'bool', help: 'When using the default or custom-column output format, don\'t print headers (default print headers).' },
    OUTPUT_FLAG,
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    { name: 'show-kind', type: 'bool', help: 'If present, list the resource type for the requested object(s).' },
    { name: 'show-labels', type: 'bool', help: 'When printing, show all labels as the last column (default hide labels column)' },
    { name: 'show-managed-fields', type: 'bool', help: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
    { name: 'sort-by', type: 'string', help: "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string." },
    { name: 'watch', short: 'w', type: 'bool', help: 'After listing/getting the requested object, watch for changes.' },
    { name: 'watch-only', type: 'bool', help: 'Watch for changes to the requested object(s), without listing/getting first.' },
    { name: 'output-watch-events', type: 'bool', help: 'Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.' },
  ],
  run: runGet,
};

async function runGet(session: Session, p: ParsedArgs): Promise<number> {
  const opts = getOptions(p);
  if (p.args.length === 0 && (p.flags.filename as string[]).length === 0) throw new CommandError(MISSING_TYPE, true);
  const set = await collectTargets(session, p.args, p.flags, opts.allNamespaces);
  if (p.flags.watch || p.flags['watch-only']) return watchGet(session, set, opts, Boolean(p.flags['watch-only']));
  return opts.format.kind === 'table' ? printTables(session, set, opts) : printGeneric(session, set, opts);
}

function getOptions(p: ParsedArgs): GetOptions {
  return {
    format: parseOutput(p.flags.output as string),
    allNamespaces: Boolean(p.flags['all-namespaces']),
    labelSelector: p.flags.selector as string,
    fieldSelector: p.flags['field-selector'] as string,
    showLabels: Boolean(p.flags['show-labels']),
    labelColumns: p.flags['label-columns'] as string[],
    noHeaders: Boolean(p.flags['no-headers']),
    showKind: Boolean(p.flags['show-kind']),
    sortBy: p.flags['sort-by'] as string,
    ignoreNotFound: Boolean(p.flags['ignore-not-found']),
    showManagedFields: Boolean(p.flags['show-managed-fields']),
    outputWatchEvents: Boolean(p.flags['output-watch-events']),
  };
}

interface TableGroup {
  target: Target;
  table: Table;
}

/** Fetches one Table per resource type (rows of several named objects merged) and prints them. */
async function printTables(session: Session, set: TargetSet, opts: GetOptions): Promise<number> {
  const groups: TableGroup[] = [];
  const errors: unknown[] = [];
  for (const target of set.targets) {
    let table: Table;
    try {
      table = target.name
        ? await getTable(session, target.info, target.namespace, target.name)
        : await listTable(session, target.info, { namespace: target.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (!(opts.ignoreNotFound && isNotFound(err))) errors.push(err);
      continue;
    }
    const same = groups.find((g) => g.target.info === target.info);
    if (same) same.table.rows = [...(same.table.rows ?? []), ...(table.rows ?? [])];
    else groups.push({ target, table });
  }
  const withKind = opts.showKind || set.multipleTypes || new Set(groups.map((g) => g.target.info)).size > 1;
  let wrote = false;
  for (const g of groups) {
    if (!g.table.rows?.length) continue;
    if (opts.sortBy) g.table.rows = await sortTableRows(session, g.target, g.table.rows, opts);
    if (wrote && !opts.noHeaders) session.out('\n');
    const tw = new TabWriter(3, { minWidth: KUBECTL_MIN_WIDTH });
    tw.write(
      printTable(g.table, {
        wide: opts.format.kind === 'table' && opts.format.wide,
        withNamespace: opts.allNamespaces && g.target.info.namespaced,
        showLabels: opts.showLabels,
        labelColumns: opts.labelColumns,
        kindPrefix: withKind ? kindGroup(groupVersion(g.target.info), g.target.info.kind) : undefined,
        noHeaders: opts.noHeaders,
      }),
    );
    session.out(tw.flush());
    wrote = true;
  }
  if (!wrote && errors.length === 0 && !opts.ignoreNotFound) session.err(noResourcesMessage(session, set, opts) + '\n');
  return reportErrors(session, errors);
}

/** kubectl's message for an empty result. */
function noResourcesMessage(session: Session, set: TargetSet, opts: Pick<GetOptions, 'allNamespaces'>): string {
  const allNamespaced = !opts.allNamespaces && set.targets.every((t) => t.info.namespaced);
  return allNamespaced ? `No resources found in ${session.namespace} namespace.` : 'No resources found';
}

async function printGeneric(session: Session, set: TargetSet, opts: GetOptions): Promise<number> {
  const objects: KubeObject[] = [];
  const errors: unknown[] = [];
  for (const target of set.targets) {
    try {
      if (target.name) objects.push(await getObject(session, target.info, target.namespace, target.name));
      else objects.push(...(await listObjects(session, target.info, { namespace: target.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })).items);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (set.singleItem && !(opts.ignoreNotFound && isNotFound(err))) throw err;
      if (!(opts.ignoreNotFound && isNotFound(err))) errors.push(err);
    }
  }
  if (set.singleItem && objects.length === 0) return 0;
  const sorted = opts.sortBy ? sortObjects(objects, opts.sortBy) : objects;
  const format = opts.format as Exclude<OutputFormat, { kind: 'table' }>;
  session.out(printObjects(sorted, format, { single: set.singleItem, showManagedFields: opts.showManagedFields, noHeaders: opts.noHeaders }));
  return reportErrors(session, errors);
}

/** Prints collected per-object errors after the output; exit code 1 if there were any. */
export function reportErrors(session: Session, errors: readonly unknown[]): number {
  for (const err of errors) session.err(formatError(err, 'get') + '\n');
  return errors.length > 0 ? 1 : 0;
}
