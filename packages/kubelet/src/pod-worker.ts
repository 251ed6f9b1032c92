/**
 * One pod on this node, from sandbox to deletion (the kubelet's podWorker + SyncPod): allocates
 * its IP, prepares volumes, runs init containers in order and then the app containers, restarts
 * them per restartPolicy with back-off, runs probes, and stops everything gracefully when the pod
 * is deleted. It keeps a {@link ContainerView} per container; the status writer turns those into
 * the pod's status. Every change of plan goes through one serialized `sync`.
 */
import type { Clock, Container, DeepReadonly, EventRecorder, LogFn, Pod } from '@kubesim/api';
import { Backoff, formatDuration } from './backoff.js';
import type { BackoffSettings } from './config.js';
import { buildContainerSpec } from './container-spec.js';
import type { PodRuntimeInfo } from './env.js';
import type { PodIpAllocator } from './ipam.js';
import type { ContainerRecord, NodeLayout, SandboxRecord, TerminatedRecord } from './layout.js';
import { startContainerProbes } from './container-probes.js';
import { stopContainer } from './graceful-stop.js';
import { runLifecycleHook, type HookTarget } from './lifecycle-hooks.js';
import { readExitFile } from './runtime/proc.js';
import type { ContainerHandle, ContainerRuntime, ContainerSpec } from './runtime/types.js';
import { apiTime, podPhase, type ContainerView, type PodView } from './status.js';
import { prepareVolumes, type VolumeSources } from './volumes.js';

type RO<T> = DeepReadonly<T>;

/** An image as the images package resolves it. */
export interface ResolvedImage {
  canonical: string;
  imageID?: string;
}

/** What a pod worker needs from its kubelet. */
export interface PodWorkerDeps {
  nodeName: string;
  hostIP: string;
  layout: NodeLayout;
  ipam: PodIpAllocator;
  runtime: ContainerRuntime;
  clock: Clock;
  events: Pick<EventRecorder, 'record'>;
  /** Node-wide, keyed by pod uid and container. */
  backoff: Backoff;
  backoffSettings: BackoffSettings;
  retryMs: number;
  sources: VolumeSources;
  /** Node allocatable and base environment for every container. */
  podInfo: Omit<PodRuntimeInfo, 'podIP' | 'hostIP'>;
  resolveImage(image: string): ResolvedImage | undefined;
  /** Images pulled on this node so far (for IfNotPresent's "already present"). */
  pulledImages: Set<string>;
  /** Runs a command in a container's image (exec probes and hooks); Infinity: no timeout, `signal` abandons it. */
  exec(spec: ContainerSpec, timeoutMs: number, signal?: AbortSignal): Promise<{ exitCode: number; output: string }>;
  /** The pod's containers changed state: its status should be written. */
  onStatusChange(uid: string): void;
  /** DELETE of the pod with grace 0 once it is stopped and cleaned up. */
  deletePod(pod: RO<Pod>): Promise<void>;
  log: LogFn;
}

/** One container of the pod and everything the worker tracks about it. */
interface Slot {
  spec: RO<Container>;
  init: boolean;
  view: ContainerView;
  /** The latest attempt, as on disk. */
  record?: ContainerRecord;
  handle?: ContainerHandle;
  probes?: AbortController;
  /** The spec the running attempt was started with (exec probes reuse it). */
  launched?: ContainerSpec;
  /** When the image last failed to pull. */
  pullFailedAt?: number;
  /** The container is being stopped for a restart whatever the policy (its image changed). */
  forceRestart?: boolean;
  /** Aborts the postStart hook in flight. */
  postStart?: AbortController;
  /** Set while the container is being stopped (its preStop hook runs at most once per stop). */
  stopping?: Promise<void>;
}

export class PodWorker {
  readonly uid: string;
  private pod: RO<Pod>;
  private sandbox?: SandboxRecord;
  private readonly slots = new Map<string, Slot>();
  private volumeDirs?: Map<string, string>;
  private terminal?: PodView['terminal'];
  private terminating?: Promise<void>;
  private removed = false;
  private running = false;
  private synced = false;
  private dirty = false;
  private retryTimer?: ReturnType<Clock['setTimeout']>;
  private retryAt = Infinity;
  private events: Promise<void> = Promise.resolve();

