/**
 * OpenAPI v3 documents built from the RESOURCES table: the `/openapi/v3` index and one document
 * per group/version (`api/v1`, `apis/apps/v1`, ...).
 *
 * Their main reader is kubectl's `--validate=strict` check (cli-runtime
 * query_param_verifier_v3.go): it wants, in the object's group/version document, a PATCH
 * operation tagged with the object's `x-kubernetes-group-version-kind` that takes a
 * `fieldValidation` query parameter. Every operation here carries its real query parameters, and
 * the component schemas are small (apiVersion, kind, metadata, spec, status).
 *
 * PATCH request bodies deliberately omit `application/strategic-merge-patch+json`: kubectl's
 * client-side apply would then compute its patches from these schemas, which lack list merge
 * keys; without it kubectl falls back to its compiled-in types, which have them.
 */
import { createHash } from 'node:crypto';
import { RESOURCES, groupVersion, type ResourceInfo } from '@kubesim/api';

type Json = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** `api/v1` or `apis/<group>/<version>`: the key of a group/version in the index. */
function gvPath(info: { group: string; version: string }): string {
  return info.group ? `apis/${info.group}/${info.version}` : `api/${info.version}`;
}

/** The operation tag of a group/version: `core_v1`, `apps_v1`, `coordination_v1`. */
function tagOf(info: { group: string; version: string }): string {
  return `${info.group === '' ? 'core' : info.group.split('.')[0]}_${info.version}`;
}

/** The schema name of a kind, as the apiserver names it (`io.k8s.api.apps.v1.Deployment`). */
function schemaName(group: string, version: string, kind: string): string {
  const pkg = group === '' ? 'core' : group.split('.')[0];
  return `io.k8s.api.${pkg}.${version}.${kind}`;
}

/** `CoreV1`, `AppsV1`, `CoordinationV1`: the operationId infix of a group/version. */
function opInfix(group: string, version: string): string {
  const words = group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split('.');
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join('') + version[0].toUpperCase() + version.slice(1);
}

