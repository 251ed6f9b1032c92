/**
 * The `--for` conditions of `kubectl wait`: `delete`, `condition=NAME[=VALUE]` (a status
 * condition, compared case-insensitively, stale when its observedGeneration lags) and
 * `jsonpath={EXPR}[=VALUE]`.
 */
import type { KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { JsonPath, relaxedJsonPath } from '../jsonpath.js';
import { goValue } from '../printers/go-value.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- objects are read as loose JSON */
type Json = any;

export type WaitCondition =
  | { kind: 'delete' }
  | { kind: 'condition'; name: string; status: string }
  | { kind: 'jsonpath'; path: JsonPath; value?: string };

/** Parses `--for`; anything else is kubectl's `unrecognized condition`. */
export function parseWaitFor(value: string): WaitCondition {
  const lower = value.toLowerCase();
  if (lower === 'delete') return { kind: 'delete' };
  if (lower.startsWith('condition=')) {
    const rest = value.slice('condition='.length);
    const eq = rest.indexOf('=');
    if (eq < 0) return { kind: 'condition', name: rest, status: 'true' };
    return { kind: 'condition', name: rest.slice(0, eq), status: rest.slice(eq + 1) };
  }
  if (lower.startsWith('jsonpath=')) return parseJsonPathCondition(value.slice('jsonpath='.length));
  throw new CommandError(`unrecognized condition: "${value}"`);
}

function parseJsonPathCondition(spec: string): WaitCondition {
  // The expression may keep the quotes the shell did not remove: '{.status.phase}'=Running.
  const unquoted = spec.replace(/^'(\{.*\})'/, '$1');
  const close = unquoted.lastIndexOf('}');
  const expr = close >= 0 ? unquoted.slice(0, close + 1) : unquoted;
  const rest = close >= 0 ? unquoted.slice(close + 1) : '';
  if (rest && !rest.startsWith('=')) throw new CommandError(`jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'`);
  if (!expr) throw new CommandError('jsonpath expression cannot be empty');
  const value = rest ? rest.slice(1).replace(/^'(.*)'$/, '$1') : undefined;
  return { kind: 'jsonpath', path: JsonPath.parse(relaxedJsonPath(expr)), value };
}

/** Whether a live object meets a condition or jsonpath wait. */
export function conditionMet(obj: KubeObject, cond: Exclude<WaitCondition, { kind: 'delete' }>): boolean {
  if (cond.kind === 'jsonpath') return jsonPathMet(obj, cond.path, cond.value);
  const o = obj as Json;
  for (const c of o.status?.conditions ?? []) {
    if (typeof c?.type !== 'string' || c.type.toLowerCase() !== cond.name.toLowerCase()) continue;
    if (typeof c.status !== 'string') continue;
    const generation = o.metadata?.generation;
    const observed = c.observedGeneration ?? o.status?.observedGeneration;
    if (generation !== undefined && observed !== undefined && observed < generation) return false;
    return c.status.toLowerCase() === cond.status.toLowerCase();
  }
  return false;
}

function jsonPathMet(obj: KubeObject, path: JsonPath, value: string | undefined): boolean {
  let results: unknown[];
  try {
    results = path.findResults(obj).flat();
  } catch {
    return false;
  }
  if (value === undefined) return results.some((r) => r !== null && r !== undefined && !(Array.isArray(r) && r.length === 0) && r !== '');
  return results.length > 0 && results.every((r) => goValue(r) === value);
}
