import { UsageError } from '../errors.js';

/** The kinds of thing a fault can hit; `random` picks among all of them. */
export const TARGET_KINDS = ['node', 'pod', 'component', 'apiserver', 'nats'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * What a fault hits, as given on the command line. `name` is null when one is chosen at the time
 * of the fault (`random`, or `apiserver` with several apiservers).
 */
export type Target =
  | { kind: 'node'; name: string }
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'component'; name: string }
  | { kind: 'apiserver' }
  | { kind: 'nats' }
  | { kind: 'random' };

/**
 * Parses `node/node-2`, `pod/web-abc` (in `namespace`), `pod/ns/web-abc`, `component/scheduler`,
 * `apiserver`, `nats` or `random`. Throws UsageError for anything else.
 */
export function parseTarget(spec: string, namespace = 'default'): Target {
  if (spec === 'apiserver' || spec === 'nats' || spec === 'random') return { kind: spec };
  const slash = spec.indexOf('/');
  const kind = singular(spec.slice(0, slash));
  const rest = slash > 0 ? spec.slice(slash + 1) : '';
  const nameOk = (s: string) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s);
  if (kind === 'node' && nameOk(rest)) return { kind, name: rest };
  if (kind === 'component' && nameOk(rest)) return { kind, name: rest };
  if (kind === 'pod') {
    const [a, b, extra] = rest.split('/');
    if (extra === undefined && b !== undefined && nameOk(a) && nameOk(b)) return { kind, namespace: a, name: b };
    if (b === undefined && nameOk(a)) return { kind, namespace, name: a };
  }
  throw new UsageError(
    `--target must be node/NAME, pod/NAME, pod/NAMESPACE/NAME, component/NAME, apiserver, nats or random, not "${spec}"`,
  );
}

function singular(kind: string): string {
  const aliases: Record<string, string> = { nodes: 'node', no: 'node', pods: 'pod', po: 'pod', components: 'component' };
  return aliases[kind] ?? kind;
}

/** The target the way the command line spells it: `node/node-2`, `pod/default/web-1`, `nats`. */
export function formatTarget(t: Target): string {
  switch (t.kind) {
    case 'node':
    case 'component':
      return `${t.kind}/${t.name}`;
    case 'pod':
      return `pod/${t.namespace}/${t.name}`;
    default:
      return t.kind;
  }
}
