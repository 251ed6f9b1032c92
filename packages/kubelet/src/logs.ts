/**
 * The node's log service for the apiserver's `pods/log` (see log-protocol.ts): plain reads,
 * followed streams, and the `.times` index that gives log lines their timestamps. The log files
 * themselves are written by the containers (the process runtime hands them the file), so they
 * keep growing while the kubelet is down.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { NatsConnection, Msg } from 'nats';
import { ApiError, BadRequestError, NotFoundError, decode, encode, realClock, type Clock, type DeepReadonly, type LogFn, type Pod } from '@kubesim/api';
import { formatLog, readLogFile, readTimeIndex, rfc3339Nano, splitLines, type LogOptions } from './log-format.js';
import { LOG_STREAM_TIMEOUT_MS, logSubjects, type LogFollowReply, type LogReply, type LogRequest } from './log-protocol.js';

/** What the log service needs to know about a pod on this node. */
export interface LogTarget {
  pod: DeepReadonly<Pod>;
  /** The latest attempt (restartCount) of a container, undefined before its first start. */
  attempt(container: string): number | undefined;
  /** True while that attempt runs. */
  running(container: string, attempt: number): boolean;
  logPath(container: string, attempt: number): string;
  /** Why a container has no log yet (`ContainerCreating`, `ImagePullBackOff`...). */
  waitingReason(container: string): string;
}

export interface LogServiceOptions {
  nc: NatsConnection;
  nodeName: string;
  /** The pod by namespace and name, if it is on this node. */
  find(namespace: string, name: string): LogTarget | undefined;
  /** Log files of running containers, for the timestamp index. */
  runningLogs(): string[];
  clock?: Clock;
  /** How often followed files and running logs are checked for new output (default 200 ms). */
  pollMs?: number;
  log: LogFn;
}

interface Stream {
  id: string;
  inbox: string;
  seq: number;
  offset: number;
  partial: Buffer;
  lastKeepalive: number;
  sent: number;
  container: string;
  attempt: number;
  path: string;
  target: LogTarget;
  req: LogRequest;
}

export class LogService {
  private readonly streams = new Map<string, Stream>();
  private readonly sizes = new Map<string, number>();
  private readonly clock: Clock;
  private readonly pollMs: number;

  constructor(private readonly o: LogServiceOptions) {
    this.clock = o.clock ?? realClock;
    this.pollMs = o.pollMs ?? 200;
  }

  /** Serves until `signal` aborts. */
  start(signal: AbortSignal): void {
    const { nc, nodeName } = this.o;
    const subs = [
      nc.subscribe(logSubjects.read(nodeName), { callback: (_e, m) => this.answer(m, (req) => this.read(req)) }),
      nc.subscribe(logSubjects.follow(nodeName), { callback: (_e, m) => this.answer(m, (req) => this.follow(req)) }),
      nc.subscribe(logSubjects.streamControl(nodeName), { callback: (_e, m) => this.control(m.subject) }),
    ];
    const tick = () => {
      if (signal.aborted) return;
      this.stampRunning();
      for (const s of this.streams.values()) this.pump(s);
      this.clock.setTimeout(tick, this.pollMs);
    };
    tick();
    signal.addEventListener('abort', () => {
      subs.forEach((s) => s.unsubscribe());
      this.streams.clear();
    });
  }

  /** A plain read. */
  read(req: LogRequest): LogReply {
    const { path } = this.locate(req);
    return { code: 200, body: readLogFile(path, req, this.clock.now()) };
  }

  /** Starts a followed stream; frames go to `req.inbox`. */
  follow(req: LogRequest): LogFollowReply {
    if (!req.inbox) throw new BadRequestError('a follow request needs an inbox');
    const { path, container, attempt, target } = this.locate(req);
    const id = randomBytes(8).toString('hex');
    const buf = fs.readFileSync(path);
    const s: Stream = { id, inbox: req.inbox, seq: 0, offset: buf.length, partial: Buffer.alloc(0), lastKeepalive: this.clock.now(), sent: 0, container, attempt, path, target, req };
    this.streams.set(id, s);
    const first = formatLog(buf, readTimeIndex(path), req, this.clock.now(), fs.statSync(path).mtimeMs);
    // The reply goes out first; frames follow on the next turn.
    setImmediate(() => {
      if (first) this.send(s, first);
    });
    return { code: 200, streamId: id };
  }

  private answer(m: Msg, handle: (req: LogRequest) => LogReply | LogFollowReply): void {
    let reply: LogReply | LogFollowReply;
    try {
      reply = handle(decode<LogRequest>(m.data));
    } catch (err) {
      const e = err instanceof ApiError ? err : new BadRequestError((err as Error).message);
      reply = { code: e.httpCode, body: e.toStatus() };
    }
    m.respond(encode(reply));
  }

