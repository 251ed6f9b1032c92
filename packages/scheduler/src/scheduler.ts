/**
 * The scheduler component (kube-scheduler's Scheduler + scheduleOne): informers on pods and
 * nodes feed the cache and the scheduling queue; one loop pops a pod, decides its node on the
 * cache synchronously, assumes it there and binds in the background, so the next pod is
 * decided while bindings are in flight.
 */
import { connect, type NatsConnection } from 'nats';
import {
  ApiClient,
  EventRecorder,
  findResource,
  Informer,
  LeaderElector,
  leaderIdentity,
  NatsTransport,
  objectKey,
  realClock,
  stderrLog,
  type Clock,
  type DeepReadonly,
  type LogFn,
  type Node,
  type Pod,
} from '@kubesim/api';
import { SchedulingAlgorithm } from './algorithm.js';
import { Binder } from './binder.js';
import { SchedulerCache } from './cache.js';
import { creationMs, needsScheduling, nodeSchedulingChanged, schedulingInputsChanged } from './cluster-events.js';
import { configProblems, DEFAULTS, leaseName, profileConfig, type SchedulerConfig } from './config.js';
import { DEFAULT_PROFILE } from './plugins/index.js';
import { newPodInfo, type PodInfo } from './pod-info.js';
import { SchedulingQueue, type QueuedPod } from './queue.js';
import { seededRandom } from './random.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

/** How long a stopping scheduler waits for bindings in flight. */
const DRAIN_MS = 5000;

export interface SchedulerOptions {
  clock?: Clock;
  log?: LogFn;
}

export class Scheduler {
  readonly config: SchedulerConfig;
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly cache = new SchedulerCache();
  private readonly queue: SchedulingQueue;
  private readonly algorithm: SchedulingAlgorithm;
  private readonly inFlight = new Set<Promise<void>>();
  private pods?: Informer<Pod>;
  private binder?: Binder;

  /** Validates and fills the config; no I/O. Throws an Error listing every problem. */
  constructor(config: Partial<SchedulerConfig> = {}, options: SchedulerOptions = {}) {
    this.config = { ...profileConfig(config.profile ?? DEFAULTS.profile), ...config };
    const problems = configProblems(this.config);
    if (problems.length > 0) throw new Error(`invalid scheduler config: ${problems.join('; ')}`);
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? stderrLog('scheduler');
    this.queue = new SchedulingQueue({
      clock: this.clock,
      initialBackoffMs: this.config.podInitialBackoffMs,
      maxBackoffMs: this.config.podMaxBackoffMs,
      maxInUnschedulableMs: this.config.podMaxInUnschedulableMs,
    });
    this.algorithm = new SchedulingAlgorithm(DEFAULT_PROFILE, {
      random: seededRandom(this.config.seed),
      percentageOfNodesToScore: this.config.percentageOfNodesToScore,
    });
  }

  /**
   * Connects to NATS and schedules until `signal` aborts; resolves once stopped (bindings in
   * flight get a few seconds to finish). With leader election it keeps its caches warm as a
   * standby until it holds the Lease, and rejects when it loses leadership (upstream exits then,
   * and a supervisor restarts it as a standby). Otherwise rejects only if NATS cannot be reached.
   */
  async start(signal: AbortSignal): Promise<void> {
    const nc = await connect({ servers: this.config.natsUrl, maxReconnectAttempts: -1, noAsyncTraces: true });
    try {
      await this.run(new ApiClient(new NatsTransport(nc)), signal);
    } finally {
      await closeQuietly(nc);
    }
  }

  private async run(raw: ApiClient, signal: AbortSignal): Promise<void> {
    const elector = this.elector(raw);
    // Every write goes through the fence: refused the instant leadership is no longer certain.
    const client = elector ? new ApiClient(elector.fence(raw.transport)) : raw;
    const halt = new AbortController();
    const onStop = () => halt.abort();
    signal.addEventListener('abort', onStop, { once: true });
    const recorder = new EventRecorder(client, { component: this.config.schedulerName, log: this.log });
    this.binder = new Binder(client, recorder, this.log);
    const pods = (this.pods = new Informer<Pod>(client.resource<Pod>(PODS), { clock: this.clock, log: this.log }));
    const nodes = new Informer<Node>(client.resource<Node>(NODES), { clock: this.clock, log: this.log });
    this.watchPods(pods);
    this.watchNodes(nodes);
    const informers = Promise.all([pods.start(halt.signal), nodes.start(halt.signal)]);
    let lost = false;
    // Deciding before both caches are full could overcommit nodes whose pods are not listed yet.
    if ((await pods.waitForSync(signal)) && (await nodes.waitForSync(signal))) {
      const leading = elector ? await elector.run(signal) : signal;
      if (leading) {
        this.queue.start(leading);
        this.log('info', 'scheduling', { schedulerName: this.config.schedulerName, ...this.cache.stats(), pending: this.queue.lengths().active });
        await this.loop(leading);
        lost = !signal.aborted;
      }
    }
    signal.removeEventListener('abort', onStop);
    halt.abort();
    this.queue.close();
    await this.drain();
    await elector?.stopped();
    await informers;
    this.log('info', 'stopped');
    if (lost) throw new Error(`leader election lost: ${elector!.identity} no longer holds the Lease kube-system/${leaseName(this.config.schedulerName)}`);
  }

