/**
 * A container's environment, resolved as the kubelet does: service variables, then `envFrom`,
 * then `env` (later wins), each `$(VAR)` expanded from what is already defined. Pure: the
 * ConfigMaps and Secrets a container refers to are fetched beforehand and passed in.
 */
import { parseQuantity, type ConfigMap, type Container, type DeepReadonly, type Pod, type ResourceFieldSelector, type Secret } from '@kubesim/api';

type RO<T> = DeepReadonly<T>;

/** ConfigMaps and Secrets of the pod's namespace by name; a name that maps to undefined does not exist. */
export interface EnvSources {
  configMaps: ReadonlyMap<string, RO<ConfigMap> | undefined>;
  secrets: ReadonlyMap<string, RO<Secret> | undefined>;
}

/** What the kubelet knows beyond the pod object. */
export interface PodRuntimeInfo {
  podIP: string;
  hostIP: string;
  /** The node's allocatable cpu (cores) and memory (bytes): the default for unset limits. */
  allocatable: { cpu: number; memory: number };
  /** Variables every container gets first (KUBERNETES_SERVICE_HOST, HOSTNAME, ...). */
  baseEnv: Record<string, string>;
}

/** An environment, or the CreateContainerConfigError message that stops the container starting. */
export type EnvResult = { env: Record<string, string> } | { error: string };

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The names of the ConfigMaps and Secrets a container's env and envFrom refer to. */
export function envReferences(container: RO<Container>): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const f of container.envFrom ?? []) {
    if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
    if (f.secretRef?.name) secrets.add(f.secretRef.name);
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
    if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
  }
  return { configMaps, secrets };
}

/** Resolves a container's environment. */
export function resolveEnv(pod: RO<Pod>, container: RO<Container>, sources: EnvSources, info: PodRuntimeInfo): EnvResult {
  const env: Record<string, string> = { ...info.baseEnv };
  const ns = pod.metadata.namespace ?? 'default';
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const data = fromSource(from, sources);
    if ('error' in data) return data;
    for (const [k, v] of Object.entries(data.values)) if (ENV_NAME.test(prefix + k)) env[prefix + k] = v;
  }
  for (const e of container.env ?? []) {
    const value = e.valueFrom ? valueFrom(pod, container, e.valueFrom, sources, info, ns) : { value: expandVars(e.value ?? '', env) };
    if ('error' in value) return value;
    if (value.value !== undefined) env[e.name] = value.value;
  }
  return { env };
}

function fromSource(
  from: NonNullable<RO<Container>['envFrom']>[number],
  sources: EnvSources,
): { values: Record<string, string> } | { error: string } {
  if (from.configMapRef) {
    const name = from.configMapRef.name ?? '';
    const cm = sources.configMaps.get(name);
    if (!cm) return from.configMapRef.optional ? { values: {} } : { error: `configmap "${name}" not found` };
    return { values: { ...(cm.data ?? {}) } };
  }
  if (from.secretRef) {
    const name = from.secretRef.name ?? '';
    const s = sources.secrets.get(name);
    if (!s) return from.secretRef.optional ? { values: {} } : { error: `secret "${name}" not found` };
    return { values: Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, decodeBase64(v)])) };
  }
  return { values: {} };
}

function valueFrom(
  pod: RO<Pod>,
  container: RO<Container>,
  src: NonNullable<NonNullable<RO<Container>['env']>[number]['valueFrom']>,
  sources: EnvSources,
  info: PodRuntimeInfo,
  ns: string,
): { value: string | undefined } | { error: string } {
  if (src.fieldRef) {
    const v = fieldRefValue(pod, src.fieldRef.fieldPath, info);
    return v === undefined ? { error: `unsupported fieldPath: ${src.fieldRef.fieldPath}` } : { value: v };
  }
  if (src.resourceFieldRef) return resourceFieldValue(pod, container, src.resourceFieldRef, info);
  if (src.configMapKeyRef) {
    const { name = '', key, optional } = src.configMapKeyRef;
    const cm = sources.configMaps.get(name);
    if (!cm) return optional ? { value: undefined } : { error: `configmap "${name}" not found` };
    const v = cm.data?.[key];
    if (v === undefined) return optional ? { value: undefined } : { error: `couldn't find key ${key} in ConfigMap ${ns}/${name}` };
    return { value: v };
  }
  if (src.secretKeyRef) {
    const { name = '', key, optional } = src.secretKeyRef;
    const s = sources.secrets.get(name);
    if (!s) return optional ? { value: undefined } : { error: `secret "${name}" not found` };
    const v = s.data?.[key];
    if (v === undefined) return optional ? { value: undefined } : { error: `couldn't find key ${key} in Secret ${ns}/${name}` };
    return { value: decodeBase64(v) };
  }
  return { value: '' };
}

/** The value of a downward-API field path, or undefined for an unsupported one. */
export function fieldRefValue(pod: RO<Pod>, fieldPath: string, info: Pick<PodRuntimeInfo, 'podIP' | 'hostIP'>): string | undefined {
  const m = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return formatMap(m.labels);
    case 'metadata.annotations':
      return formatMap(m.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return info.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return info.hostIP;
    default:
      return undefined;
  }
}

/** `k="v"` lines, sorted, as the downward API writes labels and annotations. */
export function formatMap(map: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map![k])}`)
    .join('\n');
}

/**
 * A resource request or limit in units of the divisor, rounded up as the kubelet does; an unset
 * limit is the node's allocatable amount.
 */
export function resourceFieldValue(
  pod: RO<Pod>,
  container: RO<Container>,
  ref: RO<ResourceFieldSelector>,
  info: Pick<PodRuntimeInfo, 'allocatable'>,
): { value: string } | { error: string } {
  const target = ref.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName) : container;
  if (!target) return { error: `container "${ref.containerName}" not found in pod` };
  const [kind, resource] = ref.resource.split('.', 2) as [string, string];
  if ((kind !== 'limits' && kind !== 'requests') || !resource) return { error: `unsupported container resource: ${ref.resource}` };
  const list = kind === 'limits' ? target.resources?.limits : target.resources?.requests;
  const raw = list?.[resource];
  let amount = raw === undefined ? undefined : parseQuantity(raw);
  if (amount === undefined) {
    if (resource === 'cpu') amount = kind === 'limits' ? info.allocatable.cpu : 0;
    else if (resource === 'memory') amount = kind === 'limits' ? info.allocatable.memory : 0;
    else amount = 0;
  }
  const divisor = parseQuantity(ref.divisor ?? 1) || 1;
  return { value: String(Math.ceil(amount / divisor - 1e-9)) };
}

/** Expands `$(VAR)` from `env`; `$$(VAR)` stays literal `$(VAR)`, unknown names stay as written. */
export function expandVars(s: string, env: Readonly<Record<string, string>>): string {
  return s.replace(/\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? env[name] : match;
  });
}

function decodeBase64(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}
