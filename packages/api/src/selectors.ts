/**
 * Label and field selectors in the string syntax kubectl sends (`app=web,tier!=db`,
 * `env in (a,b)`, `!canary`), parsed once into matchers. Parse errors throw BadRequestError,
 * since a selector always comes from a request.
 */
import { BadRequestError } from './errors.js';

export type Requirement =
  | { key: string; op: 'in'; values: string[] }
  | { key: string; op: 'notin'; values: string[] }
  | { key: string; op: 'exists' }
  | { key: string; op: '!exists' };

/** A parsed label selector: all requirements must hold. An empty selector matches everything. */
export interface LabelSelectorMatcher {
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** Equality requirements (`k=v`), which informer indexes can answer directly. */
  readonly equalities: ReadonlyMap<string, string>;
}

const KEY_RE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

/** Parses a label selector string. Throws BadRequestError on bad syntax. */
export function parseLabelSelector(input: string | undefined): LabelSelectorMatcher {
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(input ?? '')) reqs.push(parseRequirement(part));
  return makeMatcher(reqs);
}

/** Builds a matcher from a structured metav1.LabelSelector (matchLabels + matchExpressions). */
export function labelSelectorFromObject(sel: LabelSelectorObject | undefined | null): LabelSelectorMatcher {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key, op: 'in', values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In') reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (op === 'NotIn') reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (op === 'Exists') reqs.push({ key: e.key, op: 'exists' });
    else if (op === 'DoesNotExist') reqs.push({ key: e.key, op: '!exists' });
    else throw new BadRequestError(`"${op}" is not a valid label selector operator`);
  }
  return makeMatcher(reqs);
}

/** Renders a metav1.LabelSelector as the string form (`app=web,tier in (a,b)`). */
export function formatLabelSelector(sel: LabelSelectorObject | undefined | null): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function makeMatcher(requirements: Requirement[]): LabelSelectorMatcher {
  const equalities = new Map<string, string>();
  for (const r of requirements) if (r.op === 'in' && r.values.length === 1) equalities.set(r.key, r.values[0]);
  return {
    requirements,
    equalities,
    matches(labels) {
      return requirements.every((r) => {
        const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
        switch (r.op) {
          case 'in':
            return has && r.values.includes(labels![r.key]);
          case 'notin':
            return !has || !r.values.includes(labels![r.key]);
          case 'exists':
            return has;
          case '!exists':
            return !has;
        }
      });
    },
  };
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(part: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const key = checkKey(setMatch[1], part);
    const values = setMatch[3].split(',').map((v) => v.trim()).filter((v) => v !== '');
    return { key, op: setMatch[2] as 'in' | 'notin', values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (eq) {
    const key = checkKey(eq[1], part);
    return eq[2] === '!=' ? { key, op: 'notin', values: [eq[3]] } : { key, op: 'in', values: [eq[3]] };
  }
  if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim(), part), op: '!exists' };
  return { key: checkKey(part, part), op: 'exists' };
}

function checkKey(key: string, part: string): string {
  if (!KEY_RE.test(key)) throw new BadRequestError(`unable to parse requirement: invalid label key "${key}" in "${part}"`);
  return key;
}

/** A parsed field selector: `metadata.name=x,spec.nodeName!=y`. */
export interface FieldSelectorMatcher {
  readonly terms: readonly { field: string; op: '=' | '!='; value: string }[];
  /** Checks the fields the resource exposes (see {@link fieldsOf}). */
  matches(fields: Readonly<Record<string, string>>): boolean;
}

/** Parses a field selector; `allowed` lists the field names the resource supports. */
export function parseFieldSelector(input: string | undefined, allowed?: readonly string[]): FieldSelectorMatcher {
  const terms: { field: string; op: '=' | '!='; value: string }[] = [];
  for (const part of splitTopLevel(input ?? '')) {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new BadRequestError(`invalid selector: '${input}'; can't understand '${part}'`);
    if (allowed && !allowed.includes(m[1])) {
      throw new BadRequestError(`field label not supported: ${m[1]}`);
    }
    terms.push({ field: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return {
    terms,
    matches(fields) {
      return terms.every((t) => ((fields[t.field] ?? '') === t.value) === (t.op === '='));
    },
  };
}

/**
 * The selectable fields of an object, as the apiserver's field selectors see them: metadata.name
 * and metadata.namespace for every kind, plus kind-specific ones (spec.nodeName, status.phase,
 * involvedObject.*, type, spec.unschedulable, ...).
 */
export function fieldsOf(kind: string, obj: any): Record<string, string> {
  const f: Record<string, string> = {
    'metadata.name': obj?.metadata?.name ?? '',
    'metadata.namespace': obj?.metadata?.namespace ?? '',
  };
  switch (kind) {
    case 'Pod':
      f['spec.nodeName'] = obj?.spec?.nodeName ?? '';
      f['spec.restartPolicy'] = obj?.spec?.restartPolicy ?? '';
      f['spec.schedulerName'] = obj?.spec?.schedulerName ?? '';
      f['spec.serviceAccountName'] = obj?.spec?.serviceAccountName ?? '';
      f['status.phase'] = obj?.status?.phase ?? '';
      f['status.podIP'] = obj?.status?.podIP ?? '';
      f['status.nominatedNodeName'] = obj?.status?.nominatedNodeName ?? '';
      break;
    case 'Node':
      f['spec.unschedulable'] = String(obj?.spec?.unschedulable ?? false);
      break;
    case 'Event':
      for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
        f[`involvedObject.${k}`] = obj?.involvedObject?.[k] ?? '';
      }
      f.reason = obj?.reason ?? '';
      f.type = obj?.type ?? '';
      f.source = obj?.source?.component ?? '';
      f.reportingComponent = obj?.reportingComponent ?? '';
      break;
    case 'Secret':
      f.type = obj?.type ?? '';
      break;
    case 'Namespace':
      f['status.phase'] = obj?.status?.phase ?? '';
      break;
    case 'ReplicaSet':
      f['status.replicas'] = String(obj?.status?.replicas ?? 0);
      break;
    case 'Job':
      f['status.successful'] = String(obj?.status?.succeeded ?? 0);
      break;
  }
  return f;
}