  /** The elector for this scheduler's Lease, or undefined when leader election is off. */
  private elector(client: ApiClient): LeaderElector | undefined {
    const le = this.config.leaderElection;
    if (!le.leaderElect) return undefined;
    return new LeaderElector(client, {
      namespace: 'kube-system',
      name: leaseName(this.config.schedulerName),
      identity: leaderIdentity(),
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      eventComponent: this.config.schedulerName,
      clock: this.clock,
      log: this.log,
    });
  }

  private async loop(signal: AbortSignal): Promise<void> {
    for (;;) {
      const qp = await this.queue.pop(signal);
      if (!qp) return;
      this.scheduleOne(qp);
      // Let informer events and binding replies in between cycles.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One scheduling cycle, synchronous: the cache cannot change under it. */
  private scheduleOne(qp: QueuedPod): void {
    const pod = this.pods!.get(qp.key);
    if (!pod || !needsScheduling(pod, this.config.schedulerName) || this.cache.isAssumed(qp.key)) {
      this.queue.done(qp.key);
      return;
    }
    const info = newPodInfo(pod);
    const result = this.algorithm.schedule(info, this.cache);
    if (result.kind === 'scheduled') {
      this.cache.assume(info, result.nodeName);
      this.queue.done(qp.key);
      this.track(this.bind(info, result.nodeName, qp));
    } else {
      this.queue.addUnschedulable(qp);
      this.track(this.binder!.reportUnschedulable(pod, result.message));
    }
  }

  /** The binding cycle, in the background. */
  private async bind(info: PodInfo, nodeName: string, qp: QueuedPod): Promise<void> {
    const outcome = await this.binder!.bind(info, nodeName);
    if (outcome.kind === 'bound') return;
    this.cache.forget(info.key);
    if (outcome.kind === 'error') {
      this.log('warn', 'binding failed; retrying', { pod: info.key, node: nodeName, error: outcome.message });
    } else {
      // Already bound (say by a scheduler that died after binding) or deleted: not an error.
      this.log('info', 'pod not bound', { pod: info.key, node: nodeName, reason: outcome.kind === 'conflict' ? outcome.message : 'not found' });
    }
    // The assumption held resources other pods may now fit into.
    this.queue.moveAllToActiveOrBackoff();
    // Backing off gives the informer time to show a binding made elsewhere, which drops the pod.
    const pod = this.pods!.get(info.key);
    if (!pod || !needsScheduling(pod, this.config.schedulerName)) return;
    this.queue.addBackoff(qp);
    if (outcome.kind === 'error') await this.binder!.reportError(pod, `Binding rejected: ${outcome.message}`);
  }

  private watchPods(pods: Informer<Pod>): void {
    pods.addEventHandler({
      onAdd: (pod) => this.onPod(undefined, pod),
      onUpdate: (old, pod) => this.onPod(old, pod),
      onDelete: (pod) => {
        const key = objectKey(pod);
        this.queue.delete(key);
        if (this.cache.updatePod(key, undefined) === 'released') this.queue.moveAllToActiveOrBackoff();
      },
    });
  }

  private onPod(old: DeepReadonly<Pod> | undefined, pod: DeepReadonly<Pod>): void {
    const key = objectKey(pod);
    if (this.cache.updatePod(key, pod) === 'released') this.queue.moveAllToActiveOrBackoff();
    if (!needsScheduling(pod, this.config.schedulerName)) {
      this.queue.delete(key);
      return;
    }
    if (this.cache.isAssumed(key)) return;
    const added = this.queue.add(key, pod.spec?.priority ?? 0, creationMs(pod));
    if (!added && old && schedulingInputsChanged(old, pod)) this.queue.update(key);
  }

  private watchNodes(nodes: Informer<Node>): void {
    nodes.addEventHandler({
      onAdd: (node) => {
        this.cache.setNode(node);
        this.queue.moveAllToActiveOrBackoff();
      },
      onUpdate: (old, node) => {
        this.cache.setNode(node);
        if (nodeSchedulingChanged(old, node)) this.queue.moveAllToActiveOrBackoff();
      },
      onDelete: (node) => this.cache.removeNode(node.metadata.name ?? ''),
    });
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err) => this.log('error', 'scheduler task failed', { error: String(err) })).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async drain(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const timeout = new Promise((resolve) => this.clock.setTimeout(() => resolve(undefined), DRAIN_MS));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
  }
}

async function closeQuietly(nc: NatsConnection): Promise<void> {
  try {
    await nc.close();
  } catch {
    // already closed
  }
}