  constructor(
    pod: RO<Pod>,
    private readonly deps: PodWorkerDeps,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid!;
    const hasInit = (pod.spec?.initContainers ?? []).length > 0;
    for (const c of pod.spec?.initContainers ?? []) this.slots.set(c.name, this.newSlot(c, true, 'PodInitializing'));
    for (const c of pod.spec?.containers ?? []) this.slots.set(c.name, this.newSlot(c, false, hasInit ? 'PodInitializing' : 'ContainerCreating'));
  }

  /** The latest pod object. */
  get current(): RO<Pod> {
    return this.pod;
  }

  /** True once the pod was removed or its termination finished: the worker does nothing more. */
  get finished(): boolean {
    return this.removed;
  }

  /** Picks up what a previous kubelet left on disk: the sandbox, and each container's latest attempt. */
  restore(alive: (record: ContainerRecord) => ContainerHandle | undefined): void {
    this.sandbox = this.deps.layout.readSandbox(this.uid);
    if (!this.sandbox) return;
    for (const slot of this.slots.values()) {
      const rec = this.deps.layout.readContainer(this.uid, slot.spec.name);
      if (!rec) continue;
      slot.record = rec;
      slot.view.restartCount = rec.attempt;
      slot.view.imageID = rec.imageID;
      slot.view.containerId = rec.containerId;
      slot.view.last = rec.previous;
      const handle = rec.finished ? undefined : alive(rec);
      if (handle) {
        slot.view.now = { running: { startedAt: rec.startedAt } };
        this.watch(slot, rec, handle);
        this.markRunning(slot);
      } else {
        const finished = rec.finished ?? this.finishRecord(rec, readExitFile(rec.exitFile) ?? 137);
        slot.view.now = { terminated: finished };
      }
    }
  }

  /** A new version of the pod from the API. */
  update(pod: RO<Pod>): void {
    if (this.removed) return;
    const prev = this.pod;
    const oldGrace = prev.metadata.deletionGracePeriodSeconds;
    this.pod = pod;
    const first = !this.synced;
    this.synced = true;
    // Status-only updates (most of them our own writes) change nothing to do.
    if (!first && prev.metadata.generation === pod.metadata.generation && prev.metadata.deletionTimestamp === pod.metadata.deletionTimestamp) return;
    // A postStart hook in flight holds the sync; a deleted pod must not wait for it.
    if (pod.metadata.deletionTimestamp) for (const s of this.slots.values()) s.postStart?.abort();
    if (this.terminating) {
      // A second delete may shorten the grace period: kill what is still running.
      const grace = pod.metadata.deletionGracePeriodSeconds;
      if (grace !== undefined && oldGrace !== undefined && grace < oldGrace) for (const s of this.slots.values()) void this.stopSlot(s, grace * 1000);
      return;
    }
    this.applySpecChanges(pod);
    this.kick();
  }

