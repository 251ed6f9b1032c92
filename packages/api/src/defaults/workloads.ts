/**
 * Workload defaulting: apps/v1 Deployment and ReplicaSet, batch/v1 Job (SetDefaults_* plus the
 * Job create strategy's generated selector). Pod templates get the pod spec defaults.
 */
import { child, defaultPtr, defaultStr, isObj, unset, type Obj } from './json.js';
import { defaultPodSpec } from './pod.js';

/** Defaults the pod spec of `spec.template`, when there is one. */
function defaultTemplate(spec: Obj): void {
  const template = child(spec, 'template');
  const podSpec = template && child(template, 'spec');
  if (podSpec) defaultPodSpec(podSpec);
}

/** SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, 10 revisions, 600s deadline. */
export function defaultDeployment(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (!spec) return;
  defaultPtr(spec, 'replicas', 1);
  // kubectl sends `strategy: {}`, which must default exactly like an absent strategy
  const strategy = child(spec, 'strategy', true);
  if (strategy) {
    defaultStr(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate', true);
      if (rollingUpdate) {
        defaultPtr(rollingUpdate, 'maxUnavailable', '25%');
        defaultPtr(rollingUpdate, 'maxSurge', '25%');
      }
    }
  }
  defaultPtr(spec, 'revisionHistoryLimit', 10);
  defaultPtr(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(spec);
}

/** SetDefaults_ReplicaSet: replicas 1. */
export function defaultReplicaSet(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (!spec) return;
  defaultPtr(spec, 'replicas', 1);
  defaultTemplate(spec);
}

/**
 * SetDefaults_Job, and the selector the Job strategy generates on create when manualSelector
 * is not true: template labels `controller-uid`/`batch.kubernetes.io/controller-uid` (the uid)
 * and `job-name`/`batch.kubernetes.io/job-name`, and a selector on the controller uid. The
 * Job's own labels become the template's when it has none.
 */
export function defaultJob(obj: Obj): void {
  const spec = child(obj, 'spec', true);
  if (!spec) return;
  if (unset(spec.completions) && unset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultPtr(spec, 'parallelism', 1);
  defaultPtr(spec, 'backoffLimit', unset(spec.backoffLimitPerIndex) ? 6 : 2147483647);
  defaultPtr(spec, 'completionMode', 'NonIndexed');
  defaultPtr(spec, 'suspend', false);
  defaultPtr(spec, 'podReplacementPolicy', unset(spec.podFailurePolicy) ? 'TerminatingOrFailed' : 'Failed');
  defaultTemplate(spec);
  const meta = child(obj, 'metadata', true);
  if (meta && spec.manualSelector !== true) generateSelector(meta, spec);
  const templateLabels = child(child(spec, 'template') ?? {}, 'metadata');
  if (meta && templateLabels && isObj(templateLabels.labels) && (unset(meta.labels) || isEmpty(meta.labels))) {
    meta.labels = { ...templateLabels.labels };
  }
}

function generateSelector(meta: Obj, spec: Obj): void {
  if (typeof meta.uid !== 'string' || meta.uid === '') return;
  const template = child(spec, 'template', true);
  const templateMeta = template && child(template, 'metadata', true);
  const labels = templateMeta && child(templateMeta, 'labels', true);
  const selector = child(spec, 'selector', true);
  const matchLabels = selector && child(selector, 'matchLabels', true);
  if (!labels || !matchLabels) return;
  const name = typeof meta.name === 'string' ? meta.name : '';
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) if (!(key in labels)) labels[key] = name;
  for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) if (!(key in labels)) labels[key] = meta.uid;
  if (!('batch.kubernetes.io/controller-uid' in matchLabels)) matchLabels['batch.kubernetes.io/controller-uid'] = meta.uid;
}

function isEmpty(v: unknown): boolean {
  return isObj(v) && Object.keys(v).length === 0;
}
