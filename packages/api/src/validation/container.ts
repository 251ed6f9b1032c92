/**
 * Container validation as Kubernetes' validateContainers does it: names, image, ports, env,
 * envFrom, volume mounts, probes, lifecycle handlers, pull policy and resources.
 */
import type { FieldError } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import type { IntOrString, ResourceRequirements } from '../types/common.js';
import type { Container, ContainerPort, EnvFromSource, EnvVar, LifecycleHandler, ObjectFieldSelector, Probe, VolumeMount } from '../types/core.js';
import { child, fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotFound, fieldNotSupported, fieldRequired, index } from './errors.js';
import { validateNonnegative } from './meta.js';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidPortName, isValidPortNum } from './names.js';
import { QUANTITY_REGEX_MESSAGE } from './shape.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const HTTP_SCHEMES = ['HTTP', 'HTTPS'];
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const CONTAINER_RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** Which container list is validated, and what the pod around it allows. */
export interface ContainerContext {
  /** Volume names a mount may refer to (valid volumes only). */
  volumes: ReadonlySet<string>;
  /** True for a Pod (not a template): image whitespace is checked. */
  isPod: boolean;
  /** True for initContainers: they may set restartPolicy Always (sidecars) and take no readiness probe. */
  init: boolean;
  /** The pod's terminationGracePeriodSeconds: a preStop or postStart `sleep` may not outlast it. */
  gracePeriod?: number;
}

/**
 * Validates a list of containers at `path`. `names` holds names already taken (regular
 * container names when checking init containers) and receives these ones.
 */
export function validateContainers(containers: Container[] | undefined, path: string, ctx: ContainerContext, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const list = containers ?? [];
  if (list.length === 0 && !ctx.init) return [fieldRequired(path)];
  list.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, p, ctx));
    if (names.has(c.name ?? '')) errs.push(fieldDuplicate(child(p, 'name'), c.name ?? ''));
    else names.add(c.name ?? '');
    errs.push(...validateProbes(c, p, ctx));
    if (c.lifecycle) {
      for (const key of ['postStart', 'preStop'] as const) {
        const h = c.lifecycle[key];
        if (h) errs.push(...validateHandler(h, child(child(p, 'lifecycle'), key), ctx.gracePeriod));
      }
    }
    if (c.restartPolicy !== undefined) {
      if (!ctx.init) errs.push(fieldForbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
      else if (c.restartPolicy !== 'Always') errs.push(fieldNotSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
    }
  });
  errs.push(...validateHostPorts(list, path));
  return errs;
}

function validateContainerCommon(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldRequired(child(path, 'name')));
  else for (const msg of isDNS1123Label(c.name)) errs.push(fieldInvalid(child(path, 'name'), c.name, msg));
  if (!c.image) errs.push(fieldRequired(child(path, 'image')));
  else if (ctx.isPod && c.image.trim() !== c.image) errs.push(fieldInvalid(child(path, 'image'), c.image, 'must not have leading or trailing whitespace'));
  if (c.terminationMessagePolicy && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(fieldNotSupported(child(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validatePorts(c.ports ?? [], child(path, 'ports')));
  errs.push(...validateEnv(c.env ?? [], child(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom ?? [], child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts ?? [], ctx.volumes, child(path, 'volumeMounts')));
  if (c.imagePullPolicy && !PULL_POLICIES.includes(c.imagePullPolicy)) {
    errs.push(fieldNotSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  }
  errs.push(...validateResources(c.resources, child(path, 'resources')));
  return errs;
}

function validatePorts(ports: ContainerPort[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      for (const msg of msgs) errs.push(fieldInvalid(child(p, 'name'), port.name, msg));
      if (msgs.length === 0 && names.has(port.name)) errs.push(fieldDuplicate(child(p, 'name'), port.name));
      names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldRequired(child(p, 'containerPort')));
    else for (const msg of isValidPortNum(port.containerPort)) errs.push(fieldInvalid(child(p, 'containerPort'), port.containerPort, msg));
    if (port.hostPort) for (const msg of isValidPortNum(port.hostPort)) errs.push(fieldInvalid(child(p, 'hostPort'), port.hostPort, msg));
    if (port.protocol && !PROTOCOLS.includes(port.protocol)) errs.push(fieldNotSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateHostPorts(containers: Container[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) =>
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol ?? 'TCP'}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(fieldDuplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), key));
      seen.add(key);
    }),
  );
  return errs;
}