  private control(subject: string): void {
    const parts = subject.split('.');
    const s = this.streams.get(parts[parts.length - 2]);
    if (!s) return;
    if (parts[parts.length - 1] === 'cancel') this.streams.delete(s.id);
    else s.lastKeepalive = this.clock.now();
  }

  /** Finds the file a request reads, or throws the apiserver's error for it. */
  private locate(req: LogRequest): { path: string; container: string; attempt: number; target: LogTarget } {
    const target = this.o.find(req.namespace, req.name);
    if (!target) throw new NotFoundError(`pods "${req.name}" not found`, { name: req.name, kind: 'pods' });
    const container = pickContainer(target.pod, req.container);
    const attempt = target.attempt(container);
    if (req.previous) {
      const path = attempt !== undefined && attempt > 0 ? target.logPath(container, attempt - 1) : '';
      if (!path || !fs.existsSync(path)) throw new BadRequestError(`previous terminated container "${container}" in pod "${req.name}" not found`);
      return { path, container, attempt: attempt! - 1, target };
    }
    const path = attempt !== undefined ? target.logPath(container, attempt) : '';
    if (!path || !fs.existsSync(path)) {
      throw new BadRequestError(`container "${container}" in pod "${req.name}" is waiting to start: ${target.waitingReason(container)}`);
    }
    return { path, container, attempt: attempt!, target };
  }

  /** Sends what a followed file gained; ends the stream once its container has stopped. */
  private pump(s: Stream): void {
    if (this.clock.now() - s.lastKeepalive > LOG_STREAM_TIMEOUT_MS) {
      this.streams.delete(s.id);
      return;
    }
    const alive = s.target.running(s.container, s.attempt);
    const chunk = readFrom(s.path, s.offset);
    s.offset += chunk.length;
    if (chunk.length > 0) {
      const data = Buffer.concat([s.partial, chunk]);
      const cut = alive ? data.lastIndexOf(10) + 1 : data.length;
      s.partial = data.subarray(cut);
      const text = splitLines(data.subarray(0, cut))
        .map((l) => (s.req.timestamps ? `${rfc3339Nano(this.clock.now())} ${l.text}` : l.text))
        .join('');
      if (text) this.send(s, text);
    }
    if (!alive && chunk.length === 0) this.end(s);
  }

  private send(s: Stream, text: string): void {
    if (!this.streams.has(s.id)) return;
    let data = text;
    if (s.req.limitBytes !== undefined) {
      data = Buffer.from(text).subarray(0, Math.max(0, s.req.limitBytes - s.sent)).toString('utf8');
      s.sent += Buffer.byteLength(data);
    }
    if (data) this.o.nc.publish(s.inbox, encode({ seq: ++s.seq, data }));
    if (s.req.limitBytes !== undefined && s.sent >= s.req.limitBytes) this.end(s);
  }

  private end(s: Stream): void {
    if (!this.streams.delete(s.id)) return;
    this.o.nc.publish(s.inbox, encode({ seq: ++s.seq, end: true }));
  }

  /** Appends `<size> <now>` to each running log's `.times` file when it grew. */
  private stampRunning(): void {
    const live = new Set(this.o.runningLogs());
    for (const p of this.sizes.keys()) if (!live.has(p)) this.sizes.delete(p);
    for (const p of live) {
      let size: number;
      try {
        size = fs.statSync(p).size;
      } catch {
        continue;
      }
      const known = this.sizes.get(p) ?? readTimeIndex(p).at(-1)?.offset ?? 0;
      this.sizes.set(p, size);
      if (size > known) fs.appendFileSync(`${p}.times`, `${size} ${this.clock.now()}\n`);
    }
  }
}

/** The container a request names, or the only one; the apiserver's 400s otherwise. */
export function pickContainer(pod: DeepReadonly<Pod>, requested: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const podName = pod.metadata.name;
  if (!requested) {
    if (names.length === 1) return names[0];
    const initPart = inits.length > 0 ? ` or one of the init containers: [${inits.join(' ')}]` : '';
    throw new BadRequestError(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]${initPart}`);
  }
  if (!names.includes(requested) && !inits.includes(requested)) throw new BadRequestError(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

function readFrom(path: string, offset: number): Buffer {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    const size = fs.fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(Math.min(size - offset, 1 << 20));
    const n = fs.readSync(fd, buf, 0, buf.length, offset);
    return buf.subarray(0, n);
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export type { LogOptions };
