/**
 * How the changing commands report each object: kubectl's name printer with an operation
 * (`deployment.apps/web scaled`), or the object itself with `-o yaml|json|name|jsonpath`.
 */
import type { KubeObject } from '@kubesim/api';
import { objectName } from '../printers/objects.js';
import { parseOutput, printObjects } from '../printers/output.js';
import type { Session } from '../session.js';
import { dryRunSuffix } from './command.js';

export interface ResultOptions {
  /** The `-o` value; empty for the operation line. */
  output?: string;
  dryRun?: 'none' | 'client' | 'server';
}

/** Prints one object's outcome: `<kind.group>/<name> <operation>[ (dry run)]`, or the object for `-o`. */
export function printResult(session: Session, obj: KubeObject, operation: string, opts: ResultOptions = {}): void {
  session.out(formatResult(obj, operation, opts));
}

/** The text {@link printResult} prints. */
export function formatResult(obj: KubeObject, operation: string, opts: ResultOptions = {}): string {
  const format = opts.output ? parseOutput(opts.output) : undefined;
  if (format && format.kind === 'name') return `${objectName(obj)}\n`;
  if (format && format.kind !== 'table') return printObjects([obj], format, { single: true });
  const op = operation ? ` ${operation}` : '';
  return `${objectName(obj)}${op}${dryRunSuffix(opts.dryRun ?? 'none')}\n`;
}

/** The `-o` flag of the changing commands (no tables). */
export const PRINT_OUTPUT_FLAG = {
  name: 'output',
  short: 'o',
  type: 'string' as const,
  help: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
};
