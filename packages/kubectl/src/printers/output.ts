/**
 * The `-o/--output` formats: which printer a value selects, and the printers that work on whole
 * objects (yaml, json, name, jsonpath, custom-columns). Human tables are in table.ts.
 */
import type { KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { JsonPath, relaxedJsonPath } from '../jsonpath.js';
import { listOf, objectName, stripManagedFields, toJson, toYaml } from './objects.js';
import { goValue } from './go-value.js';
import { KUBECTL_MIN_WIDTH, tabwrite } from './tabwriter.js';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'yaml' }
  | { kind: 'json' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: JsonPath }
  | { kind: 'custom-columns'; columns: { header: string; path: JsonPath }[] };

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** Parses an `-o` value. Unknown formats fail with kubectl's message. */
export function parseOutput(value: string): OutputFormat {
  if (value === '') return { kind: 'table', wide: false };
  if (value === 'wide') return { kind: 'table', wide: true };
  if (value === 'yaml' || value === 'json' || value === 'name') return { kind: value };
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  const arg = eq < 0 ? '' : value.slice(eq + 1);
  if (name === 'jsonpath') {
    if (!arg) throw new CommandError('template format specified but no template given');
    return { kind: 'jsonpath', template: JsonPath.parse(arg) };
  }
  if (name === 'custom-columns') return { kind: 'custom-columns', columns: parseCustomColumns(arg) };
  throw new CommandError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${ALLOWED}`);
}

function parseCustomColumns(spec: string): { header: string; path: JsonPath }[] {
  if (!spec) throw new CommandError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new CommandError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: JsonPath.parse(relaxedJsonPath(part.slice(colon + 1))) };
  });
}

export interface GenericPrintOptions {
  /** A single named object was asked for: print it alone, not wrapped in a List. */
  single: boolean;
  showManagedFields?: boolean;
  noHeaders?: boolean;
}

/**
 * Prints objects with a non-table format. Several (or zero) objects become kubectl's `List`
 * wrapper for yaml/json/jsonpath; `name` and `custom-columns` print one line per object.
 */
export function printObjects(objects: readonly KubeObject[], format: Exclude<OutputFormat, { kind: 'table' }>, opts: GenericPrintOptions): string {
  const objs = opts.showManagedFields ? [...objects] : objects.map((o) => stripManagedFields(structuredClone(o)));
  switch (format.kind) {
    case 'name':
      return objs.map((o) => objectName(o) + '\n').join('');
    case 'custom-columns':
      return printCustomColumns(objs, format.columns, opts.noHeaders ?? false);
    default: {
      const value = opts.single && objs.length === 1 ? objs[0] : listOf(objs);
      if (format.kind === 'yaml') return toYaml(value);
      if (format.kind === 'json') return toJson(value);
      return format.template.execute(value);
    }
  }
}

function printCustomColumns(objs: readonly KubeObject[], columns: { header: string; path: JsonPath }[], noHeaders: boolean): string {
  let text = noHeaders ? '' : columns.map((c) => c.header).join('\t') + '\n';
  for (const o of objs) {
    const cells = columns.map((c) => {
      const values = c.path.findResults(o).flat();
      if (values.length === 0) return '<none>';
      return values.map(goValue).join(',');
    });
    text += cells.join('\t') + '\n';
  }
  return tabwrite(text, 3, KUBECTL_MIN_WIDTH);
}
