/**
 * The meta.k8s.io/v1 Table shapes and the helpers the per-kind printers share, ported from
 * kubernetes/pkg/printers/internalversion/printers.go.
 */
import type { KubeObject, ObjectMeta } from '@kubesim/api';
import { timestampSince } from '@kubesim/api';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object: PartialObjectMetadata;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  /** null on the watch events after the first, as the apiserver sends them. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** How one kind prints: its columns (priority 1 = `-o wide`) and one row of cells per object. */
export interface Printer {
  columns: TableColumnDefinition[];
  /** Every column's cell, wide ones included, in column order. */
  cells(obj: KubeObject, now: Date): unknown[];
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}

/** ObjectMeta's swagger doc for `name`, the description of every Name column. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** ObjectMeta's swagger doc for `creationTimestamp`, the description of every Age column. */
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A column definition; `wide` columns have priority 1 and show only with `-o wide`. */
export function column(name: string, type: string, description: string, opts: { format?: string; wide?: boolean } = {}): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.wide ? 1 : 0 };
}

export const NAME_COLUMN = column('Name', 'string', NAME_DESCRIPTION, { format: 'name' });
export const AGE_COLUMN = column('Age', 'string', AGE_DESCRIPTION);
export const CONTAINERS_COLUMN = column('Containers', 'string', 'Names of each container in the template.', { wide: true });
export const IMAGES_COLUMN = column('Images', 'string', 'Images referenced by each container in the template.', { wide: true });

/** The Age cell of an object. */
export function age(obj: KubeObject, now: Date): string {
  return timestampSince(obj.metadata?.creationTimestamp, now);
}

/** Loosely typed view of an object's spec or status: the printers read them defensively. */
export function spec<T>(obj: KubeObject): Partial<T> {
  return ((obj as { spec?: unknown }).spec ?? {}) as Partial<T>;
}

export function status<T>(obj: KubeObject): Partial<T> {
  return ((obj as { status?: unknown }).status ?? {}) as Partial<T>;
}

/** A field of a kind that keeps its data at the top level (ConfigMap, Secret, Event...). */
export function top<T>(obj: KubeObject): Partial<T> {
  return obj as unknown as Partial<T>;
}

export interface ContainerLike {
  name?: string;
  image?: string;
}

/** `layoutContainerCells`: names and images joined by commas. */
export function containerCells(containers: ContainerLike[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * `metav1.FormatLabelSelector` / `LabelSelectorAsSelector(...).String()`: requirements sorted by
 * key, set values sorted; an empty selector prints as "".
 */
export function formatSelector(selector: LabelSelectorLike | undefined): string {
  if (!selector) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'Exists'
            ? e.key
            : e.operator === 'DoesNotExist'
              ? `!${e.key}`
              : '<invalid>';
    reqs.push({ key: e.key, text });
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** The value of a named condition's status, if the condition is present. */
export function conditionStatus(conditions: { type?: string; status?: string }[] | undefined, type: string): string | undefined {
  return conditions?.find((c) => c.type === type)?.status;
}

/** A Kubernetes quantity or int-or-string as its string form. */
export function quantityString(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}
