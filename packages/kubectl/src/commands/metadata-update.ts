/**
 * `kubectl label` and `kubectl annotate`: edit a copy of each object's labels or annotations
 * (`key=value`, `key-`, `--overwrite`, `--resource-version`) and send the JSON merge patch
 * between the two, as kubectl does; or list them with `--list`.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { CommandError, formatError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { createMergePatch } from '../patch/two-way.js';
import type { Session } from '../session.js';
import { ALL_NAMESPACES_FLAG, DRY_RUN_FLAG, dryRunMode, FIELD_SELECTOR_FLAG, FILENAME_FLAG, RECURSIVE_FLAG, type Command } from './command.js';
import { patchObject, selectObjects, splitResourcesAndPairs, type ObjectInfo } from './objects.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';

/** What differs between `label` and `annotate`. */
export interface MetadataKind {
  verb: 'label' | 'annotate';
  field: 'labels' | 'annotations';
  /** `label`, `annotation`: in kubectl's messages. */
  noun: string;
  /** Parses one `key=value` argument into its parts (kubectl validates label values). */
  parsePair(spec: string): [string, string];
  /** The message when a key already has a value and `--overwrite` is false. */
  overwriteError(clashes: [string, string][]): string;
  /** The operation printed after the object's name. */
  operation(changed: boolean, shrank: boolean, overwrite: boolean): string;
  /** Printed (stdout) for a removed key the object does not have. */
  missingKey?: (key: string) => string;
}

export interface MetadataChanges {
  set: Map<string, string>;
  remove: string[];
}

/** Parses `key=value` / `key-` arguments; the same key may not be both set and removed. */
export function parseMetadataChanges(kind: MetadataKind, specs: readonly string[]): MetadataChanges {
  const out: MetadataChanges = { set: new Map(), remove: [] };
  for (const spec of specs) {
    if (spec.includes('=')) {
      const [k, v] = kind.parsePair(spec);
      out.set.set(k, v);
    } else if (spec.endsWith('-')) out.remove.push(spec.slice(0, -1));
    else throw new CommandError(`unknown ${kind.noun} spec: ${spec}`);
  }
  if (out.remove.some((k) => out.set.has(k))) {
    throw new CommandError(`can not both modify and remove ${kind.noun === 'label' ? 'a label' : 'an annotation'} in the same command`);
  }
  return out;
}

/**
 * The object's labels/annotations after the changes. Without `overwrite`, changing an existing
 * key's value is an error (setting the same value is not). An emptied map stays `{}`, as the
 * unstructured objects kubectl edits keep it.
 */
export function applyMetadataChanges(kind: MetadataKind, current: Record<string, string> | undefined, changes: MetadataChanges, overwrite: boolean): Record<string, string> {
  if (!overwrite) {
    const clashes = [...changes.set].filter(([k, v]) => current && k in current && current[k] !== v).map(([k]): [string, string] => [k, current![k]]);
    if (clashes.length > 0) throw new CommandError(kind.overwriteError(clashes));
  }
  const next: Record<string, string> = { ...current };
  for (const [k, v] of changes.set) next[k] = v;
  for (const k of changes.remove) delete next[k];
  return next;
}

