/**
 * metadata.managedFields bookkeeping for plain writes (create, update, every patch but apply):
 * the writer takes ownership of every field it set or changed, and fields that disappeared are
 * dropped from every manager.
 *
 * Approximations: ownership is computed by comparing the old and new objects field by field, so a
 * write that repeats a value another manager set leaves that field with its owner (upstream the
 * writer would co-own it); entries carry no `subresource` unless the caller passes one.
 */
import type { KubeObject, ManagedFieldsEntry } from '@kubesim/api';
import { deepEqual } from './json.js';
import { fieldsOfObject, fromFieldsV1, getAtPath, innerPaths, toFieldsV1, type FieldSet } from './fieldset.js';
import { schemaForKind } from './schema.js';

/** A managedFields entry with its field set decoded. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

export interface ManagedFieldsOptions {
  /** The write's time, recorded on the entry; defaults to the current time. */
  now?: Date;
  /** `status`, `scale`...: writes through a subresource are tracked as their own entries. */
  subresource?: string;
}

/**
 * Returns `next` with metadata.managedFields updated for a write by `manager` (the fieldManager
 * query parameter). `old` is the stored object before the write, undefined on create. When the
 * written object carries managedFields of its own (a client resetting them) they are the
 * starting point; otherwise the stored object's are.
 */
export function updateManagedFields(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  operation: 'Update' | 'Apply' = 'Update',
  opts: ManagedFieldsOptions = {},
): KubeObject {
  const schema = schemaForKind(next.kind ?? old?.kind);
  const own = next.metadata?.managedFields;
  const entries = decodeManagedFields(Array.isArray(own) && own.length > 0 ? own : old?.metadata?.managedFields);
  const before = old ? fieldsOfObject(old, schema) : new Map() as FieldSet;
  const after = fieldsOfObject(next, schema);
  const inner = innerPaths(after);
  const changed: FieldSet = new Map();
  for (const [key, path] of after) {
    // A list element counts as changed only when it is new; its fields carry their own changes.
    const differs = !inner.has(key) && !deepEqual(getAtPath(old, path).value, getAtPath(next, path).value);
    if (!before.has(key) || differs) changed.set(key, path);
  }
  for (const entry of entries) {
    for (const key of entry.fields.keys()) if (!after.has(key)) entry.fields.delete(key);
  }
  const writer = { manager, operation, apiVersion: next.apiVersion ?? old?.apiVersion, subresource: opts.subresource };
  for (const entry of entries) {
    if (sameManager(entry, writer)) continue;
    for (const key of changed.keys()) entry.fields.delete(key);
  }
  let mine = entries.find((e) => sameManager(e, writer));
  if (!mine && changed.size > 0) entries.push((mine = { ...writer, fields: new Map() }));
  if (mine && changed.size > 0) {
    for (const [key, path] of changed) mine.fields.set(key, path);
    mine.time = timestamp(opts.now);
  }
  return withManagedFields(next, entries);
}

/** True when two entries are the same manager identity (manager, operation, subresource, and apiVersion for updates). */
export function sameManager(a: Omit<ManagerEntry, 'fields'>, b: Omit<ManagerEntry, 'fields'>): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || (a.apiVersion ?? '') === (b.apiVersion ?? ''))
  );
}

/** Decodes stored managedFields; entries that are not FieldsV1 are dropped. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): ManagerEntry[] {
  const out: ManagerEntry[] = [];
  for (const e of entries ?? []) {
    if (!e || (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1')) continue;
    out.push({
      manager: e.manager ?? '',
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      ...(e.apiVersion !== undefined ? { apiVersion: e.apiVersion } : {}),
      ...(e.time !== undefined ? { time: e.time } : {}),
      ...(e.subresource ? { subresource: e.subresource } : {}),
      fields: fromFieldsV1(e.fieldsV1),
    });
  }
  return out;
}

/** Encodes entries back to managedFields, dropping those that own nothing. */
export function encodeManagedFields(entries: ManagerEntry[]): ManagedFieldsEntry[] {
  return entries
    .filter((e) => e.fields.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      ...(e.apiVersion !== undefined ? { apiVersion: e.apiVersion } : {}),
      ...(e.time !== undefined ? { time: e.time } : {}),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(e.fields),
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
}

/** A copy of `obj` whose metadata.managedFields holds `entries` (or none, when all are empty). */
export function withManagedFields(obj: KubeObject, entries: ManagerEntry[]): KubeObject {
  const managedFields = encodeManagedFields(entries);
  const { managedFields: _, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata: managedFields.length > 0 ? { ...metadata, managedFields } : metadata };
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function timestamp(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
