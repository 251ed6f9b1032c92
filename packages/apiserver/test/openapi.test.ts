import { describe, expect, it } from 'vitest';
import { RESOURCES, groupVersion } from '@kubesim/api';
import { openApiDocument, openApiIndex } from '../src/http/openapi.js';

type Doc = { openapi: string; info: unknown; paths: Record<string, any>; components: { schemas: Record<string, any> } };

const gvKey = (r: { group: string; version: string }) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`);

/** What cli-runtime's query_param_verifier_v3 does: the first PATCH for the GVK must take the parameter. */
function supportsQueryParam(doc: Doc, gvk: { group: string; version: string; kind: string }, param: string): boolean {
  for (const item of Object.values(doc.paths)) {
    const op = item.patch;
    if (!op) continue;
    const ext = op['x-kubernetes-group-version-kind'];
    if (ext?.group !== gvk.group || ext?.version !== gvk.version || ext?.kind !== gvk.kind) continue;
    return op.parameters.some((p: any) => p.name === param && p.in === 'query');
  }
  return false;
}

describe('OpenAPI v3 index', () => {
  it('lists every served group/version with a hashed document URL', () => {
    const index = openApiIndex();
    const keys = [...new Set(RESOURCES.map(gvKey))];
    expect(Object.keys(index.paths).sort()).toEqual(keys.sort());
    for (const key of keys) expect(index.paths[key].serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{128}$`));
  });

  it('keeps each hash stable for the same content and distinct across documents', () => {
    const a = openApiIndex();
    const b = openApiIndex();
    expect(a).toEqual(b);
    const hashes = Object.values(a.paths).map((p) => p.serverRelativeURL.split('hash=')[1]);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe('OpenAPI v3 group/version documents', () => {
  it('lets kubectl --validate=strict find fieldValidation for every served kind', () => {
    for (const res of RESOURCES) {
      const doc = openApiDocument(gvKey(res)) as Doc;
      expect(supportsQueryParam(doc, res, 'fieldValidation'), groupVersion(res) + ' ' + res.kind).toBe(true);
    }
  });

  it('describes the item path of a namespaced resource like the recorded minimal document', () => {
    const doc = openApiDocument('apis/apps/v1') as Doc;
    expect(doc.openapi).toBe('3.0.0');
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(item.patch['x-kubernetes-action']).toBe('patch');
    expect(item.patch.parameters.map((p: any) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(item.patch.responses['200']).toBeDefined();
    expect(item.put.parameters.map((p: any) => p.name)).toContain('fieldValidation');
    expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    expect(item.parameters.map((p: any) => [p.name, p.in])).toEqual([
      ['name', 'path'],
      ['pretty', 'query'],
      ['namespace', 'path'],
    ]);
    const collection = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
    expect(collection.post.parameters.map((p: any) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
    expect(collection.get.parameters.map((p: any) => p.name)).toContain('labelSelector');
    expect(doc.paths['/apis/apps/v1/deployments'].get.operationId).toBe('listAppsV1DeploymentForAllNamespaces');
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
  });

  it('describes cluster-scoped resources without a namespace segment', () => {
    const doc = openApiDocument('api/v1') as Doc;
    expect(doc.paths['/api/v1/nodes/{name}'].patch.operationId).toBe('patchCoreV1Node');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.operationId).toBe('patchCoreV1NamespacedPod');
    expect(doc.paths['/api/v1/namespaces/{name}'].patch['x-kubernetes-group-version-kind'].kind).toBe('Namespace');
  });

  it('leaves strategic merge out of PATCH bodies so client-side apply uses its built-in types', () => {
    const doc = openApiDocument('apis/apps/v1') as Doc;
    const body = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.requestBody.content;
    expect(Object.keys(body).sort()).toEqual(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
  });

  it('carries small component schemas that every reference resolves to', () => {
    const doc = openApiDocument('apis/apps/v1') as Doc;
    const deployment = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(Object.keys(deployment.properties).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[^"]+/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    expect(openApiDocument('apis/coordination.k8s.io/v1')!.components).toMatchObject({ schemas: { 'io.k8s.api.coordination.v1.Lease': expect.any(Object) } });
  });

  it('finds a document by its index key, ignoring the hash query, and nothing for unknown ones', () => {
    const url = openApiIndex().paths['apis/batch/v1'].serverRelativeURL;
    expect(openApiDocument(url.slice('/openapi/v3/'.length))).toBe(openApiDocument('apis/batch/v1'));
    expect(openApiDocument('apis/nope/v1')).toBeUndefined();
  });
});
