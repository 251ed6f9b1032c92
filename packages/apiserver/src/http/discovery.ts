/**
 * Discovery documents, all built from the RESOURCES table of @kubesim/api:
 *
 * - aggregated discovery (`APIGroupDiscoveryList`, apidiscovery.k8s.io v2 and v2beta1) for `/api`
 *   (the core group, named "") and `/apis` (every other group);
 * - legacy discovery: `/api` (APIVersions), `/apis` (APIGroupList), `/apis/<group>` (APIGroup),
 *   `/api/v1` and `/apis/<group>/<version>` (APIResourceList, subresources included, e.g.
 *   `pods/eviction` in group policy v1, which `kubectl drain` looks for).
 *
 * Each function takes the resource table as an optional last argument, so a caller serving more
 * (metrics.k8s.io, say) can pass an extended table.
 */
import { RESOURCES, groupVersion, type ResourceInfo } from '@kubesim/api';

export type DiscoveryFlavour = 'v2' | 'v2beta1' | 'legacy';

/** Content-Type of each flavour; kubectl only accepts an aggregated reply whose parameters match. */
export const DISCOVERY_CONTENT_TYPES: Record<DiscoveryFlavour, string> = {
  v2: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  v2beta1: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  legacy: 'application/json',
};

/** The Content-Type to send with a discovery document of the given flavour. */
export function discoveryContentType(flavour: DiscoveryFlavour): string {
  return DISCOVERY_CONTENT_TYPES[flavour];
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.type !== '' && r.q > 0);
}

/**
 * Picks the discovery flavour for an Accept header: the first acceptable media range (highest q
 * first, then the client's order) that is aggregated v2, aggregated v2beta1, or plain JSON.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFlavour {
  if (!accept) return 'legacy';
  const ranges = parseAccept(accept)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || a.i - b.i)
    .map(({ r }) => r);
  for (const { type, params } of ranges) {
    if (type !== 'application/json' && type !== 'application/*' && type !== '*/*') continue;
    if (params.as === undefined) return 'legacy';
    if (params.as === 'APIGroupDiscoveryList' && params.g === 'apidiscovery.k8s.io') {
      if (params.v === 'v2') return 'v2';
      if (params.v === 'v2beta1') return 'v2beta1';
    }
  }
  return 'legacy';
}

interface SubresourceShape {
  kind: (parent: ResourceInfo) => { group: string; version: string; kind: string };
  verbs: string[];
}

const SAME_KIND = (p: ResourceInfo) => ({ group: p.group, version: p.version, kind: p.kind });

/** What each subresource returns and accepts, as the apiserver advertises it. */
const SUBRESOURCES: Record<string, SubresourceShape> = {
  status: { kind: SAME_KIND, verbs: ['get', 'patch', 'update'] },
  scale: { kind: () => ({ group: 'autoscaling', version: 'v1', kind: 'Scale' }), verbs: ['get', 'patch', 'update'] },
  log: { kind: SAME_KIND, verbs: ['get'] },
  eviction: { kind: () => ({ group: 'policy', version: 'v1', kind: 'Eviction' }), verbs: ['create'] },
  binding: { kind: () => ({ group: '', version: 'v1', kind: 'Binding' }), verbs: ['create'] },
  finalize: { kind: SAME_KIND, verbs: ['update'] },
  exec: { kind: () => ({ group: '', version: 'v1', kind: 'PodExecOptions' }), verbs: ['create', 'get'] },
  attach: { kind: () => ({ group: '', version: 'v1', kind: 'PodAttachOptions' }), verbs: ['create', 'get'] },
  portforward: { kind: () => ({ group: '', version: 'v1', kind: 'PodPortForwardOptions' }), verbs: ['create', 'get'] },
};

function subresourceShape(name: string): SubresourceShape {
  return SUBRESOURCES[name] ?? { kind: SAME_KIND, verbs: ['get'] };
}

/** The groups in table order (preferred version first), the core group included. */
function groupsOf(resources: readonly ResourceInfo[]): { name: string; versions: string[] }[] {
  const groups: { name: string; versions: string[] }[] = [];
  for (const res of resources) {
    let g = groups.find((x) => x.name === res.group);
    if (!g) groups.push((g = { name: res.group, versions: [] }));
    if (!g.versions.includes(res.version)) g.versions.push(res.version);
  }
  return groups;
}