/** Builds the `label` or `annotate` command around its kind. */
export function metadataCommand(kind: MetadataKind, text: Pick<Command, 'short' | 'long' | 'examples' | 'usage'>): Command {
  return {
    name: kind.verb,
    ...text,
    flags: [
      { name: 'all', type: 'bool', help: 'Select all resources, in the namespace of the specified resource types' },
      { ...ALL_NAMESPACES_FLAG, help: 'If true, check the specified action in all namespaces.' },
      DRY_RUN_FLAG,
      { name: 'field-manager', type: 'string', default: `kubectl-${kind.verb}`, help: 'Name of the manager used to track field ownership.' },
      FIELD_SELECTOR_FLAG,
      { ...FILENAME_FLAG, help: `Filename, directory, or URL to files identifying the resource to update the ${kind.noun}${kind.verb === 'label' ? 's' : ''}` },
      { name: 'list', type: 'bool', help: `If true, display the ${kind.field} for a given resource.` },
      PRINT_OUTPUT_FLAG,
      { name: 'overwrite', type: 'bool', help: `If true, allow ${kind.field} to be overwritten, otherwise reject ${kind.noun} updates that overwrite existing ${kind.field}.` },
      RECURSIVE_FLAG,
      { name: 'resource-version', type: 'string', help: `If non-empty, the ${kind.field} update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.` },
      { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    ],
    run: (session, p) => runMetadata(session, p, kind),
  };
}

async function runMetadata(session: Session, p: ParsedArgs, kind: MetadataKind): Promise<number> {
  const { resources, pairs } = splitResourcesAndPairs(p.args, kind.noun);
  const changes = parseMetadataChanges(kind, pairs);
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  validate(p, kind, resources, changes);
  const selected = await selectObjects(session, {
    args: resources,
    filenames: p.flags.filename as string[],
    recursive: Boolean(p.flags.recursive),
    selector: p.flags.selector as string,
    fieldSelector: p.flags['field-selector'] as string,
    all: Boolean(p.flags.all),
    allNamespaces: Boolean(p.flags['all-namespaces']),
    unpaged: true,
  });
  const resourceVersion = p.flags['resource-version'] as string;
  if (resourceVersion && !selected.singleItem) throw new CommandError('--resource-version may only be used with a single resource');
  const errors = [...selected.errors];
  for (const target of selected.objects) {
    try {
      await updateOne(session, p, kind, target, changes, { dryRun, single: selected.singleItem });
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CommandError)) throw err;
      errors.push(err);
    }
  }
  for (const err of errors) session.err(formatError(err, kind.verb) + '\n');
  return errors.length > 0 ? 1 : 0;
}

function validate(p: ParsedArgs, kind: MetadataKind, resources: string[], changes: MetadataChanges): void {
  if (p.flags.all && p.flags.selector) throw new CommandError('cannot set --all and --selector at the same time');
  if (p.flags.all && p.flags['field-selector']) throw new CommandError('cannot set --all and --field-selector at the same time');
  if (resources.length === 0 && (p.flags.filename as string[]).length === 0) {
    throw new CommandError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  if (changes.set.size === 0 && changes.remove.length === 0 && !p.flags.list) throw new CommandError(`at least one ${kind.noun} update is required`);
}

/** Changes, patches and reports one object. */
async function updateOne(session: Session, p: ParsedArgs, kind: MetadataKind, target: ObjectInfo, changes: MetadataChanges, ctx: { dryRun: 'none' | 'client' | 'server'; single: boolean }): Promise<void> {
  const original = structuredClone(target.object) as KubeObject;
  const resourceVersion = p.flags['resource-version'] as string;
  // The patch must carry the wanted resourceVersion, so it is cleared from the starting point.
  if (resourceVersion) delete original.metadata.resourceVersion;
  const modified = structuredClone(original);
  const current = (target.object.metadata as Record<string, unknown>)[kind.field] as Record<string, string> | undefined;
  if (kind.missingKey && !p.flags.list && ctx.dryRun === 'none') for (const k of changes.remove) if (!current || !(k in current)) session.out(kind.missingKey(k));
  (modified.metadata as Record<string, unknown>)[kind.field] = applyMetadataChanges(kind, current, changes, Boolean(p.flags.overwrite));
  if (resourceVersion) modified.metadata.resourceVersion = resourceVersion;
  const operation = kind.operation(JSON.stringify(original) !== JSON.stringify(modified), JSON.stringify(modified).length < JSON.stringify(original).length, Boolean(p.flags.overwrite));
  let result = modified;
  if (!p.flags.list && ctx.dryRun !== 'client') {
    const query: Record<string, string> = { fieldManager: p.flags['field-manager'] as string };
    if (ctx.dryRun === 'server') query.dryRun = 'All';
    result = await patchObject(session, target, { type: 'merge', body: createMergePatch(original, modified), query });
  }
  if (p.flags.list) session.out(listing(kind, target, result, ctx.single));
  else session.out(formatResult(result, operation, { output: p.flags.output as string, dryRun: ctx.dryRun }));
}

/** `--list` output: `key=value` lines, headed per object when several were selected. */
function listing(kind: MetadataKind, target: ObjectInfo, obj: KubeObject, single: boolean): string {
  const values = ((obj.metadata as Record<string, unknown>)[kind.field] ?? {}) as Record<string, string>;
  const indent = single ? '' : ' ';
  const head = single ? '' : `Listing ${kind.field} for ${target.info.kind}.${target.info.group}/${target.name}:\n`;
  return head + Object.keys(values).sort().map((k) => `${indent}${k}=${values[k]}\n`).join('');
}
