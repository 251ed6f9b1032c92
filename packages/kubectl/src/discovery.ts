/**
 * API discovery as kubectl does it: aggregated discovery (`/api` and `/apis` with the
 * APIGroupDiscoveryList Accept) when the server answers with that content type, else legacy
 * discovery (`/api`, `/apis`, then one APIResourceList per group/version).
 */
import type { HttpTransport } from '@kubesim/api';
import { errorFromStatus, type Status } from '@kubesim/api';

/** One served resource (subresources excluded). */
export interface DiscoveredResource {
  group: string;
  version: string;
  /** `group/version`, or `version` for the core group. */
  groupVersion: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Served in the group's preferred version. */
  preferred: boolean;
}

export interface Discovery {
  resources: DiscoveredResource[];
  /** Every served group/version, preferred first within a group, core first. */
  groupVersions: string[];
}

export const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggregatedResource {
  resource: string;
  responseKind?: { kind?: string };
  scope?: string;
  singularResource?: string;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
}

interface AggregatedList {
  items?: { metadata?: { name?: string }; versions?: { version: string; resources?: AggregatedResource[] }[] }[];
}

interface LegacyResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  kind?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

/** Runs discovery against the server. Throws the server's error if a discovery GET fails. */
export async function discover(transport: HttpTransport): Promise<Discovery> {
  const core = await transport.getRaw('/api', { Accept: AGGREGATED_ACCEPT });
  if ((core.contentType ?? '').includes('as=APIGroupDiscoveryList')) {
    const groups = await getJson<AggregatedList>(transport, '/apis', AGGREGATED_ACCEPT);
    return fromAggregated([checked<AggregatedList>(core), groups]);
  }
  return legacyDiscovery(transport, checked<{ versions?: string[] }>(core));
}

function checked<T>(res: { code: number; text: string }): T {
  const body = res.text ? (JSON.parse(res.text) as unknown) : {};
  if (res.code >= 400) throw errorFromStatus(body as Status);
  return body as T;
}

async function getJson<T>(transport: HttpTransport, path: string, accept = 'application/json'): Promise<T> {
  return checked<T>(await transport.getRaw(path, { Accept: accept }));
}

/** Flattens aggregated discovery documents (the `/api` one and the `/apis` one). */
export function fromAggregated(lists: AggregatedList[]): Discovery {
  const resources: DiscoveredResource[] = [];
  const groupVersions: string[] = [];
  for (const list of lists) {
    for (const item of list.items ?? []) {
      const group = item.metadata?.name ?? '';
      (item.versions ?? []).forEach((v, i) => {
        const gv = group ? `${group}/${v.version}` : v.version;
        groupVersions.push(gv);
        for (const r of v.resources ?? []) {
          if (r.resource.includes('/')) continue;
          resources.push({
            group,
            version: v.version,
            groupVersion: gv,
            plural: r.resource,
            singular: r.singularResource || (r.responseKind?.kind ?? '').toLowerCase(),
            kind: r.responseKind?.kind ?? '',
            namespaced: r.scope === 'Namespaced',
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            verbs: r.verbs ?? [],
            preferred: i === 0,
          });
        }
      });
    }
  }
  return { resources, groupVersions };
}

async function legacyDiscovery(transport: HttpTransport, core: { versions?: string[] }): Promise<Discovery> {
  const groups = await getJson<{ groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { groupVersion: string } }[] }>(
    transport,
    '/apis',
  );
  const targets: { group: string; version: string; gv: string; preferred: boolean }[] = [];
  (core.versions ?? []).forEach((v, i) => targets.push({ group: '', version: v, gv: v, preferred: i === 0 }));
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion;
    for (const v of g.versions) targets.push({ group: g.name, version: v.version, gv: v.groupVersion, preferred: v.groupVersion === preferred });
  }
  const lists = await Promise.all(
    targets.map((t) => getJson<{ resources?: LegacyResource[] }>(transport, t.group ? `/apis/${t.gv}` : `/api/${t.gv}`)),
  );
  const resources: DiscoveredResource[] = [];
  lists.forEach((list, i) => {
    const t = targets[i];
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      resources.push({
        group: t.group,
        version: t.version,
        groupVersion: t.gv,
        plural: r.name,
        singular: r.singularName || (r.kind ?? '').toLowerCase(),
        kind: r.kind ?? '',
        namespaced: r.namespaced ?? false,
        shortNames: r.shortNames ?? [],
        categories: r.categories ?? [],
        verbs: r.verbs ?? [],
        preferred: t.preferred,
      });
    }
  });
  return { resources, groupVersions: targets.map((t) => t.gv) };
}
