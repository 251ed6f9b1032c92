/**
 * Server-side apply (`application/apply-patch+yaml`, `kubectl apply --server-side`), practical
 * rather than complete:
 *
 * - the applied configuration merges into the live object the way strategic merge patch merges
 *   (keyed lists by merge key, sets as sets, other lists replaced whole);
 * - the manager's Apply entry in metadata.managedFields records exactly the fields it applied;
 *   fields it applied last time and leaves out now are removed, unless another manager owns them;
 * - changing the value of a field another manager owns is a 409 Conflict listing each field,
 *   unless `force`, which moves those fields to the applier;
 * - `status` is ignored when applying to the main resource, as the apiserver's reset fields do.
 *
 * Approximations: list elements are keyed by their patchMergeKey only; a field applied with the
 * same value another manager set becomes co-owned; emptied parent maps are left in place;
 * conflicts with one's own Update entries are not reported.
 */
import { BadRequestError, ConflictError, type KubeObject, type StatusCause } from '@kubesim/api';
import { cloneJson, deepEqual, isObject, type JsonObject } from './json.js';
import { fieldsOfObject, getAtPath, innerPaths, pathString, removeAtPath, type FieldPath, type FieldSet } from './fieldset.js';
import { decodeManagedFields, sameManager, timestamp, withManagedFields, type ManagerEntry } from './managed-fields.js';
import { schemaForKind } from './schema.js';
import { mergeMap } from './strategic.js';

export interface ApplyOptions {
  /** The fieldManager query parameter; required. */
  manager: string;
  /** The force query parameter: take over conflicting fields instead of failing. */
  force?: boolean;
  /** Time recorded on the manager's entry; defaults to now. */
  now?: Date;
  /** Set when applying through a subresource (`status`): then only that part is applied. */
  subresource?: string;
}

/** The manager that owns the fields of an object written before any managedFields existed. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * Applies `applied` (the decoded apply configuration) to `live` (undefined when the object does
 * not exist yet, in which case the result is the object to create). Returns a new object with
 * managedFields updated; throws ConflictError (409) on conflicts and BadRequestError (400) on a
 * malformed request.
 */
export function applyServerSideApply(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  if (!opts.manager) throw new BadRequestError('PATCH request must include fieldManager query parameter for apply requests');
  if (!isObject(applied)) throw new BadRequestError('the apply configuration must be an object');
  if (Array.isArray(applied.metadata?.managedFields) && applied.metadata.managedFields.length > 0) {
    throw new BadRequestError('metadata.managedFields must be nil');
  }
  const schema = schemaForKind(applied.kind ?? live?.kind);
  const config = applyConfiguration(applied, opts.subresource);
  const appliedFields = fieldsOfObject(config, schema);
  const me: Omit<ManagerEntry, 'fields'> = {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion ?? live?.apiVersion,
    time: timestamp(opts.now),
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  if (!live) return withManagedFields(cloneJson(config) as KubeObject, [{ ...me, fields: appliedFields }]);

  const entries = liveEntries(live, schema, me.time);
  const conflicts = findConflicts(live, config, appliedFields, entries, me);
  if (conflicts.length > 0 && !opts.force) throw conflictError(conflicts);
  for (const { entry, key } of conflicts) entry.fields.delete(key);

  const previous = entries.find((e) => sameManager(e, me));
  const merged = mergeMap(cloneJson(live) as unknown as JsonObject, config as unknown as JsonObject, schema) as unknown as KubeObject;
  removeAbandonedFields(merged, previous?.fields, appliedFields, entries.filter((e) => e !== previous));

  const others = entries.filter((e) => e !== previous);
  const mine: ManagerEntry = { ...me, fields: appliedFields };
  const ordered = previous ? entries.map((e) => (e === previous ? mine : e)) : [...others, mine];
  return withManagedFields(merged, ordered);
}

/** The part of the configuration that is applied: without status (main resource) or only status. */
function applyConfiguration(applied: KubeObject, subresource: string | undefined): KubeObject {
  const config = stripNulls(cloneJson(applied)) as KubeObject;
  if (!config.metadata) config.metadata = {};
  delete config.metadata.managedFields;
  if (subresource === 'status') {
    return { apiVersion: config.apiVersion, kind: config.kind, metadata: config.metadata, status: config.status } as KubeObject;
  }
  if (!subresource) delete config.status;
  return config;
}

/** Nulls in an apply configuration mean "not applied", not "delete". */
function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = stripNulls(v);
  return out;
}

/** The live managers; an object written before managedFields existed is owned by one pseudo-manager. */
function liveEntries(live: KubeObject, schema: ReturnType<typeof schemaForKind>, time: string | undefined): ManagerEntry[] {
  const entries = decodeManagedFields(live.metadata?.managedFields);
  if (entries.length > 0) return entries;
  return [{ manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: live.apiVersion, time, fields: fieldsOfObject(live, schema) }];
}

interface Conflict {
  entry: ManagerEntry;
  key: string;
  path: FieldPath;
}

function findConflicts(
  live: KubeObject,
  config: KubeObject,
  appliedFields: FieldSet,
  entries: ManagerEntry[],
  me: Omit<ManagerEntry, 'fields'>,
): Conflict[] {
  const inner = innerPaths(appliedFields);
  const conflicts: Conflict[] = [];
  for (const [key, path] of appliedFields) {
    // List elements and maps conflict through their leaves only.
    if (inner.has(key)) continue;
    const current = getAtPath(live, path);
    if (current.found && deepEqual(current.value, getAtPath(config, path).value)) continue;
    for (const entry of entries) {
      if (entry.manager === me.manager && (entry.subresource ?? '') === (me.subresource ?? '')) continue;
      if (entry.fields.has(key)) conflicts.push({ entry, key, path });
    }
  }
  return conflicts;
}

function removeAbandonedFields(obj: KubeObject, previous: FieldSet | undefined, applied: FieldSet, others: ManagerEntry[]): void {
  if (!previous) return;
  const abandoned = [...previous].filter(([key]) => !applied.has(key) && !others.some((e) => e.fields.has(key)));
  // Deepest first, so an element's fields go before the element.
  abandoned.sort(([, a], [, b]) => b.length - a.length);
  for (const [, path] of abandoned) removeAtPath(obj, path);
}

/** How the apiserver names a manager in conflict messages. */
function describeManager(entry: ManagerEntry): string {
  let name = JSON.stringify(entry.manager);
  if (entry.subresource) name = `${name} with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === 'Update' ? `${name} using ${entry.apiVersion ?? ''}` : name;
}

/** The 409 the apiserver returns for apply conflicts (fieldmanager's NewConflictError). */
function conflictError(conflicts: Conflict[]): ConflictError {
  const sorted = [...conflicts].sort((a, b) => {
    const byManager = describeManager(a.entry).localeCompare(describeManager(b.entry));
    return byManager !== 0 ? byManager : pathString(a.path).localeCompare(pathString(b.path));
  });
  const causes: StatusCause[] = sorted.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.entry)}`,
    field: pathString(c.path),
  }));
  if (sorted.length === 1) {
    const [c] = sorted;
    return new ConflictError(`Apply failed with 1 conflict: conflict with ${describeManager(c.entry)}: ${pathString(c.path)}`, { causes });
  }
  const lines: string[] = [];
  let current = '';
  for (const c of sorted) {
    const who = describeManager(c.entry);
    if (who !== current) lines.push(`conflicts with ${(current = who)}:`);
    lines.push(`- ${pathString(c.path)}`);
  }
  return new ConflictError(`Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`, { causes });
}