function resourcesIn(resources: readonly ResourceInfo[], group: string, version: string): ResourceInfo[] {
  return resources.filter((r) => r.group === group && r.version === version);
}

/** One resource of an aggregated discovery version entry (APIResourceDiscovery). */
function resourceDiscovery(info: ResourceInfo): Record<string, unknown> {
  return {
    resource: info.plural,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: [...info.verbs],
    ...(info.shortNames.length > 0 ? { shortNames: [...info.shortNames] } : {}),
    ...(info.categories.length > 0 ? { categories: [...info.categories] } : {}),
    ...(info.subresources.length > 0
      ? {
          subresources: [...info.subresources].sort().map((name) => {
            const shape = subresourceShape(name);
            return { subresource: name, responseKind: shape.kind(info), verbs: [...shape.verbs] };
          }),
        }
      : {}),
  };
}

/**
 * The aggregated discovery document: `core` is what `/api` serves (one item, the core group
 * named ""), `groups` what `/apis` serves (every named group, versions in preference order).
 */
export function aggregatedDiscovery(
  scope: 'core' | 'groups',
  flavour: 'v2' | 'v2beta1',
  resources: readonly ResourceInfo[] = RESOURCES,
): Record<string, unknown> {
  const groups = groupsOf(resources).filter((g) => (scope === 'core' ? g.name === '' : g.name !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${flavour}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.name },
      versions: g.versions.map((version) => ({
        version,
        resources: resourcesIn(resources, g.name, version).map(resourceDiscovery),
        freshness: 'Current',
      })),
    })),
  };
}

/** Legacy `/api`: the core versions, and the address clients should use. */
export function apiVersions(serverAddress: string, resources: readonly ResourceInfo[] = RESOURCES): Record<string, unknown> {
  const core = groupsOf(resources).find((g) => g.name === '');
  return {
    kind: 'APIVersions',
    versions: core ? [...core.versions] : [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(g: { name: string; versions: string[] }): Record<string, unknown> {
  const versions = g.versions.map((version) => ({ groupVersion: `${g.name}/${version}`, version }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

/** Legacy `/apis`: every named group, preferredVersion = its first version in the table. */
export function apiGroupList(resources: readonly ResourceInfo[] = RESOURCES): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsOf(resources)
      .filter((g) => g.name !== '')
      .map(groupEntry),
  };
}

/** Legacy `/apis/<group>`: one APIGroup, or undefined for a group that is not served. */
export function apiGroupDocument(group: string, resources: readonly ResourceInfo[] = RESOURCES): Record<string, unknown> | undefined {
  const g = groupsOf(resources).find((x) => x.name === group && x.name !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g) } : undefined;
}

/**
 * Legacy `/api/v1` (group "") and `/apis/<group>/<version>`: the APIResourceList with one entry
 * per resource and one per subresource (`pods/log`, `deployments/scale`...). Undefined when the
 * group/version is not served.
 */
export function apiResourceList(
  group: string,
  version: string,
  resources: readonly ResourceInfo[] = RESOURCES,
): Record<string, unknown> | undefined {
  const served = resourcesIn(resources, group, version);
  if (served.length === 0) return undefined;
  const entries: Record<string, unknown>[] = [];
  for (const info of served) {
    entries.push({
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: [...info.verbs],
      ...(info.shortNames.length > 0 ? { shortNames: [...info.shortNames] } : {}),
      ...(info.categories.length > 0 ? { categories: [...info.categories] } : {}),
    });
    for (const sub of [...info.subresources].sort()) entries.push(subresourceEntry(info, sub));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources: entries };
}

function subresourceEntry(info: ResourceInfo, name: string): Record<string, unknown> {
  const shape = subresourceShape(name);
  const kind = shape.kind(info);
  const foreign = kind.group !== info.group || kind.version !== info.version;
  return {
    name: `${info.plural}/${name}`,
    singularName: '',
    namespaced: info.namespaced,
    // Only a subresource served in another group/version names it, as the apiserver does.
    ...(foreign ? { group: kind.group, version: kind.version } : {}),
    kind: kind.kind,
    verbs: [...shape.verbs],
  };
}
