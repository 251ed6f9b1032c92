/**
 * batch/v1 kinds: Job.
 */
import type { KubeObject, ObjectMeta } from '../meta.js';
import type { LabelSelector, Time } from './common.js';
import type { PodTemplateSpec } from './core.js';

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  /** Stored as given; kubesim's job controller reads the parts it supports. */
  podFailurePolicy?: Record<string, unknown>;
  successPolicy?: Record<string, unknown>;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  selector?: LabelSelector;
  manualSelector?: boolean;
  template: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed' | string;
  suspend?: boolean;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed' | string;
  managedBy?: string;
}

export interface JobCondition {
  type: 'Complete' | 'Failed' | 'Suspended' | 'FailureTarget' | 'SuccessCriteriaMet' | string;
  status: 'True' | 'False' | 'Unknown' | string;
  lastProbeTime?: Time;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: Time;
  completionTime?: Time;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  ready?: number;
}

export interface Job extends KubeObject {
  apiVersion?: 'batch/v1';
  kind?: 'Job';
  metadata: ObjectMeta;
  spec?: JobSpec;
  status?: JobStatus;
}
