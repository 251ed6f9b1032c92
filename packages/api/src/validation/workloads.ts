/**
 * Workload validation: apps/v1 Deployment and ReplicaSet, batch/v1 Job, with their update
 * rules (immutable selectors, the Job's immutable template).
 */
import type { FieldError } from '../errors.js';
import type { Deployment, DeploymentStrategy, ReplicaSet } from '../types/apps.js';
import type { Job, JobSpec } from '../types/batch.js';
import type { IntOrString, LabelSelector } from '../types/common.js';
import type { PodTemplateSpec } from '../types/core.js';
import { child, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, index } from './errors.js';
import {
  selectorIsEmpty,
  selectorIsValid,
  selectorMatches,
  semanticEqual,
  validateImmutable,
  validateLabelSelector,
  validateNonnegative,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './meta.js';
import { isDNS1123Subdomain, isValidPercent } from './names.js';
import { validatePodTemplate } from './pod.js';

const DEPLOYMENT_STRATEGIES = ['Recreate', 'RollingUpdate'];

/** ValidateDeployment, and with `old` ValidateDeploymentUpdate (apps/v1: selector immutable). */
export function validateDeployment(d: Deployment, old?: Deployment): FieldError[] {
  const errs = validateObjectMeta(d.metadata, isDNS1123Subdomain, true);
  const spec = d.spec ?? ({} as Partial<NonNullable<Deployment['spec']>>);
  errs.push(...validateReplicated(spec.replicas, spec.selector, spec.template, 'spec'));
  errs.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  const minReady = spec.minReadySeconds ?? 0;
  errs.push(...validateNonnegative(minReady, 'spec.minReadySeconds'));
  if (spec.revisionHistoryLimit !== undefined) errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonnegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= minReady) {
      errs.push(fieldInvalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) {
    errs.push(...validateObjectMetaUpdate(d.metadata, old.metadata));
    errs.push(...validateImmutable(spec.selector, old.spec?.selector, 'spec.selector'));
  }
  return errs;
}

/** ValidateReplicaSet, and with `old` the update rules (apps/v1: selector immutable). */
export function validateReplicaSet(rs: ReplicaSet, old?: ReplicaSet): FieldError[] {
  const errs = validateObjectMeta(rs.metadata, isDNS1123Subdomain, true);
  const spec = rs.spec ?? ({} as Partial<NonNullable<ReplicaSet['spec']>>);
  errs.push(...validateReplicated(spec.replicas, spec.selector, spec.template, 'spec'));
  errs.push(...validateNonnegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  if (old) {
    errs.push(...validateObjectMetaUpdate(rs.metadata, old.metadata));
    errs.push(...validateImmutable(spec.selector, old.spec?.selector, 'spec.selector'));
  }
  return errs;
}

/** What Deployment and ReplicaSet share: replicas, a non-empty selector matching the template. */
function validateReplicated(replicas: number | undefined, selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(replicas ?? 0, child(path, 'replicas')));
  const selPath = child(path, 'selector');
  if (!selector) errs.push(fieldRequired(selPath));
  else {
    errs.push(...validateLabelSelector(selector, selPath));
    if (selectorIsEmpty(selector)) errs.push(fieldInvalid(selPath, selector, 'empty selector is invalid for deployment'));
  }
  if (selector && !selectorIsValid(selector)) {
    errs.push(fieldInvalid(selPath, selector, 'invalid label selector'));
    return errs;
  }
  const tPath = child(path, 'template');
  // a missing selector selects nothing, so it cannot match the template either
  if (!selector || !selectorIsEmpty(selector)) {
    const labels = template?.metadata?.labels;
    if (!selector || !selectorMatches(selector, labels)) {
      errs.push(fieldInvalid(child(child(tPath, 'metadata'), 'labels'), labels ?? null, '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validatePodTemplate(template, tPath));
  const podSpec = template?.spec;
  if (podSpec?.restartPolicy !== undefined && podSpec.restartPolicy !== 'Always') {
    errs.push(fieldNotSupported(child(tPath, 'spec.restartPolicy'), podSpec.restartPolicy, ['Always']));
  }
  if (podSpec?.activeDeadlineSeconds !== undefined) {
    errs.push(fieldInvalid(child(tPath, 'spec.activeDeadlineSeconds'), podSpec.activeDeadlineSeconds, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

function validateStrategy(strategy: DeploymentStrategy | undefined, path: string): FieldError[] {
  const s = strategy ?? {};
  if (s.type === 'Recreate') {
    return s.rollingUpdate ? [fieldForbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (s.type !== 'RollingUpdate' && s.type !== undefined) return [fieldNotSupported(path, s, DEPLOYMENT_STRATEGIES)];
  const ru = s.rollingUpdate;
  if (!ru) return [];
  const p = child(path, 'rollingUpdate');
  const errs = [...validateIntOrPercent(ru.maxUnavailable, child(p, 'maxUnavailable')), ...validateIntOrPercent(ru.maxSurge, child(p, 'maxSurge'))];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(fieldInvalid(child(p, 'maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, child(p, 'maxUnavailable')));
  return errs;
}

/** ValidatePositiveIntOrPercent: a non-negative count or a `N%` string. */
export function validateIntOrPercent(value: IntOrString | undefined, path: string): FieldError[] {
  if (typeof value === 'string') return isValidPercent(value).map((msg) => fieldInvalid(path, value, msg));
  return value === undefined ? [] : validateNonnegative(value, path);
}

/** IsNotMoreThan100Percent: a percentage above 100% is invalid. */
export function validateNotMoreThan100Percent(value: IntOrString | undefined, path: string): FieldError[] {
  if (typeof value !== 'string' || isValidPercent(value).length > 0) return [];
  return parseInt(value, 10) > 100 ? [fieldInvalid(path, value, 'must not be greater than 100%')] : [];
}

/** getIntOrPercentValue: the number of a count or a percentage, 0 for anything else. */
function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const n = parseInt(value, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** ValidateJob, and with `old` ValidateJobUpdate. */
export function validateJob(job: Job, old?: Job): FieldError[] {
  const errs = validateObjectMeta(job.metadata, isDNS1123Subdomain, true);
  const spec = job.spec ?? ({} as JobSpec);
  errs.push(...validateJobSpec(spec));
  errs.push(...validateGeneratedSelector(job, spec));
  if (old) {
    errs.push(...validateObjectMetaUpdate(job.metadata, old.metadata));
    errs.push(...validateJobSpecUpdate(spec, old.spec ?? ({} as JobSpec)));
  }
  return errs;
}

function validateJobSpec(spec: JobSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'] as const) {
    const v = spec[key];
    if (v !== undefined) errs.push(...validateNonnegative(v, child('spec', key)));
  }
  if (spec.completionMode !== undefined) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      errs.push(fieldNotSupported('spec.completionMode', spec.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (spec.completionMode === 'Indexed' && spec.completions === undefined) {
      errs.push(fieldRequired('spec.completions', 'when completion mode is Indexed'));
    }
  }
  if (spec.podReplacementPolicy !== undefined && !['TerminatingOrFailed', 'Failed'].includes(spec.podReplacementPolicy)) {
    errs.push(fieldNotSupported('spec.podReplacementPolicy', spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
  }
  if (!spec.selector) errs.push(fieldRequired('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const labels = spec.template?.metadata?.labels;
  if (!spec.selector || (selectorIsValid(spec.selector) && !selectorMatches(spec.selector, labels))) {
    errs.push(fieldInvalid('spec.template.metadata.labels', labels ?? null, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(spec.template, 'spec.template'));
  const restartPolicy = spec.template?.spec?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(fieldNotSupported('spec.template.spec.restartPolicy', restartPolicy ?? '', ['OnFailure', 'Never']));
  }
  return errs;
}

/** Without manualSelector, the selector and labels must be the ones generated from the uid. */
function validateGeneratedSelector(job: Job, spec: JobSpec): FieldError[] {
  const uid = job.metadata?.uid;
  if (spec.manualSelector === true || !uid) return [];
  const errs: FieldError[] = [];
  const labels = spec.template?.metadata?.labels ?? {};
  const expect = (key: string, value: string) => {
    const p = index('spec.template.metadata.labels', key);
    if (!(key in labels)) errs.push(fieldRequired(p, value));
    else if (labels[key] !== value) errs.push(fieldInvalid(p, labels, `must be '${value}'`));
  };
  expect('controller-uid', uid);
  expect('job-name', job.metadata.name ?? '');
  expect('batch.kubernetes.io/controller-uid', uid);
  expect('batch.kubernetes.io/job-name', job.metadata.name ?? '');
  const sel = spec.selector;
  const generated = semanticEqual(sel, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  if (sel && !generated) errs.push(fieldInvalid('spec.selector', sel, '`selector` not auto-generated'));
  return errs;
}

const JOB_SCHEDULING_FIELDS = ['nodeSelector', 'tolerations', 'affinity', 'schedulingGates'] as const;

function validateJobSpecUpdate(spec: JobSpec, old: JobSpec): FieldError[] {
  const errs: FieldError[] = [];
  const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && old.completions === old.parallelism;
  if (!elastic) errs.push(...validateImmutable(spec.completions, old.completions, 'spec.completions'));
  errs.push(...validateImmutable(spec.selector, old.selector, 'spec.selector'));
  for (const key of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy', 'podReplacementPolicy'] as const) {
    errs.push(...validateImmutable(spec[key], old[key], child('spec', key)));
  }
  // a suspended job may still have its scheduling directives changed before it starts
  let template = spec.template;
  if (old.suspend === true && template && old.template) {
    template = structuredClone(template);
    const next = template.spec ?? { containers: [] };
    for (const key of JOB_SCHEDULING_FIELDS) (next as unknown as Record<string, unknown>)[key] = old.template.spec?.[key];
    template.metadata = { ...template.metadata, labels: old.template.metadata?.labels, annotations: old.template.metadata?.annotations };
  }
  errs.push(...validateImmutable(template, old.template, 'spec.template'));
  return errs;
}
