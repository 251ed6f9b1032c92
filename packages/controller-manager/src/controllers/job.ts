/**
 * The Job controller (pkg/controller/job, NonIndexed completion mode): runs pods until
 * `completions` of them succeeded, at most `parallelism` at once; replaces failed pods after a
 * growing backoff; fails the Job when failures pass `backoffLimit` (BackoffLimitExceeded) or it
 * runs past `activeDeadlineSeconds` (DeadlineExceeded); and keeps status active / succeeded /
 * failed / ready, startTime, completionTime and the Complete/Failed conditions.
 */
import {
  Controller,
  TerminalError,
  clone,
  findResource,
  isReason,
  labelSelectorFromObject,
  objectKey,
  type DeepReadonly,
  type EventRecorder,
  type Informer,
  type Job,
  type JobStatus,
  type LabelSelectorMatcher,
  type Pod,
  type ReconcileResult,
  type ResourceClient,
} from '@kubesim/api';
import { claimObjects, controllerOf } from '../controller-ref.js';
import { Expectations } from '../expectations.js';
import { OWNER_UID_INDEX } from '../informers.js';
import {
  JOB_REASONS,
  backoffLimit,
  failureBackoffMs,
  jobComplete,
  jobCondition,
  jobFinished,
  msUntilActiveDeadline,
  pastActiveDeadline,
  pastBackoffLimitOnFailure,
  wantActive,
} from '../job-policy.js';
import { podsToDelete } from '../pod-ranking.js';
import { formatTime, isPodActive, isPodReady } from '../pods.js';
import { slowStartBatch } from '../slow-start.js';
import { canonicalJson } from '../canonical-json.js';
import { recorderFor, type ControllerContext, type ManagedController } from './context.js';
import { PodControl } from './pod-control.js';

const JOBS = findResource('batch', 'v1', 'jobs')!;
const PODS = findResource('', 'v1', 'pods')!;

type JobView = DeepReadonly<Job>;
type PodView = DeepReadonly<Pod>;

/** The counts one sync arrives at. */
interface Tally {
  /** Active pods seen in the cache... */
  active: PodView[];
  /** ...plus those created in this sync, not yet seen. */
  created: number;
  succeeded: number;
  failed: number;
}

/** Registers its handlers on construction; `run` starts its workers. */
export class JobController implements ManagedController {
  readonly name = 'job';
  readonly runner: Controller;
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private readonly expectations: Expectations;

