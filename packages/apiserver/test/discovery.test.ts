import { describe, expect, it } from 'vitest';
import { RESOURCES, type ResourceInfo } from '@kubesim/api';
import {
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryContentType,
  negotiateDiscovery,
} from '../src/http/discovery.js';

const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('negotiateDiscovery', () => {
  it.each([
    ['what kubectl sends', KUBECTL_ACCEPT, 'v2'],
    ['v2beta1 only', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', 'v2beta1'],
    ['an unknown aggregated version first', 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json', 'legacy'],
    ['plain JSON', 'application/json, */*', 'legacy'],
    ['no Accept header', undefined, 'legacy'],
    ['q-values preferring v2beta1', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList', 'v2beta1'],
    ['spaces around parameters', 'application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList', 'v2'],
    ['a Table request', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json', 'legacy'],
  ])('answers %s', (_name, accept, expected) => {
    expect(negotiateDiscovery(accept)).toBe(expected);
  });

  it('pairs each flavour with the exact Content-Type kubectl checks', () => {
    expect(discoveryContentType('v2')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(discoveryContentType('v2beta1')).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    expect(discoveryContentType('legacy')).toBe('application/json');
  });
});

describe('aggregated discovery', () => {
  it('serves the core group alone under /api, named ""', () => {
    const doc = aggregatedDiscovery('core', 'v2') as any;
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    expect(doc.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect(doc.metadata).toEqual({});
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0].metadata).toEqual({ name: '' });
    expect(doc.items[0].versions.map((v: any) => [v.version, v.freshness])).toEqual([['v1', 'Current']]);
    const pods = doc.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
    expect(pods).toEqual({
      resource: 'pods',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
        { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
        { subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
    const nodes = doc.items[0].versions[0].resources.find((r: any) => r.resource === 'nodes');
    expect(nodes.scope).toBe('Cluster');
  });

  it('serves every other group under /apis, matching the recorded deployments entry', () => {
    const doc = aggregatedDiscovery('groups', 'v2beta1') as any;
    expect(doc.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    const names = doc.items.map((i: any) => i.metadata.name);
    expect(names).not.toContain('');
    expect(names).toEqual([...new Set(RESOURCES.filter((r) => r.group !== '').map((r) => r.group))]);
    const apps = doc.items.find((i: any) => i.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    expect(deployments).toEqual({
      resource: 'deployments',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it('lists a group\'s versions in table order, the preferred one first', () => {
    const doc = aggregatedDiscovery('groups', 'v2') as any;
    const autoscaling = doc.items.find((i: any) => i.metadata.name === 'autoscaling');
    expect(autoscaling.versions.map((v: any) => v.version)).toEqual(['v2', 'v1']);
  });

  it('leaves out shortNames, categories and subresources a resource does not have', () => {
    const doc = aggregatedDiscovery('core', 'v2') as any;
    const secrets = doc.items[0].versions[0].resources.find((r: any) => r.resource === 'secrets');
    expect(Object.keys(secrets).sort()).toEqual(['resource', 'responseKind', 'scope', 'singularResource', 'verbs']);
  });

  it('serves extra resources passed in, such as metrics', () => {
    const metrics: ResourceInfo = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', listKind: 'PodMetricsList', plural: 'pods', singular: 'pod', namespaced: true, shortNames: [], categories: [], subresources: [], verbs: ['get', 'list'] };
    const doc = aggregatedDiscovery('groups', 'v2', [...RESOURCES, metrics]) as any;
    expect(doc.items.at(-1).metadata.name).toBe('metrics.k8s.io');
  });
});

describe('legacy discovery', () => {
  it('serves /api as APIVersions', () => {
    expect(apiVersions('127.0.0.1:6443')).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    });
  });

  it('serves /apis as APIGroupList with preferred versions', () => {
    const list = apiGroupList() as any;
    expect(list.kind).toBe('APIGroupList');
    expect(list.apiVersion).toBe('v1');
    expect(list.groups.find((g: any) => g.name === 'apps')).toEqual({
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    expect(list.groups.find((g: any) => g.name === 'autoscaling').preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    expect(list.groups.some((g: any) => g.name === '')).toBe(false);
  });

  it('serves /apis/<group> as APIGroup, and nothing for unknown groups', () => {
    expect(apiGroupDocument('batch')).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'batch',
      versions: [{ groupVersion: 'batch/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'batch/v1', version: 'v1' },
    });
    expect(apiGroupDocument('nope')).toBeUndefined();
    expect(apiGroupDocument('')).toBeUndefined();
  });

  it('serves /api/v1 with the subresource entries drain looks for', () => {
    const list = apiResourceList('', 'v1') as any;
    expect(list).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1' });
    const byName = (name: string) => list.resources.find((r: any) => r.name === name);
    expect(byName('pods')).toEqual({
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
    });
    expect(byName('pods/eviction')).toEqual({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    expect(byName('pods/log')).toEqual({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    expect(byName('namespaces/finalize')).toEqual({ name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
  });

  it('serves /apis/<group>/<version> with scale entries in autoscaling/v1', () => {
    const list = apiResourceList('apps', 'v1') as any;
    expect(list.groupVersion).toBe('apps/v1');
    expect(list.resources.find((r: any) => r.name === 'deployments/scale')).toEqual({
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    expect(apiResourceList('apps', 'v2')).toBeUndefined();
  });
});