  /** The pod left the API (or this node): kill its containers at once and remove its files. */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.clearRetry();
    await Promise.all([...this.slots.values()].map((s) => this.killSlot(s)));
    this.deps.layout.removePod(this.uid);
    this.deps.backoff.forget(`${this.uid}/`);
  }

  /** Everything status.ts needs. */
  view(): PodView {
    return {
      pod: this.pod,
      hostIP: this.deps.hostIP,
      podIP: this.sandbox?.ip,
      startTime: this.sandbox?.createdAt,
      init: [...this.slots.values()].filter((s) => s.init).map((s) => ({ ...s.view })),
      app: [...this.slots.values()].filter((s) => !s.init).map((s) => ({ ...s.view })),
      terminal: this.terminal,
      now: new Date(this.deps.clock.now()),
    };
  }

  /** The running attempt of a container, if any (for log following). */
  isRunning(container: string): boolean {
    return !!this.slots.get(container)?.handle;
  }

  /** The spec a running container was started with (kubectl exec runs in it); undefined when it is not running or was adopted. */
  launchedSpec(container: string): ContainerSpec | undefined {
    const slot = this.slots.get(container);
    return slot?.handle ? slot.launched : undefined;
  }

  /** Schedules a sync; syncs never overlap. */
  kick(): void {
    this.dirty = true;
    if (!this.running) void this.loop();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.dirty && !this.removed) {
        this.dirty = false;
        try {
          await this.sync();
        } catch (err) {
          this.deps.log('error', 'pod sync failed', { pod: this.podRef(), error: (err as Error).message });
          this.retryIn(this.deps.retryMs);
        }
        this.deps.onStatusChange(this.uid);
      }
    } finally {
      this.running = false;
    }
  }

  private async sync(): Promise<void> {
    if (this.pod.metadata.deletionTimestamp) return void this.terminate();
    if (this.terminal) return;
    if (!this.sandbox) this.createSandbox();
    if (this.deadlinePassed()) return;
    if (!(await this.ensureVolumes())) return;
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    for (const slot of this.initSlots()) {
      if (succeeded(slot)) continue;
      if (slot.handle) return;
      if (slot.record && policy === 'Never') {
        this.terminal = { phase: 'Failed' };
        return;
      }
      await this.startOrBackoff(slot);
      return;
    }
    for (const slot of this.appSlots()) {
      if (slot.handle) continue;
      if (!slot.record || slot.forceRestart || shouldRestart(policy, slot)) await this.startOrBackoff(slot);
    }
    if (this.appSlots().every((s) => !s.handle && s.record?.finished && !shouldRestart(policy, s))) {
      const phase = podPhase({ pod: this.pod, init: this.initSlots().map((s) => s.view), app: this.appSlots().map((s) => s.view) });
      if (phase === 'Succeeded' || phase === 'Failed') this.terminal = { phase };
    }
  }

  private createSandbox(): void {
    const m = this.pod.metadata;
    // A hostNetwork pod shares the node's address.
    const ip = this.pod.spec?.hostNetwork ? this.deps.hostIP : this.deps.ipam.allocate(this.uid);
    // Written at once, before any other allocation, so the address counts as used.
    this.sandbox = { uid: this.uid, namespace: m.namespace ?? 'default', name: m.name!, ip, createdAt: apiTime(new Date(this.deps.clock.now())) };
    this.deps.layout.writeSandbox(this.sandbox);
  }

  private async ensureVolumes(): Promise<boolean> {
    if (this.volumeDirs) return true;
    const res = await prepareVolumes(this.pod, this.deps.layout, this.deps.sources, this.runtimeInfo());
    if ('error' in res) {
      void this.event('Warning', 'FailedMount', res.error);
      this.retryIn(this.deps.retryMs);
      return false;
    }
    this.volumeDirs = res.dirs;
    return true;
  }

  private deadlinePassed(): boolean {
    const secs = this.pod.spec?.activeDeadlineSeconds;
    if (secs === undefined || !this.sandbox) return false;
    const left = Date.parse(this.sandbox.createdAt) + secs * 1000 - this.deps.clock.now();
    if (left > 0) {
      this.retryIn(left);
      return false;
    }
    const message = 'Pod was active on the node longer than the specified deadline';
    this.terminal = { phase: 'Failed', reason: 'DeadlineExceeded', message };
    void this.event('Normal', 'DeadlineExceeded', message);
    for (const s of this.slots.values()) void this.stopSlot(s, this.graceMs());
    return true;
  }

  /** Starts the next attempt of a container unless its image or its restarts are backing off. */
  private async startOrBackoff(slot: Slot): Promise<void> {
    const now = this.deps.clock.now();
    const image = slot.spec.image ?? '';
    const resolved = this.deps.resolveImage(image);
    if (!resolved) return this.pullFailed(slot, image, now);
    if (slot.pullFailedAt !== undefined) {
      slot.pullFailedAt = undefined;
      this.deps.backoff.forget(`${this.uid}/${slot.spec.name}/pull`);
    }
    const fin = slot.record?.finished;
    if (fin && !slot.forceRestart) {
      const ranMs = Date.parse(fin.finishedAt) - Date.parse(fin.startedAt);
      const d = this.deps.backoff.next(`${this.uid}/${slot.spec.name}`, now, Date.parse(fin.finishedAt), ranMs);
      if (!d.retry) {
        const who = `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
        this.setWaiting(slot, 'CrashLoopBackOff', `back-off ${formatDuration(d.delayMs)} restarting failed container=${slot.spec.name} pod=${who}`);
        void this.event('Warning', 'BackOff', `Back-off restarting failed container ${slot.spec.name} in pod ${who}`);
        this.retryIn(d.remainingMs);
        return;
      }
    }
    slot.forceRestart = false;
    this.pullEvents(slot, image);
    const place = { rootfs: this.deps.layout.rootfs(this.uid, slot.spec.name), podIP: this.sandbox!.ip, volumeDirs: this.volumeDirs ?? new Map() };
    const spec = await buildContainerSpec(this.pod, slot.spec, place, this.deps.sources, this.runtimeInfo());
    if ('error' in spec) {
      this.setWaiting(slot, 'CreateContainerConfigError', spec.error);
      void this.event('Warning', 'Failed', `Error: ${spec.error}`);
      this.retryIn(this.deps.retryMs);
      return;
    }
    await this.launch(slot, spec, resolved);
  }

  private pullFailed(slot: Slot, image: string, now: number): void {
    const key = `${this.uid}/${slot.spec.name}/pull`;
    if (slot.pullFailedAt !== undefined) {
      // ErrImagePull stays visible a moment before it turns into ImagePullBackOff.
      const showMs = Math.min(1000, this.deps.backoffSettings.initialMs / 2);
      if (now - slot.pullFailedAt < showMs && 'waiting' in slot.view.now && slot.view.now.waiting.reason === 'ErrImagePull') {
        this.retryIn(showMs - (now - slot.pullFailedAt));
        return;
      }
      const d = this.deps.backoff.next(key, now, slot.pullFailedAt);
      if (!d.retry) {
        this.setWaiting(slot, 'ImagePullBackOff', `Back-off pulling image ${JSON.stringify(image)}`);
        void this.event('Normal', 'BackOff', `Back-off pulling image ${JSON.stringify(image)}`);
        void this.event('Warning', 'Failed', 'Error: ImagePullBackOff');
        this.retryIn(d.remainingMs);
        return;
      }
    } else {
      this.deps.backoff.next(key, now, now);
    }
    const why = `failed to pull and unpack image ${JSON.stringify(image)}: failed to resolve reference ${JSON.stringify(image)}: pull access denied, repository does not exist or may require authorization: kubesim has no such image`;
    void this.event('Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
    void this.event('Warning', 'Failed', `Failed to pull image ${JSON.stringify(image)}: ${why}`);
    void this.event('Warning', 'Failed', 'Error: ErrImagePull');
    slot.pullFailedAt = now;
    this.setWaiting(slot, 'ErrImagePull', why);
    this.retryIn(Math.min(1000, this.deps.backoffSettings.initialMs / 2));
  }

  private pullEvents(slot: Slot, image: string): void {
    const policy = slot.spec.imagePullPolicy ?? (/:[^/]+$/.test(image) && !image.endsWith(':latest') ? 'IfNotPresent' : 'Always');
    if (policy !== 'Always' && this.deps.pulledImages.has(image)) {
      void this.event('Normal', 'Pulled', `Container image ${JSON.stringify(image)} already present on machine`);
      return;
    }
    this.deps.pulledImages.add(image);
    void this.event('Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
    void this.event('Normal', 'Pulled', `Successfully pulled image ${JSON.stringify(image)} in 5ms (5ms including waiting). Image size: 0 bytes.`);
  }

  private runtimeInfo(): PodRuntimeInfo {
    const baseEnv = { HOSTNAME: this.pod.spec?.hostname ?? this.pod.metadata.name!, ...this.deps.podInfo.baseEnv };
    return { ...this.deps.podInfo, baseEnv, podIP: this.sandbox?.ip ?? '', hostIP: this.deps.hostIP };
  }

  private async launch(slot: Slot, spec: ContainerSpec, image: ResolvedImage): Promise<void> {
    const { layout } = this.deps;
    const name = slot.spec.name;
    const attempt = slot.record ? slot.record.attempt + 1 : 0;
    const rec: ContainerRecord = {
      runtime: this.deps.runtime.name,
      podUid: this.uid,
      container: name,
      init: slot.init,
      attempt,
      containerId: `kubesim://${this.uid}-${name}-${attempt}`,
      image: spec.image,
      imageID: image.imageID ?? `kubesim://${image.canonical}`,
      startedAt: new Date(this.deps.clock.now()).toISOString(),
      exitFile: layout.exitFile(this.uid, name, attempt),
      logPath: layout.logFile(this.uid, name, attempt),
      ...(slot.record?.finished ? { previous: slot.record.finished } : slot.record?.previous ? { previous: slot.record.previous } : {}),
    };
    // On disk before the process exists: a kubelet killed in between finds it by its exit file.
    layout.writeContainer(rec);
    let handle: ContainerHandle;
    try {
      handle = await this.deps.runtime.start(spec, rec);
    } catch (err) {
      const msg = `failed to start container ${JSON.stringify(name)}: ${(err as Error).message}`;
      rec.finished = this.finishRecord(rec, 128);
      slot.record = rec;
      this.setWaiting(slot, 'RunContainerError', msg);
      void this.event('Warning', 'Failed', `Error: ${msg}`);
      return;
    }
    if (handle.pid) Object.assign(rec, { pid: handle.pid, pidStartTime: handle.pidStartTime });
    layout.writeContainer(rec);
    slot.record = rec;
    slot.launched = spec;
    void this.event('Normal', 'Created', `Created container ${name}`);
    void this.event('Normal', 'Started', `Started container ${name}`);
    Object.assign(slot.view, { restartCount: attempt, imageID: rec.imageID, containerId: rec.containerId, last: rec.previous });
    this.watch(slot, rec, handle);
    // Not Running (nor probed) until its postStart hook has completed.
    const postStart = slot.spec.lifecycle?.postStart;
    if (postStart && !(await this.runPostStart(slot, rec, postStart))) return;
    slot.view.now = { running: { startedAt: apiTime(new Date(rec.startedAt)) } };
    this.markRunning(slot);
  }

  /** Follows an attempt until it exits. */
  private watch(slot: Slot, rec: ContainerRecord, handle: ContainerHandle): void {
    slot.handle = handle;
    slot.record = rec;
    void handle.wait().then((code) => this.onExit(slot, rec, code));
  }

  /** The attempt counts as running: started and ready per its probes, which start now. */
  private markRunning(slot: Slot): void {
    slot.view.started = !slot.spec.startupProbe;
    slot.view.ready = slot.view.started && !slot.spec.readinessProbe;
    this.startProbes(slot);
  }

  /**
   * Runs the postStart hook of a started attempt; true once it succeeded. A failed hook kills the
   * container (FailedPostStartHook), which restartPolicy then restarts; the container's exit or
   * the pod's deletion cuts the hook short.
   */
  private async runPostStart(slot: Slot, rec: ContainerRecord, hook: NonNullable<NonNullable<RO<Container>['lifecycle']>['postStart']>): Promise<boolean> {
    const ac = new AbortController();
    slot.postStart = ac;
    const outcome = await runLifecycleHook(hook, this.hookTarget(slot), ac.signal);
    if (slot.postStart === ac) slot.postStart = undefined;
    if (ac.signal.aborted || slot.record !== rec || !slot.handle) return false;
    if (outcome.ok) return true;
    this.deps.log('warn', 'PostStart hook failed', { pod: this.podRef(), container: slot.spec.name, error: outcome.message });
    // Only the reason goes to the API: the message may hold secrets from the command or its output.
    void this.event('Warning', 'FailedPostStartHook', 'PostStartHook failed');
    void this.event('Normal', 'Killing', 'FailedPostStartHook');
    await this.stopSlot(slot, this.graceMs());
    return false;
  }

  private onExit(slot: Slot, rec: ContainerRecord, code: number): void {
    if (slot.record !== rec) return;
    slot.postStart?.abort();
    slot.probes?.abort();
    slot.probes = undefined;
    slot.handle = undefined;
    const fin = this.finishRecord(rec, code);
    Object.assign(slot.view, { now: { terminated: fin }, ready: false, started: false });
    this.kick();
  }

  /** Marks an attempt finished and records it on disk (unless the pod is going away). */
  private finishRecord(rec: ContainerRecord, code: number): TerminatedRecord {
    rec.finished = {
      exitCode: code,
      reason: code === 0 ? 'Completed' : 'Error',
      startedAt: apiTime(new Date(rec.startedAt)),
      finishedAt: apiTime(new Date(this.deps.clock.now())),
      containerId: rec.containerId,
    };
    if (!this.removed && !this.terminating) this.deps.layout.writeContainer(rec);
    return rec.finished;
  }

  private startProbes(slot: Slot): void {
    const c = slot.spec;
    slot.probes = startContainerProbes({
      container: c,
      clock: this.deps.clock,
      target: {
        podIP: this.sandbox?.ip ?? '',
        ports: c.ports ?? [],
        exec: (command, timeoutMs) => this.deps.exec({ ...(slot.launched ?? this.fallbackSpec(slot)), command, args: [] }, timeoutMs),
      },
      started: () => slot.view.started,
      onUnhealthy: (message) => void this.event('Warning', 'Unhealthy', message),
      onStarted: () => {
        slot.view.started = true;
        slot.view.ready = !c.readinessProbe;
        this.deps.onStatusChange(this.uid);
      },
      onReady: (ok) => {
        slot.view.ready = ok && slot.view.started;
        this.deps.onStatusChange(this.uid);
      },
      onRestart: (kind) => this.restartForProbe(slot, kind),
    });
  }

  private restartForProbe(slot: Slot, kind: 'liveness' | 'startup'): void {
    void this.event('Normal', 'Killing', `Container ${slot.spec.name} failed ${kind} probe, will be restarted`);
    slot.probes?.abort();
    const grace = (kind === 'liveness' ? slot.spec.livenessProbe : slot.spec.startupProbe)?.terminationGracePeriodSeconds;
    void this.stopSlot(slot, grace !== undefined ? grace * 1000 : this.graceMs());
  }

  /**
   * Stops a running container: its preStop hook, then SIGTERM, within `graceMs`. A container
   * already stopping is only held to the new period (the hook is not run twice).
   */
  private stopSlot(slot: Slot, graceMs: number): Promise<void> {
    const handle = slot.handle;
    if (!handle) return Promise.resolve();
    slot.postStart?.abort();
    if (slot.stopping) return this.holdTo(slot.stopping, handle, graceMs);
    const hook = slot.spec.lifecycle?.preStop;
    const stopping = stopContainer({
      handle,
      graceMs,
      clock: this.deps.clock,
      preStop: hook && ((signal) => runLifecycleHook(hook, this.hookTarget(slot), signal)),
      onHookFailed: (message) => {
        this.deps.log('warn', 'PreStop hook failed', { pod: this.podRef(), container: slot.spec.name, error: message });
        void this.event('Warning', 'FailedPreStopHook', 'PreStopHook failed');
      },
    }).then(() => undefined);
    slot.stopping = stopping;
    void stopping.finally(() => {
      if (slot.stopping === stopping) slot.stopping = undefined;
    });
    return stopping;
  }

  /** A stop under way ends within `graceMs` too: the container is killed when that comes first. */
  private async holdTo(stopping: Promise<void>, handle: ContainerHandle, graceMs: number): Promise<void> {
    const timer = new AbortController();
    await Promise.race([stopping, this.deps.clock.sleep(graceMs, timer.signal)]);
    timer.abort();
    // A no-op when the container is already gone.
    await handle.kill();
  }

  /** Where a lifecycle hook of the container runs: its launch spec (env, working dir, mounts), its pod IP. */
  private hookTarget(slot: Slot): HookTarget {
    const m = this.pod.metadata;
    return {
      podIP: this.sandbox?.ip ?? '',
      ports: slot.spec.ports ?? [],
      exec: (command, signal) => this.deps.exec({ ...(slot.launched ?? this.fallbackSpec(slot)), command, args: [] }, Infinity, signal),
      clock: this.deps.clock,
      container: slot.spec.name,
      pod: `${m.name}_${m.namespace}(${this.uid})`,
    };
  }

  private fallbackSpec(slot: Slot): ContainerSpec {
    return { image: slot.spec.image ?? '', env: {}, rootfs: this.deps.layout.rootfs(this.uid, slot.spec.name), mounts: [], podIP: this.sandbox?.ip ?? '', hostname: this.pod.metadata.name! };
  }

  /** A container whose image changed in the spec is restarted with the new one. */
  private applySpecChanges(pod: RO<Pod>): void {
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      const slot = this.slots.get(c.name);
      if (!slot || slot.spec.image === c.image) continue;
      const running = !!slot.handle;
      slot.spec = c;
      slot.view.image = c.image ?? '';
      if (!running || slot.init) continue;
      slot.forceRestart = true;
      void this.event('Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
      void this.stopSlot(slot, this.graceMs());
    }
  }

  /** Graceful stop of every container, then cleanup, then the final DELETE. */
  private terminate(): Promise<void> {
    this.terminating ??= (async () => {
      this.clearRetry();
      const graceMs = this.graceMs();
      await Promise.all(
        [...this.slots.values()].map(async (s) => {
          if (!s.handle) return;
          s.probes?.abort();
          void this.event('Normal', 'Killing', `Stopping container ${s.spec.name}`);
          await this.stopSlot(s, graceMs);
        }),
      );
      this.removed = true;
      this.deps.layout.removePod(this.uid);
      this.deps.backoff.forget(`${this.uid}/`);
      await this.deps.deletePod(this.pod);
    })();
    return this.terminating;
  }

  private async killSlot(s: Slot): Promise<void> {
    s.postStart?.abort();
    s.probes?.abort();
    if (s.handle) await s.handle.kill();
  }

  private graceMs(): number {
    const m = this.pod.metadata;
    return (m.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  private setWaiting(slot: Slot, reason: string, message?: string): void {
    slot.view.now = { waiting: message ? { reason, message } : { reason } };
    if (slot.record?.finished) slot.view.last = slot.record.finished;
  }

  private retryIn(ms: number): void {
    const at = this.deps.clock.now() + ms;
    if (this.retryTimer && at >= this.retryAt) return;
    this.clearRetry();
    this.retryAt = at;
    this.retryTimer = this.deps.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.retryAt = Infinity;
      this.kick();
    }, ms);
  }

  private clearRetry(): void {
    if (this.retryTimer) this.deps.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryAt = Infinity;
  }

  private initSlots(): Slot[] {
    return [...this.slots.values()].filter((s) => s.init);
  }

  private appSlots(): Slot[] {
    return [...this.slots.values()].filter((s) => !s.init);
  }

  private newSlot(spec: RO<Container>, init: boolean, reason: string): Slot {
    return { spec, init, view: { name: spec.name, image: spec.image ?? '', imageID: '', restartCount: 0, now: { waiting: { reason } }, ready: false, started: false } };
  }

  /** Records an Event about the pod (best effort, never awaited by the sync). */
  private event(type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const m = this.pod.metadata;
    const subject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion } };
    // Chained, so the API holds them in the order they happened.
    this.events = this.events.then(() => this.deps.events.record(subject, type, reason, message));
    return this.events;
  }

  private podRef(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }
}

function succeeded(slot: Slot): boolean {
  return !slot.handle && slot.record?.finished?.exitCode === 0;
}

/** Whether a finished container is started again under the pod's restartPolicy. */
function shouldRestart(policy: string, slot: Slot): boolean {
  const fin = slot.record?.finished;
  if (!fin) return slot.record !== undefined && !slot.handle;
  if (slot.init) return fin.exitCode !== 0 && policy !== 'Never';
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return fin.exitCode !== 0;
  return false;
}