function validateEnv(env: EnvVar[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((ev, i) => {
    const p = index(path, i);
    if (!ev.name) errs.push(fieldRequired(child(p, 'name')));
    else for (const msg of isEnvVarName(ev.name)) errs.push(fieldInvalid(child(p, 'name'), ev.name, msg));
    if (ev.valueFrom) errs.push(...validateEnvValueFrom(ev, child(p, 'valueFrom')));
  });
  return errs;
}

function validateEnvValueFrom(ev: EnvVar, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const from = ev.valueFrom ?? {};
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errs.push(...validateFieldSelector(from.fieldRef, ENV_FIELD_PATHS, child(path, 'fieldRef')));
  }
  if (from.resourceFieldRef) {
    sources++;
    const resource = from.resourceFieldRef.resource;
    const p = child(child(path, 'resourceFieldRef'), 'resource');
    if (!resource) errs.push(fieldRequired(p));
    else if (!CONTAINER_RESOURCE_FIELDS.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) {
      errs.push(fieldNotSupported(p, resource, CONTAINER_RESOURCE_FIELDS));
    }
  }
  for (const key of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = from[key];
    if (!ref) continue;
    sources++;
    const p = child(path, key);
    for (const msg of isDNS1123Subdomain(ref.name ?? '')) errs.push(fieldInvalid(child(p, 'name'), ref.name ?? '', msg));
    if (!ref.key) errs.push(fieldRequired(child(p, 'key')));
    else for (const msg of isConfigMapKey(ref.key)) errs.push(fieldInvalid(child(p, 'key'), ref.key, msg));
  }
  if (sources === 0) errs.push(fieldInvalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(fieldInvalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(fieldInvalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

/** validateObjectFieldSelector: a supported field path, or labels/annotations with a subscript. */
export function validateFieldSelector(ref: ObjectFieldSelector, supported: readonly string[], path: string): FieldError[] {
  if (ref.apiVersion === '') return [fieldRequired(child(path, 'apiVersion'))];
  if (!ref.fieldPath) return [fieldRequired(child(path, 'fieldPath'))];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(ref.fieldPath);
  if (sub) {
    const key = sub[1] === 'metadata.annotations' ? sub[2].toLowerCase() : sub[2];
    return isQualifiedName(key).map((msg) => fieldInvalid(path, key, msg));
  }
  if (ref.fieldPath.includes('[')) return [fieldInvalid(path, ref.fieldPath.slice(0, ref.fieldPath.indexOf('[')), 'does not support subscript')];
  return supported.includes(ref.fieldPath) ? [] : [fieldNotSupported(child(path, 'fieldPath'), ref.fieldPath, supported)];
}

function validateEnvFrom(envFrom: EnvFromSource[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  envFrom.forEach((ev, i) => {
    const p = index(path, i);
    if (ev.prefix) for (const msg of isEnvVarName(ev.prefix)) errs.push(fieldInvalid(child(p, 'prefix'), ev.prefix, msg));
    let sources = 0;
    for (const key of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[key];
      if (!ref) continue;
      sources++;
      if (!ref.name) errs.push(fieldRequired(child(child(p, key), 'name')));
      else for (const msg of isDNS1123Subdomain(ref.name)) errs.push(fieldInvalid(child(child(p, key), 'name'), ref.name, msg));
    }
    if (sources === 0) errs.push(fieldInvalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(fieldInvalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: VolumeMount[], volumes: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  mounts.forEach((m, i) => {
    const p = index(path, i);
    if (!m.name) errs.push(fieldRequired(child(p, 'name')));
    if (!volumes.has(m.name ?? '')) errs.push(fieldNotFound(child(p, 'name'), m.name ?? ''));
    if (!m.mountPath) errs.push(fieldRequired(child(p, 'mountPath')));
    if (mountPoints.has(m.mountPath ?? '')) errs.push(fieldInvalid(child(p, 'mountPath'), m.mountPath ?? '', 'must be unique'));
    mountPoints.add(m.mountPath ?? '');
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, child(p, 'subPath')));
  });
  return errs;
}

/** A relative path that stays inside its root: not absolute, no `..` element. */
export function validateLocalDescendingPath(value: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (value.startsWith('/')) errs.push(fieldInvalid(path, value, 'must be a relative path'));
  if (value.split('/').includes('..')) errs.push(fieldInvalid(path, value, "must not contain '..'"));
  return errs;
}

function validateProbes(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = c[key];
    if (!probe) continue;
    const p = child(path, key);
    if (ctx.init && c.restartPolicy !== 'Always') {
      errs.push(fieldForbidden(p, 'may not be set for init containers without restartPolicy=Always'));
      continue;
    }
    errs.push(...validateProbe(probe, p));
    if (key !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      errs.push(fieldInvalid(child(p, 'successThreshold'), probe.successThreshold, 'must be 1'));
    }
  }
  return errs;
}

function validateProbe(probe: Probe, path: string): FieldError[] {
  const errs = validateHandler(probe, path);
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = probe[key];
    if (v !== undefined) errs.push(...validateNonnegative(v, child(path, key)));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(fieldInvalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

/** validateHandler: exactly one of exec, httpGet, tcpSocket, grpc, sleep, each well formed. */
function validateHandler(h: Probe & LifecycleHandler, path: string, gracePeriod?: number): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  const one = (key: string, check: () => FieldError[]) => {
    if (handlers > 0) errs.push(fieldForbidden(child(path, key), 'may not specify more than 1 handler type'));
    else {
      handlers++;
      errs.push(...check());
    }
  };
  if (h.exec) one('exec', () => ((h.exec!.command ?? []).length === 0 ? [fieldRequired(child(child(path, 'exec'), 'command'))] : []));
  if (h.httpGet) {
    one('httpGet', () => {
      const p = child(path, 'httpGet');
      const out = validatePortNumOrName(h.httpGet!.port, child(p, 'port'));
      const scheme = h.httpGet!.scheme;
      if (scheme && !HTTP_SCHEMES.includes(scheme)) out.push(fieldNotSupported(child(p, 'scheme'), scheme, HTTP_SCHEMES));
      return out;
    });
  }
  if (h.tcpSocket) one('tcpSocket', () => validatePortNumOrName(h.tcpSocket!.port, child(child(path, 'tcpSocket'), 'port')));
  if (h.grpc) one('grpc', () => validatePortNumOrName(h.grpc!.port ?? 0, child(child(path, 'grpc'), 'port')));
  if (h.sleep) {
    one('sleep', () => validateSleepAction(h.sleep!.seconds ?? 0, gracePeriod, child(path, 'sleep')));
  }
  if (handlers === 0) errs.push(fieldRequired(path, 'must specify a handler type'));
  return errs;
}

/**
 * validateSleepAction (Kubernetes 1.31, before PodLifecycleSleepActionAllowZero): more than 0 and
 * at most the grace period. Without a grace period (an invalid one is reported elsewhere) any
 * positive value passes.
 */
function validateSleepAction(seconds: number, gracePeriod: number | undefined, path: string): FieldError[] {
  if (seconds > 0 && (gracePeriod === undefined || seconds <= gracePeriod)) return [];
  const limit = gracePeriod === undefined ? '' : ` (${gracePeriod})`;
  return [fieldInvalid(path, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds${limit}`)];
}

/** ValidatePortNumOrName: a number 1-65535 or an IANA service name. */
export function validatePortNumOrName(port: IntOrString | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => fieldInvalid(path, port, msg));
  return isValidPortNum(port ?? 0).map((msg) => fieldInvalid(path, port ?? 0, msg));
}

/** ValidateResourceRequirements: resource names, quantities, and requests within limits. */
export function validateResources(res: ResourceRequirements | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = res?.limits ?? {};
  const parsedLimits = new Map<string, number>();
  for (const [name, raw] of Object.entries(limits)) {
    const p = index(child(path, 'limits'), name);
    errs.push(...validateContainerResourceName(name, p));
    const q = validateQuantityValue(name, raw, p, errs);
    if (q !== undefined) parsedLimits.set(name, q);
  }
  for (const [name, raw] of Object.entries(res?.requests ?? {})) {
    const p = index(child(path, 'requests'), name);
    errs.push(...validateContainerResourceName(name, p));
    const q = validateQuantityValue(name, raw, p, errs);
    const limit = parsedLimits.get(name);
    if (q === undefined) continue;
    if (limit !== undefined) {
      if (!overcommitAllowed(name) && q !== limit) {
        errs.push(fieldInvalid(child(path, 'requests'), String(raw), `must be equal to ${name} limit of ${limits[name]}`));
      } else if (q > limit) {
        errs.push(fieldInvalid(child(path, 'requests'), String(raw), `must be less than or equal to ${name} limit of ${limits[name]}`));
      }
    } else if (!overcommitAllowed(name)) {
      errs.push(fieldRequired(child(path, 'limits'), 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

function overcommitAllowed(name: string): boolean {
  return !name.startsWith('hugepages-') && !isExtendedResource(name);
}

function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** Parses a resource quantity, reporting syntax errors, negatives and non-integers. */
export function validateQuantityValue(name: string, raw: string | number, path: string, errs: FieldError[]): number | undefined {
  const q = parseQuantity(raw);
  if (q === undefined) {
    errs.push(fieldInvalid(path, raw, QUANTITY_REGEX_MESSAGE));
    return undefined;
  }
  if (q < 0) errs.push(fieldInvalid(path, raw, 'must be greater than or equal to 0'));
  if (isExtendedResource(name) && !Number.isInteger(q)) errs.push(fieldInvalid(path, raw, 'must be an integer'));
  return q;
}

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
  if (!name.includes('/')) {
    if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !name.startsWith('hugepages-')) {
      errs.push(fieldInvalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!name.includes('kubernetes.io/') && name.startsWith('requests.')) {
    errs.push(fieldInvalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}