function queryParam(name: string, description: string, type = 'string'): Json {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const PARAMS = {
  pretty: queryParam('pretty', "If 'true', then the output is pretty printed."),
  dryRun: queryParam('dryRun', 'When present, indicates that modifications should not be persisted. Valid value: All.'),
  fieldManager: queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values: Ignore, Warn, Strict.',
  ),
  force: queryParam('force', 'Force is going to "force" Apply requests: it re-acquires conflicting fields owned by other people.', 'boolean'),
  gracePeriodSeconds: queryParam('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  propagationPolicy: queryParam('propagationPolicy', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
  labelSelector: queryParam('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  fieldSelector: queryParam('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  limit: queryParam('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  continue: queryParam('continue', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: queryParam('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  resourceVersionMatch: queryParam('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  timeoutSeconds: queryParam('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  watch: queryParam('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  allowWatchBookmarks: queryParam('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
};

const LIST_PARAMS = [
  PARAMS.allowWatchBookmarks,
  PARAMS.continue,
  PARAMS.fieldSelector,
  PARAMS.labelSelector,
  PARAMS.limit,
  PARAMS.resourceVersion,
  PARAMS.resourceVersionMatch,
  PARAMS.timeoutSeconds,
  PARAMS.watch,
];
const WRITE_PARAMS = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation];

function pathParam(name: string, description: string): Json {
  return { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } };
}

function jsonContent(schema: Json): Json {
  return { 'application/json': { schema }, 'application/yaml': { schema } };
}

interface OpSpec {
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete';
  operationId: string;
  description: string;
  gvk: { group: string; version: string; kind: string };
  tag: string;
  parameters: Json[];
  body?: Json;
  response: Json;
  created?: boolean;
}

function operation(spec: OpSpec): Json {
  const responses: Json = { '200': { description: 'OK', content: jsonContent(spec.response) } };
  if (spec.created) responses['201'] = { description: 'Created', content: jsonContent(spec.response) };
  if (spec.action === 'delete') responses['202'] = { description: 'Accepted', content: jsonContent(spec.response) };
  responses['401'] = { description: 'Unauthorized' };
  return {
    tags: [spec.tag],
    description: spec.description,
    operationId: spec.operationId,
    parameters: spec.parameters,
    ...(spec.body ? { requestBody: { content: spec.body, required: true } } : {}),
    responses,
    'x-kubernetes-action': spec.action,
    'x-kubernetes-group-version-kind': spec.gvk,
  };
}

const PATCH_BODY: Json = {
  'application/apply-patch+yaml': { schema: ref(`${META}.Patch`) },
  'application/json-patch+json': { schema: ref(`${META}.Patch`) },
  'application/merge-patch+json': { schema: ref(`${META}.Patch`) },
};

/** The read/replace/patch operations of an object or of one of its subresources. */
function itemOperations(info: ResourceInfo, opId: (verb: string) => string, target: { gvk: OpSpec['gvk']; schema: string; what: string }): Json {
  const base = { gvk: target.gvk, tag: tagOf(info), response: ref(target.schema) };
  return {
    get: operation({ ...base, action: 'get', operationId: opId('read'), description: `read the specified ${target.what}`, parameters: [] }),
    put: operation({
      ...base,
      action: 'put',
      operationId: opId('replace'),
      description: `replace the specified ${target.what}`,
      parameters: WRITE_PARAMS,
      body: jsonContent(ref(target.schema)),
      created: true,
    }),
    patch: operation({
      ...base,
      action: 'patch',
      operationId: opId('patch'),
      description: `partially update the specified ${target.what}`,
      parameters: [...WRITE_PARAMS, PARAMS.force],
      body: PATCH_BODY,
      created: true,
    }),
  };
}

/** The paths one resource contributes to its group/version document. */
function resourcePaths(info: ResourceInfo): Record<string, Json> {
  const prefix = `/${gvPath(info)}`;
  const scoped = info.namespaced ? `${prefix}/namespaces/{namespace}/${info.plural}` : `${prefix}/${info.plural}`;
  const ns = info.namespaced ? 'Namespaced' : '';
  const infix = opInfix(info.group, info.version);
  const gvk = { group: info.group, version: info.version, kind: info.kind };
  const objectSchema = schemaName(info.group, info.version, info.kind);
  const tag = tagOf(info);
  const common = [PARAMS.pretty, ...(info.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [])];
  const named = [pathParam('name', `name of the ${info.kind}`), ...common];
  const paths: Record<string, Json> = {};

  paths[scoped] = {
    parameters: common,
    get: operation({ action: 'list', operationId: `list${infix}${ns}${info.kind}`, description: `list or watch objects of kind ${info.kind}`, gvk, tag, parameters: LIST_PARAMS, response: ref(`${objectSchema}List`) }),
    post: operation({ action: 'post', operationId: `create${infix}${ns}${info.kind}`, description: `create a ${info.kind}`, gvk, tag, parameters: WRITE_PARAMS, body: jsonContent(ref(objectSchema)), response: ref(objectSchema), created: true }),
  };
  paths[`${scoped}/{name}`] = {
    parameters: named,
    ...itemOperations(info, (verb) => `${verb}${infix}${ns}${info.kind}`, { gvk, schema: objectSchema, what: info.kind }),
    delete: operation({ action: 'delete', operationId: `delete${infix}${ns}${info.kind}`, description: `delete a ${info.kind}`, gvk, tag, parameters: [PARAMS.dryRun, PARAMS.gracePeriodSeconds, PARAMS.propagationPolicy], response: ref(`${META}.Status`) }),
  };
  if (info.namespaced) {
    paths[`${prefix}/${info.plural}`] = {
      parameters: [PARAMS.pretty],
      get: operation({ action: 'list', operationId: `list${infix}${info.kind}ForAllNamespaces`, description: `list or watch objects of kind ${info.kind}`, gvk, tag, parameters: LIST_PARAMS, response: ref(`${objectSchema}List`) }),
    };
  }
  if (info.subresources.includes('status')) {
    paths[`${scoped}/{name}/status`] = {
      parameters: named,
      ...itemOperations(info, (verb) => `${verb}${infix}${ns}${info.kind}Status`, { gvk, schema: objectSchema, what: `status of the ${info.kind}` }),
    };
  }
  if (info.subresources.includes('scale')) {
    paths[`${scoped}/{name}/scale`] = {
      parameters: named,
      ...itemOperations(info, (verb) => `${verb}${infix}${ns}${info.kind}Scale`, {
        gvk: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
        schema: 'io.k8s.api.autoscaling.v1.Scale',
        what: `scale of the ${info.kind}`,
      }),
    };
  }
  return paths;
}

function kindSchema(info: ResourceInfo): Json {
  return {
    description: `${info.kind} (${groupVersion(info)}).`,
    type: 'object',
    properties: {
      apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
      kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
      metadata: { description: "Standard object's metadata.", allOf: [ref(`${META}.ObjectMeta`)], default: {} },
      spec: { description: 'The desired state of the object.', type: 'object' },
      status: { description: 'The most recently observed state of the object.', type: 'object' },
    },
    'x-kubernetes-group-version-kind': [{ group: info.group, kind: info.kind, version: info.version }],
  };
}

function listSchema(info: ResourceInfo): Json {
  return {
    description: `${info.listKind} is a list of ${info.kind}.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      items: { type: 'array', items: { allOf: [ref(schemaName(info.group, info.version, info.kind))], default: {} } },
      kind: { type: 'string' },
      metadata: { allOf: [ref(`${META}.ListMeta`)], default: {} },
    },
    'x-kubernetes-group-version-kind': [{ group: info.group, kind: info.listKind, version: info.version }],
  };
}

const SHARED_SCHEMAS: Record<string, Json> = {
  [`${META}.ObjectMeta`]: {
    description: 'ObjectMeta is metadata that all persisted resources must have.',
    type: 'object',
    properties: {
      annotations: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      creationTimestamp: { type: 'string', format: 'date-time' },
      deletionTimestamp: { type: 'string', format: 'date-time' },
      finalizers: { type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'set' },
      generateName: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      labels: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      name: { type: 'string' },
      namespace: { type: 'string' },
      resourceVersion: { type: 'string' },
      uid: { type: 'string' },
    },
  },
  [`${META}.ListMeta`]: {
    type: 'object',
    properties: { continue: { type: 'string' }, remainingItemCount: { type: 'integer', format: 'int64' }, resourceVersion: { type: 'string' } },
  },
  [`${META}.Status`]: {
    description: 'Status is a return value for calls that do not return other objects.',
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      code: { type: 'integer', format: 'int32' },
      details: { type: 'object' },
      kind: { type: 'string' },
      message: { type: 'string' },
      metadata: { allOf: [ref(`${META}.ListMeta`)], default: {} },
      reason: { type: 'string' },
      status: { type: 'string' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
  [`${META}.Patch`]: {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
};

const SCALE_SCHEMA: Json = {
  description: 'Scale represents a scaling request for a resource.',
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { allOf: [ref(`${META}.ObjectMeta`)], default: {} },
    spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } },
    status: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' }, selector: { type: 'string' } } },
  },
  'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
};

function buildDocument(served: ResourceInfo[]): Json {
  const paths: Record<string, Json> = {};
  const schemas: Record<string, Json> = { ...SHARED_SCHEMAS };
  for (const info of served) {
    Object.assign(paths, resourcePaths(info));
    schemas[schemaName(info.group, info.version, info.kind)] = kindSchema(info);
    schemas[`${schemaName(info.group, info.version, info.kind)}List`] = listSchema(info);
    if (info.subresources.includes('scale')) schemas['io.k8s.api.autoscaling.v1.Scale'] = SCALE_SCHEMA;
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths, components: { schemas } };
}

interface Built {
  documents: Map<string, { doc: Json; hash: string }>;
}

const cache = new WeakMap<readonly ResourceInfo[], Built>();

function build(resources: readonly ResourceInfo[]): Built {
  let built = cache.get(resources);
  if (built) return built;
  const byGv = new Map<string, ResourceInfo[]>();
  for (const info of resources) {
    const key = gvPath(info);
    byGv.set(key, [...(byGv.get(key) ?? []), info]);
  }
  const documents = new Map<string, { doc: Json; hash: string }>();
  for (const [key, served] of byGv) {
    const doc = buildDocument(served);
    documents.set(key, { doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase() });
  }
  cache.set(resources, (built = { documents }));
  return built;
}

/** `/openapi/v3`: each group/version with the URL of its document; the hash changes with its content. */
export function openApiIndex(resources: readonly ResourceInfo[] = RESOURCES): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, { hash }] of build(resources).documents) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { paths };
}

/**
 * `/openapi/v3/<gv>`: the document of one group/version (`api/v1`, `apis/apps/v1`), or undefined
 * when it is not served. A query string or trailing slash on `gv` is ignored.
 */
export function openApiDocument(gv: string, resources: readonly ResourceInfo[] = RESOURCES): Record<string, unknown> | undefined {
  const key = gv.split('?')[0].replace(/^\/+|\/+$/g, '');
  return build(resources).documents.get(key)?.doc;
}
