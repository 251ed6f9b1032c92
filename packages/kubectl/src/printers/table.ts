/**
 * Prints server-side Tables (meta.k8s.io/v1 Table) the way kubectl's table printer does: upper-case
 * headers, priority ≥ 1 columns only with `-o wide`, and the columns kubectl adds itself from each
 * row's object metadata (NAMESPACE for `-A`, `-L` label columns, LABELS). The output is
 * tab-separated; a {@link TabWriter} with padding 3 aligns it.
 */
import type { ObjectMeta } from '@kubesim/api';

export interface TableColumn {
  name: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { kind?: string; apiVersion?: string; metadata?: ObjectMeta };
}

/** A meta.k8s.io/v1 Table as the apiserver returns it. */
export interface Table {
  kind: 'Table';
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[] | null;
  rows: TableRow[] | null;
}

export interface TablePrintOptions {
  /** `-o wide`: include priority ≥ 1 columns. */
  wide?: boolean;
  /** `-A`: a leading NAMESPACE column. */
  withNamespace?: boolean;
  /** `--show-labels`: a trailing LABELS column. */
  showLabels?: boolean;
  /** `-L key`: one column per label key. */
  labelColumns?: string[];
  /** `kind.group` prefix for the first cell (`deployment.apps/web`) when several types are listed. */
  kindPrefix?: string;
  /** `--output-watch-events`: a leading EVENT column holding this event type. */
  eventType?: string;
}

/** The header line (tab-separated, newline-terminated). */
export function tableHeader(columns: readonly TableColumn[], opts: TablePrintOptions): string {
  const headers: string[] = [];
  if (opts.eventType !== undefined) headers.push('EVENT');
  if (opts.withNamespace) headers.push('NAMESPACE');
  for (const c of visibleColumns(columns, opts)) headers.push(c.column.name.toUpperCase());
  for (const key of opts.labelColumns ?? []) headers.push(labelHeader(key));
  if (opts.showLabels) headers.push('LABELS');
  return headers.join('\t') + '\n';
}

/** One line per row (tab-separated, newline-terminated). */
export function tableRows(columns: readonly TableColumn[], rows: readonly TableRow[], opts: TablePrintOptions): string {
  const visible = visibleColumns(columns, opts);
  let out = '';
  for (const row of rows) {
    const cells: string[] = [];
    // kubectl pads the event type to the width of MODIFIED.
    if (opts.eventType !== undefined) cells.push(opts.eventType.padEnd(8));
    if (opts.withNamespace) cells.push(row.object?.metadata?.namespace ?? '');
    visible.forEach(({ index }, i) => {
      const text = formatCell(row.cells[index]);
      cells.push(i === 0 && opts.kindPrefix ? `${opts.kindPrefix}/${text}` : text);
    });
    const labels = row.object?.metadata?.labels ?? {};
    for (const key of opts.labelColumns ?? []) cells.push(labels[key] ?? '');
    if (opts.showLabels) cells.push(formatLabels(labels));
    out += cells.join('\t') + '\n';
  }
  return out;
}

/** Header plus rows. */
export function printTable(table: Table, opts: TablePrintOptions & { noHeaders?: boolean }): string {
  const columns = table.columnDefinitions ?? [];
  const head = opts.noHeaders ? '' : tableHeader(columns, opts);
  return head + tableRows(columns, table.rows ?? [], opts);
}

function visibleColumns(columns: readonly TableColumn[], opts: TablePrintOptions): { column: TableColumn; index: number }[] {
  return columns.map((column, index) => ({ column, index })).filter(({ column }) => opts.wide || !column.priority);
}

/** A cell as kubectl prints it: strings cut at the first line break (with "..."), nil as empty. */
export function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const br = cell.search(/[\f\n\r]/);
    return br >= 0 ? `${cell.slice(0, br)}...` : cell;
  }
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

/** `k=v,k2=v2` sorted by key, or `<none>` (apimachinery labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** The `-L` header: the key's last path segment, upper-cased. */
function labelHeader(key: string): string {
  const parts = key.split('/');
  return parts[parts.length - 1].toUpperCase();
}
