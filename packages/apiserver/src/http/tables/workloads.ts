/**
 * Printers of the workload kinds: Deployment, ReplicaSet (apps) and Job (batch).
 */
import { humanDuration } from '@kubesim/api';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  age,
  column,
  conditionStatus,
  containerCells,
  formatSelector,
  spec,
  status,
  type ContainerLike,
  type LabelSelectorLike,
  type Printer,
} from './helpers.js';

interface WorkloadSpec {
  replicas: number;
  selector: LabelSelectorLike;
  template: { spec?: { containers?: ContainerLike[] } };
}

interface WorkloadStatus {
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
}

const selectorColumn = (description: string) => column('Selector', 'string', description, { wide: true });

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  cells(d, now) {
    const sp = spec<WorkloadSpec>(d);
    const st = status<WorkloadStatus>(d);
    const [names, images] = containerCells(sp.template?.spec?.containers);
    return [
      d.metadata?.name ?? '',
      `${st.readyReplicas ?? 0}/${sp.replicas ?? 1}`,
      st.updatedReplicas ?? 0,
      st.availableReplicas ?? 0,
      age(d, now),
      names,
      images,
      formatSelector(sp.selector),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Replicas is the number of desired pods.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
    column('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('Selector is a label query over pods that should match the replica count.'),
  ],
  cells(rs, now) {
    const sp = spec<WorkloadSpec>(rs);
    const st = status<WorkloadStatus>(rs);
    const [names, images] = containerCells(sp.template?.spec?.containers);
    return [rs.metadata?.name ?? '', sp.replicas ?? 1, st.replicas ?? 0, st.readyReplicas ?? 0, age(rs, now), names, images, formatSelector(sp.selector)];
  },
};

interface JobSpec extends WorkloadSpec {
  completions: number;
  parallelism: number;
}

interface JobStatus {
  succeeded: number;
  startTime: string;
  completionTime: string;
  conditions: { type?: string; status?: string }[];
}

/** `printJob`'s Status cell: the first true condition of Complete, Failed, (deleting), Suspended, FailureTarget. */
function jobState(conditions: JobStatus['conditions'] | undefined, deleting: boolean): string {
  if (conditionStatus(conditions, 'Complete') === 'True') return 'Complete';
  if (conditionStatus(conditions, 'Failed') === 'True') return 'Failed';
  if (deleting) return 'Terminating';
  if (conditionStatus(conditions, 'Suspended') === 'True') return 'Suspended';
  if (conditionStatus(conditions, 'FailureTarget') === 'True') return 'FailureTarget';
  return 'Running';
}

function jobCompletions(sp: Partial<JobSpec>, succeeded: number): string {
  if (sp.completions !== undefined && sp.completions !== null) return `${succeeded}/${sp.completions}`;
  const parallelism = sp.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(st: Partial<JobStatus>, now: Date): string {
  if (!st.startTime) return '';
  const end = st.completionTime ? Date.parse(st.completionTime) : now.getTime();
  return humanDuration(end - Date.parse(st.startTime));
}

export const jobPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('A label query over pods that should match the pod count.'),
  ],
  cells(job, now) {
    const sp = spec<JobSpec>(job);
    const st = status<JobStatus>(job);
    const [names, images] = containerCells(sp.template?.spec?.containers);
    return [
      job.metadata?.name ?? '',
      jobState(st.conditions, !!job.metadata?.deletionTimestamp),
      jobCompletions(sp, st.succeeded ?? 0),
      jobDuration(st, now),
      age(job, now),
      names,
      images,
      formatSelector(sp.selector),
    ];
  },
};