  constructor(private readonly ctx: ControllerContext) {
    this.jobs = ctx.informers.informer<Job>(JOBS);
    this.pods = ctx.informers.informer<Pod>(PODS);
    ctx.informers.ensureIndex(PODS, OWNER_UID_INDEX);
    this.jobClient = ctx.client.resource<Job>(JOBS);
    this.podClient = ctx.client.resource<Pod>(PODS);
    this.recorder = recorderFor(ctx, 'job-controller');
    this.podControl = new PodControl(this.podClient, this.recorder, 'batch/v1', 'Job');
    this.expectations = new Expectations(ctx.clock, ctx.settings.expectationsTtlMs);
    this.runner = new Controller({
      name: 'job-controller',
      reconcile: (key) => this.reconcile(key),
      workers: ctx.settings.workers.job,
      clock: ctx.clock,
      log: ctx.log('job-controller'),
    });
    this.jobs.addEventHandler({
      onAdd: (j) => this.runner.enqueue(objectKey(j)),
      onUpdate: (_old, cur) => this.runner.enqueue(objectKey(cur)),
      onDelete: (j) => {
        this.expectations.delete(objectKey(j));
        this.runner.enqueue(objectKey(j));
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => (p.metadata.deletionTimestamp ? this.podGone(p) : this.podSeen(p, true)),
      onUpdate: (old, cur) => {
        if (cur.metadata.deletionTimestamp) return this.podGone(cur);
        if (controllerOf(old.metadata)?.uid !== controllerOf(cur.metadata)?.uid) this.podSeen(old, false);
        this.podSeen(cur, false);
      },
      onDelete: (p) => this.podGone(p),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runner.start(signal);
  }

  /** Syncs one Job: its pods, its status, its end. */
  async reconcile(key: string): Promise<void | ReconcileResult> {
    const job = this.jobs.get(key);
    if (!job) {
      this.expectations.delete(key);
      return;
    }
    if (jobFinished(job)) return;
    const now = this.ctx.clock.now();
    const status: JobStatus = clone((job.status ?? {}) as JobStatus);
    status.startTime ??= formatTime(now);
    const view = { ...job, status } as JobView;
    const needsSync = this.expectations.satisfied(key);
    const pods = await this.claimPods(job);
    const tally: Tally = {
      active: pods.filter(isPodActive),
      created: 0,
      succeeded: pods.filter((p) => p.status?.phase === 'Succeeded').length,
      failed: pods.filter((p) => p.status?.phase === 'Failed').length,
    };
    let requeue = msUntilActiveDeadline(view, now);
    const failure = this.failureOf(view, tally, pods, now);
    if (failure) {
      await this.deleteAll(key, job, tally.active);
      tally.active = [];
    } else if (needsSync && !job.metadata.deletionTimestamp) {
      const wait = await this.manage(key, job, tally, pods, now);
      if (wait > 0) requeue = Math.min(requeue ?? wait, wait);
    }
    this.finish(job, status, tally, failure, now);
    await this.writeStatus(job, status);
    return requeue === undefined || jobFinished({ ...job, status } as JobView) ? undefined : { requeueAfterMs: requeue + 1 };
  }

  /** The Failed condition's reason and message if the Job has failed now, else undefined. */
  private failureOf(job: JobView, tally: Tally, pods: readonly PodView[], now: number): { reason: string; message: string } | undefined {
    if (tally.failed > backoffLimit(job) || pastBackoffLimitOnFailure(job, pods)) {
      return { reason: JOB_REASONS.backoffLimitExceeded, message: 'Job has reached the specified backoff limit' };
    }
    if (pastActiveDeadline(job, now)) return { reason: JOB_REASONS.deadlineExceeded, message: 'Job was active longer than specified deadline' };
    return undefined;
  }

  /**
   * Creates or deletes pods so `wantActive` run (manageJob). Returns how long the failure
   * backoff still holds back creations (0 when it does not).
   */
  private async manage(key: string, job: JobView, tally: Tally, pods: readonly PodView[], now: number): Promise<number> {
    const want = job.spec?.suspend ? 0 : wantActive(job, tally.succeeded, tally.active.length);
    const excess = tally.active.length - want;
    if (excess > 0) {
      const victims = podsToDelete(tally.active, tally.active, excess);
      await this.deleteAll(key, job, victims);
      tally.active = tally.active.filter((p) => !victims.includes(p));
      return 0;
    }
    if (excess === 0) return 0;
    const wait = failureBackoffMs(pods, now, this.ctx.settings.jobBackoffBaseMs, this.ctx.settings.jobBackoffMaxMs);
    if (wait > 0) return wait;
    const count = Math.min(-excess, this.ctx.settings.burstReplicas);
    this.expectations.expectCreations(key, count);
    const { successes, error } = await slowStartBatch(count, 1, async () => {
      if ((await this.podControl.create(job, job.spec?.template)) === 'namespaceTerminating') this.expectations.creationObserved(key);
    });
    for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
    tally.created = successes;
    if (error !== undefined) throw error;
    return 0;
  }

  /** Fills in the counts, and the Complete or Failed condition when the Job ended now. */
  private finish(job: JobView, status: JobStatus, tally: Tally, failure: { reason: string; message: string } | undefined, now: number): void {
    const active = tally.active.length + tally.created;
    status.active = active;
    status.succeeded = tally.succeeded;
    status.failed = tally.failed;
    status.ready = tally.active.filter(isPodReady).length;
    if (failure) {
      status.conditions = [...(status.conditions ?? []), jobCondition('Failed', failure.reason, failure.message, now)];
      void this.recorder.record(job, 'Warning', failure.reason, failure.message);
    } else if (jobComplete(job, tally.succeeded, active)) {
      status.conditions = [...(status.conditions ?? []), jobCondition('Complete', JOB_REASONS.completionsReached, 'Reached expected number of succeeded pods', now)];
      status.completionTime = formatTime(now);
      void this.recorder.record(job, 'Normal', 'Completed', 'Job completed');
    }
  }

  private async writeStatus(job: JobView, status: JobStatus): Promise<void> {
    const compact = compactJobStatus(status);
    if (canonicalJson(compactJobStatus((job.status ?? {}) as JobStatus)) === canonicalJson(compact)) return;
    await this.jobClient.updateStatus({ ...(clone(job) as Job), status: compact });
  }

  /** The pods this Job owns (all phases), after adopting matching orphans and releasing strays. */
  private async claimPods(job: JobView): Promise<PodView[]> {
    const selector = this.selectorOf(job);
    const ns = job.metadata.namespace!;
    const candidates = new Map<string, PodView>();
    for (const p of this.pods.byIndex(OWNER_UID_INDEX, job.metadata.uid!)) candidates.set(objectKey(p), p);
    if (selector.requirements.length > 0) for (const p of this.pods.byLabelSelector(selector, ns)) candidates.set(objectKey(p), p);
    return claimObjects<Pod>([...candidates.values()].filter((p) => p.metadata.namespace === ns), {
      client: this.podClient,
      controller: job,
      apiVersion: 'batch/v1',
      kind: 'Job',
      matches: (p) => selector.requirements.length > 0 && selector.matches(p.metadata.labels),
      recheck: async () => {
        const fresh = await this.jobClient.get(ns, job.metadata.name!);
        if (fresh.metadata.uid !== job.metadata.uid || fresh.metadata.deletionTimestamp) throw new Error(`Job ${objectKey(job)} is gone or being deleted`);
      },
    });
  }

  private selectorOf(job: JobView): LabelSelectorMatcher {
    try {
      return labelSelectorFromObject(job.spec?.selector as never);
    } catch (err) {
      throw new TerminalError(`invalid selector of Job ${objectKey(job)}: ${(err as Error).message}`);
    }
  }

  private async deleteAll(key: string, job: JobView, victims: readonly PodView[]): Promise<void> {
    if (victims.length === 0) return;
    this.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
    let firstError: unknown;
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await this.podControl.delete(job, pod);
        } catch (err) {
          this.expectations.deletionObserved(key, objectKey(pod));
          if (!isReason(err, 'NotFound')) firstError ??= err;
        }
      }),
    );
    if (firstError !== undefined) throw firstError;
  }

  // ---- handlers ----

  private podSeen(pod: PodView, added: boolean): void {
    const job = this.controllingJob(pod);
    if (job) {
      if (added) this.expectations.creationObserved(objectKey(job));
      this.runner.enqueue(objectKey(job));
      return;
    }
    if (controllerOf(pod.metadata)) return;
    for (const j of this.jobs.byNamespace(pod.metadata.namespace ?? '')) {
      const sel = safeSelector(j);
      if (sel && sel.requirements.length > 0 && sel.matches(pod.metadata.labels)) this.runner.enqueue(objectKey(j));
    }
  }

  private podGone(pod: PodView): void {
    const job = this.controllingJob(pod);
    if (!job) return;
    this.expectations.deletionObserved(objectKey(job), objectKey(pod));
    this.runner.enqueue(objectKey(job));
  }

  private controllingJob(pod: PodView): JobView | undefined {
    const ref = controllerOf(pod.metadata);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobs.get(`${pod.metadata.namespace}/${ref.name}`);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }
}

function safeSelector(job: JobView): LabelSelectorMatcher | undefined {
  try {
    return labelSelectorFromObject(job.spec?.selector as never);
  } catch {
    return undefined;
  }
}

/** The status as upstream serializes it: zero counts left out (omitempty). */
function compactJobStatus(status: JobStatus): JobStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) {
    if (v === undefined || v === null || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as JobStatus;
}
