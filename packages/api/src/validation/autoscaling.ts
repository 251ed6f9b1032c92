/**
 * HorizontalPodAutoscaler (autoscaling/v2 rules; a v1 object is checked in its v2 form, as
 * Kubernetes validates the internal version) and PodDisruptionBudget validation.
 */
import type { FieldError } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import type {
  CrossVersionObjectReference,
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  HPAScalingRules,
  MetricIdentifier,
  MetricSpec,
  MetricTarget,
} from '../types/autoscaling.js';
import type { PodDisruptionBudget } from '../types/policy.js';
import { child, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, index } from './errors.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { validateIntOrPercent, validateNotMoreThan100Percent } from './workloads.js';

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** ValidateHorizontalPodAutoscaler (v2 shape), and with `old` the metadata update rules. */
export function validateHpa(hpa: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): FieldError[] {
  const errs = validateObjectMeta(hpa.metadata, isDNS1123Subdomain, true);
  errs.push(...validateHpaSpec(hpa.spec ?? ({} as HorizontalPodAutoscalerSpec), 'spec'));
  if (old) errs.push(...validateObjectMetaUpdate(hpa.metadata, old.metadata));
  return errs;
}

function validateHpaSpec(spec: HorizontalPodAutoscalerSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const max = spec.maxReplicas ?? 0;
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) errs.push(fieldInvalid(child(path, 'minReplicas'), spec.minReplicas, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(fieldInvalid(child(path, 'maxReplicas'), max, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && max < spec.minReplicas) {
    errs.push(fieldInvalid(child(path, 'maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  }
  errs.push(...validateObjectRef(spec.scaleTargetRef, child(path, 'scaleTargetRef')));
  (spec.metrics ?? []).forEach((m, i) => errs.push(...validateMetricSpec(m, index(child(path, 'metrics'), i))));
  if (spec.behavior) {
    for (const key of ['scaleUp', 'scaleDown'] as const) {
      const rules = spec.behavior[key];
      if (rules) errs.push(...validateScalingRules(rules, child(child(path, 'behavior'), key)));
    }
  }
  return errs;
}

/** IsValidPathSegmentName: not `.` or `..`, no `/` or `%`. */
function pathSegmentErrors(name: string): string[] {
  const errs: string[] = [];
  if (name === '.' || name === '..') errs.push(`may not be '${name}'`);
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

function validateObjectRef(ref: CrossVersionObjectReference | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name'] as const) {
    const value = ref?.[key];
    if (!value) errs.push(fieldRequired(child(path, key)));
    else for (const msg of pathSegmentErrors(value)) errs.push(fieldInvalid(child(path, key), value, msg));
  }
  return errs;
}

const SOURCE_OF_TYPE: Record<string, keyof MetricSpec> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};

function validateMetricSpec(m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!m.type) errs.push(fieldRequired(child(path, 'type'), 'must specify a metric source type'));
  if (!METRIC_TYPES.includes(m.type ?? '')) errs.push(fieldNotSupported(child(path, 'type'), m.type ?? '', METRIC_TYPES));
  const expected = SOURCE_OF_TYPE[m.type ?? ''];
  const present = (['object', 'external', 'pods', 'resource', 'containerResource'] as const).filter((k) => m[k] !== undefined);
  if (present.length >= 1) errs.push(...validateSource(m, present[0], child(path, present[0])));
  if (expected && m[expected] === undefined) errs.push(fieldRequired(child(path, expected), 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const k of present) if (k !== expected) errs.push(fieldForbidden(child(path, k), 'must populate the given metric source only'));
  }
  return errs;
}

function validateSource(m: MetricSpec, key: 'object' | 'external' | 'pods' | 'resource' | 'containerResource', path: string): FieldError[] {
  const errs: FieldError[] = [];
  const src = m[key] as { name?: string; container?: string; metric?: MetricIdentifier; target?: MetricTarget; describedObject?: CrossVersionObjectReference };
  const target = src.target ?? ({} as MetricTarget);
  const tPath = child(path, 'target');
  if (key === 'resource' || key === 'containerResource') {
    if (!src.name) errs.push(fieldRequired(child(path, 'name'), 'must specify a resource name'));
    if (key === 'containerResource') {
      if (!src.container) errs.push(fieldRequired(child(path, 'container'), 'must specify a container'));
      else for (const msg of isDNS1123Label(src.container)) errs.push(fieldInvalid(child(path, 'container'), src.container, msg));
    }
  } else {
    errs.push(...validateMetricIdentifier(src.metric, child(path, 'metric')));
  }
  if (key === 'object') errs.push(...validateObjectRef(src.describedObject, child(path, 'describedObject')));
  errs.push(...validateMetricTarget(target, tPath));
  if (key === 'resource' || key === 'containerResource') {
    if (target.averageUtilization === undefined && target.averageValue === undefined) {
      errs.push(fieldRequired(child(tPath, 'averageUtilization'), 'must set either a target raw value or a target utilization'));
    } else if (target.averageUtilization !== undefined && target.averageValue !== undefined) {
      errs.push(fieldForbidden(child(tPath, 'averageValue'), 'may not set both a target raw value and a target utilization'));
    }
  } else if (key === 'pods') {
    if (target.averageValue === undefined) errs.push(fieldRequired(child(tPath, 'averageValue'), 'must specify a positive target averageValue'));
  } else if (key === 'object') {
    if (target.value === undefined && target.averageValue === undefined) errs.push(fieldRequired(child(tPath, 'averageValue'), 'must set either a target value or averageValue'));
  } else if (target.value === undefined && target.averageValue === undefined) {
    errs.push(fieldRequired(child(tPath, 'averageValue'), 'must set either a target value for metric or a per-pod target'));
  } else if (target.value !== undefined && target.averageValue !== undefined) {
    errs.push(fieldForbidden(child(tPath, 'value'), 'may not set both a target value for metric and a per-pod target'));
  }
  return errs;
}

function validateMetricIdentifier(id: MetricIdentifier | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!id?.name) errs.push(fieldRequired(child(path, 'name'), 'must specify a metric name'));
  else for (const msg of pathSegmentErrors(id.name)) errs.push(fieldInvalid(child(path, 'name'), id.name, msg));
  errs.push(...validateLabelSelector(id?.selector, child(path, 'selector')));
  return errs;
}

function validateMetricTarget(t: MetricTarget, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!t.type) errs.push(fieldRequired(child(path, 'type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(t.type ?? '')) {
    errs.push(fieldInvalid(child(path, 'type'), t.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  }
  for (const key of ['value', 'averageValue'] as const) {
    const raw = t[key];
    if (raw !== undefined && !((parseQuantity(raw) ?? 0) > 0)) errs.push(fieldInvalid(child(path, key), raw, 'must be positive'));
  }
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) {
    errs.push(fieldInvalid(child(path, 'averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateScalingRules(rules: HPAScalingRules, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && window < 0) errs.push(fieldInvalid(child(path, 'stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(fieldInvalid(child(path, 'stabilizationWindowSeconds'), window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy)) {
    errs.push(fieldNotSupported(child(path, 'selectPolicy'), rules.selectPolicy, SELECT_POLICIES));
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(fieldRequired(child(path, 'policies'), 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = index(child(path, 'policies'), i);
    if (!POLICY_TYPES.includes(p.type ?? '')) errs.push(fieldNotSupported(child(pp, 'type'), p.type ?? '', POLICY_TYPES));
    if ((p.value ?? 0) <= 0) errs.push(fieldInvalid(child(pp, 'value'), p.value ?? 0, 'must be greater than zero'));
    const period = p.periodSeconds ?? 0;
    if (period <= 0) errs.push(fieldInvalid(child(pp, 'periodSeconds'), period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(fieldInvalid(child(pp, 'periodSeconds'), period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** ValidatePodDisruptionBudget: not both minAvailable and maxUnavailable, each an int or percent. */
export function validatePdb(pdb: PodDisruptionBudget, old?: PodDisruptionBudget): FieldError[] {
  const errs = validateObjectMeta(pdb.metadata, isDNS1123Subdomain, true);
  const spec = pdb.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(fieldInvalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    errs.push(...validateIntOrPercent(spec[key], child('spec', key)));
    errs.push(...validateNotMoreThan100Percent(spec[key], child('spec', key)));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !['AlwaysAllow', 'IfHealthyBudget'].includes(policy)) {
    errs.push(fieldNotSupported('spec.unhealthyPodEvictionPolicy', policy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  if (old) errs.push(...validateObjectMetaUpdate(pdb.metadata, old.metadata));
  return errs;
}
