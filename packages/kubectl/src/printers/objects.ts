/**
 * The object printers: `-o yaml`, `-o json` and `-o name`, plus the List wrapper kubectl prints
 * when a command shows zero or several objects. Keys are sorted, as kubectl's output of
 * unstructured objects is; managedFields are dropped unless asked for.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '@kubesim/api';

/** kubectl's `kind: List` wrapper around items (resourceVersion empty, as kubectl prints it). */
export function listOf(items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: [...items], kind: 'List', metadata: { resourceVersion: '' } };
}

/** Recursively sorts object keys (Go's map ordering in encoding/json and sigs.k8s.io/yaml). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Removes `metadata.managedFields` from an object or the items of a list (kubectl's default). */
export function stripManagedFields<T>(value: T): T {
  const v = value as { metadata?: { managedFields?: unknown }; items?: unknown[] };
  if (v && typeof v === 'object') {
    if (v.metadata && 'managedFields' in v.metadata) {
      const { managedFields: _drop, ...metadata } = v.metadata;
      (v as Record<string, unknown>).metadata = metadata;
    }
    if (Array.isArray(v.items)) v.items = v.items.map(stripManagedFields);
  }
  return value;
}

/** JSON as kubectl prints it: sorted keys, 4-space indent, trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4) + '\n';
}

/**
 * YAML as kubectl prints it: sorted keys, sequences not indented under their key, no folding, and
 * YAML 1.1 quoting (go-yaml v2's), so strings like timestamps, `yes` or `on` stay quoted.
 */
export function toYaml(value: unknown): string {
  return stringify(sortKeys(value), { version: '1.1', indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

/**
 * `kind.group/name` (`deployment.apps/web`, `pod/nginx`), the `-o name` form and the prefix of
 * apply/create/delete messages.
 */
export function objectName(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${kindGroup(obj.apiVersion ?? '', obj.kind ?? '')}/${obj.metadata?.name ?? ''}`;
}

/** `deployment.apps`, `pod`: lower-case kind plus group (kubectl's GroupKind rendering). */
export function kindGroup(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const k = kind.toLowerCase();
  return group ? `${k}.${group}` : k;
}
