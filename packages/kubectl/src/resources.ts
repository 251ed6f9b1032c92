/**
 * Turning what the user typed into resources: `po`, `pods`, `deployments.apps`,
 * `deployments.v1.apps`, `TYPE[,TYPE] NAME...`, `TYPE/NAME ...`, and the `all` category. Names
 * are looked up in the shared RESOURCES table first, then in the server's discovery.
 */
import { findResourceByKind, resolveResourceName, RESOURCES, type KubeObject, type ResourceInfo } from '@kubesim/api';
import { discover, type DiscoveredResource } from './discovery.js';
import { CommandError, UsageError } from './errors.js';
import type { Session } from './session.js';

/** One resource to act on, optionally a single named object. */
export interface ResourceTarget {
  info: ResourceInfo;
  name?: string;
}

/** The two shapes of resource arguments kubectl accepts. */
export type ResourceArgs = { kind: 'types'; types: string[]; names: string[] } | { kind: 'pairs'; pairs: { type: string; name: string }[] };

/** Splits positional arguments into `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...` form. */
export function parseResourceArgs(args: readonly string[]): ResourceArgs {
  if (args.some((a) => a.includes('/'))) {
    const bad = args.find((a) => !a.includes('/'));
    if (bad !== undefined) {
      throw new CommandError(
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
      );
    }
    return {
      kind: 'pairs',
      pairs: args.map((a) => {
        const i = a.indexOf('/');
        return { type: a.slice(0, i), name: a.slice(i + 1) };
      }),
    };
  }
  const [first, ...names] = args;
  return { kind: 'types', types: (first ?? '').split(',').filter((t) => t !== ''), names };
}

/** Resolves one type name without asking the server, or undefined. */
export function resolveLocal(typed: string): ResourceInfo | undefined {
  const direct = resolveResourceName(typed);
  if (direct) return direct;
  // TYPE.VERSION.GROUP, e.g. deployments.v1.apps
  const parts = typed.toLowerCase().split('.');
  if (parts.length >= 2 && /^v\d/.test(parts[1])) {
    const group = parts.slice(2).join('.');
    return RESOURCES.find(
      (r) =>
        r.group === group &&
        r.version === parts[1] &&
        (r.plural === parts[0] || r.singular === parts[0] || r.kind.toLowerCase() === parts[0] || r.shortNames.includes(parts[0])),
    );
  }
  return undefined;
}

/** Resolves a type name, asking discovery when the local table does not know it. */
export async function resolveType(session: Session, typed: string): Promise<ResourceInfo> {
  const local = resolveLocal(typed);
  if (local) return local;
  const found = matchDiscovered((await discover(session.transport)).resources, typed);
  if (!found) throw new CommandError(`the server doesn't have a resource type "${typed}"`);
  return found;
}

function matchDiscovered(resources: DiscoveredResource[], typed: string): ResourceInfo | undefined {
  const lower = typed.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const hit = resources
    .filter((r) => r.preferred || group !== undefined)
    .find(
      (r) =>
        (group === undefined || r.group === group) &&
        (r.plural === base || r.singular === base || r.kind.toLowerCase() === base || r.shortNames.includes(base)),
    );
  return hit ? toInfo(hit) : undefined;
}

/** A discovered resource in the shape of the shared table. */
export function toInfo(r: DiscoveredResource): ResourceInfo {
  return {
    group: r.group,
    version: r.version,
    kind: r.kind,
    listKind: `${r.kind}List`,
    plural: r.plural,
    singular: r.singular,
    namespaced: r.namespaced,
    shortNames: r.shortNames,
    categories: r.categories,
    subresources: [],
    verbs: r.verbs,
  };
}

/** The resources in a category (`all`), in discovery order, preferred versions only. */
export async function expandCategory(session: Session, category: string): Promise<ResourceInfo[]> {
  let resources: DiscoveredResource[];
  try {
    resources = (await discover(session.transport)).resources;
  } catch (err) {
    if ((err as Error).name === 'ConnectionError') throw err;
    return RESOURCES.filter((r) => r.categories.includes(category) && isPreferred(r));
  }
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const r of resources) {
    const key = `${r.group}/${r.plural}`;
    if (!r.preferred || !r.categories.includes(category) || seen.has(key)) continue;
    seen.add(key);
    out.push(resolveLocal(`${r.plural}${r.group ? `.${r.group}` : ''}`) ?? toInfo(r));
  }
  return out;
}

function isPreferred(r: ResourceInfo): boolean {
  return RESOURCES.find((x) => x.group === r.group && x.plural === r.plural) === r;
}

/**
 * Resolves resource arguments to targets, in the order given. `all` expands to its category;
 * with `TYPE NAME...` each name applies to each type.
 */
export async function resolveTargets(session: Session, args: ResourceArgs): Promise<ResourceTarget[]> {
  if (args.kind === 'pairs') {
    const out: ResourceTarget[] = [];
    for (const p of args.pairs) {
      if (!p.type || !p.name) throw new UsageError(`arguments in resource/name form must have a single resource and name`, 'examples');
      out.push({ info: await resolveType(session, p.type), name: p.name });
    }
    return out;
  }
  const infos: ResourceInfo[] = [];
  for (const t of args.types) {
    if (t === 'all') infos.push(...(await expandCategory(session, 'all')));
    else infos.push(await resolveType(session, t));
  }
  if (args.names.length === 0) return infos.map((info) => ({ info }));
  return infos.flatMap((info) => args.names.map((name) => ({ info, name })));
}

/**
 * The resource an object from a manifest belongs to, by its apiVersion and kind (the shared table,
 * then discovery). Unknown kinds fail with kubectl's "no matches for kind" message.
 */
export async function resolveObjectType(session: Session, obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>, source = ''): Promise<ResourceInfo> {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  const local = findResourceByKind(apiVersion, kind);
  if (local) return local;
  const hit = (await discover(session.transport)).resources.find((r) => r.groupVersion === apiVersion && r.kind === kind);
  if (hit) return toInfo(hit);
  const name = obj.metadata?.name ?? '';
  const ns = obj.metadata?.namespace ?? '';
  throw new CommandError(
    `resource mapping not found for name: "${name}" namespace: "${ns}" from "${source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
  );
}
