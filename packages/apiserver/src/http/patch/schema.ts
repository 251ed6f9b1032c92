/**
 * The list-merge metadata of the built-in kinds: for each list field, its `patchStrategy` and
 * `patchMergeKey`, copied from the struct tags of k8s.io/api (core/v1, apps/v1, batch/v1, ...).
 * Strategic merge patch and server-side apply both read it.
 *
 * Only the fields whose lists merge are described. A field that is not described is untyped:
 * its objects merge key by key and its lists are replaced whole, which is exactly what Kubernetes
 * does for a list without a patch strategy (tolerations, node taints, command, args, ...).
 */

/** A struct whose listed fields have known schemas. */
export interface StructSchema {
  type: 'struct';
  fields: Record<string, FieldSchema>;
}

/** A list with `patchStrategy:"merge"`: keyed by `mergeKey`, or a set of primitives without one. */
export interface ListSchema {
  type: 'list';
  /** Absent for a merge list of primitives (`finalizers`), which merges as a set. */
  mergeKey?: string;
  /** `patchStrategy:"merge,retainKeys"` (volumes). */
  retainKeys?: boolean;
  items?: StructSchema;
}

export type FieldSchema = StructSchema | ListSchema;

function struct(fields: Record<string, FieldSchema>): StructSchema {
  return { type: 'struct', fields };
}

function keyed(mergeKey: string, items?: StructSchema, retainKeys = false): ListSchema {
  return { type: 'list', mergeKey, items, ...(retainKeys ? { retainKeys } : {}) };
}

function set(): ListSchema {
  return { type: 'list' };
}

const conditions = keyed('type');

const objectMeta = struct({
  ownerReferences: keyed('uid'),
  finalizers: set(),
});

const container = struct({
  ports: keyed('containerPort'),
  env: keyed('name'),
  volumeMounts: keyed('mountPath'),
  volumeDevices: keyed('devicePath'),
});

const podSpec = struct({
  volumes: keyed('name', undefined, true),
  initContainers: keyed('name', container),
  containers: keyed('name', container),
  ephemeralContainers: keyed('name', container),
  imagePullSecrets: keyed('name'),
  hostAliases: keyed('ip'),
  topologySpreadConstraints: keyed('topologyKey'),
  schedulingGates: keyed('name'),
  resourceClaims: keyed('name', undefined, true),
});

const podTemplate = struct({ metadata: objectMeta, spec: podSpec });

const statusWithConditions = struct({ conditions });

/** A workload whose spec holds a pod template and whose status holds conditions. */
const workload = struct({
  metadata: objectMeta,
  spec: struct({ template: podTemplate }),
  status: statusWithConditions,
});

const withStatusConditions = struct({ metadata: objectMeta, status: statusWithConditions });

const KIND_SCHEMAS: Record<string, StructSchema> = {
  Pod: struct({
    metadata: objectMeta,
    spec: podSpec,
    status: struct({ conditions, podIPs: keyed('ip'), hostIPs: keyed('ip') }),
  }),
  PodTemplate: struct({ metadata: objectMeta, template: podTemplate }),
  Deployment: workload,
  ReplicaSet: workload,
  StatefulSet: workload,
  DaemonSet: workload,
  Job: workload,
  ReplicationController: workload,
  Service: struct({
    metadata: objectMeta,
    spec: struct({ ports: keyed('port') }),
    status: statusWithConditions,
  }),
  Node: struct({
    metadata: objectMeta,
    spec: struct({ podCIDRs: set() }),
    status: struct({ conditions, addresses: keyed('type') }),
  }),
  Namespace: withStatusConditions,
  ServiceAccount: struct({ metadata: objectMeta, secrets: keyed('name'), imagePullSecrets: keyed('name') }),
  PersistentVolumeClaim: withStatusConditions,
  HorizontalPodAutoscaler: withStatusConditions,
  PodDisruptionBudget: withStatusConditions,
};

const DEFAULT_SCHEMA = struct({ metadata: objectMeta });

/** The merge schema of a kind; kinds without list metadata get ObjectMeta's only. */
export function schemaForKind(kind: string | undefined): StructSchema {
  return (kind && KIND_SCHEMAS[kind]) || DEFAULT_SCHEMA;
}

/** The schema of field `name` inside `schema`, if it is described. */
export function fieldSchema(schema: FieldSchema | undefined, name: string): FieldSchema | undefined {
  return schema?.type === 'struct' ? schema.fields[name] : undefined;
}

/** The element schema of a list, if described. */
export function itemSchema(schema: FieldSchema | undefined): StructSchema | undefined {
  return schema?.type === 'list' ? schema.items : undefined;
}

/** The list schema at `schema`, when it is a merging list. */
export function listSchema(schema: FieldSchema | undefined): ListSchema | undefined {
  return schema?.type === 'list' ? schema : undefined;
}
