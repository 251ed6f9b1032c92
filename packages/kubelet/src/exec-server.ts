/**
 * The node's exec service for the apiserver's `pods/exec` (protocol: @kubesim/api's
 * exec-protocol). A command runs in the context of a running container: the spec that container
 * was started with (its image's programs, env, rootfs, working dir, mounts, pod IP) with the
 * command in place of the container's. It runs as a child process of its own (the process
 * runtime's entry point), not inside the kubelet, so a busy or endless command never stalls the
 * node, and killing it is a plain SIGKILL.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Msg, NatsConnection } from 'nats';
import {
  ApiError,
  BadRequestError,
  EXEC_SUBJECTS,
  EXEC_TIMEOUT_MS,
  InternalError,
  NotFoundError,
  decode,
  encode,
  realClock,
  type Clock,
  type DeepReadonly,
  type ExecInput,
  type ExecRequest,
  type ExecStartReply,
  type LogFn,
  type Pod,
  type Status,
} from '@kubesim/api';
import { processEntryPath, startError } from '@kubesim/images';
import { pickContainer } from './logs.js';
import { signalExitCode } from './runtime/proc.js';
import type { ContainerSpec } from './runtime/types.js';

/** What the exec service needs to know about a pod on this node. */
export interface ExecTarget {
  pod: DeepReadonly<Pod>;
  /** The spec a container's running attempt was started with; undefined while it is not running. */
  spec(container: string): ContainerSpec | undefined;
}

export interface ExecServiceOptions {
  nc: NatsConnection;
  nodeName: string;
  /** The pod by namespace and name, if it is on this node. */
  find(namespace: string, name: string): ExecTarget | undefined;
  /** The program a command runs in (default the images package's process entry point). */
  entry?: string;
  clock?: Clock;
  log: LogFn;
}

/** How a session ends: the command's exit code, or why it could not run. */
type Ending = { exit: number } | { error: Status };

interface Session {
  id: string;
  req: ExecRequest;
  container: string;
  child: ChildProcess;
  seq: number;
  inputSeq: number;
  lastKeepalive: number;
}

export class ExecService {
  private readonly sessions = new Map<string, Session>();
  private readonly clock: Clock;

  constructor(private readonly o: ExecServiceOptions) {
    this.clock = o.clock ?? realClock;
  }

  /** Serves until `signal` aborts; then every running command is killed. */
  start(signal: AbortSignal): void {
    const { nc, nodeName } = this.o;
    const subs = [
      nc.subscribe(EXEC_SUBJECTS.start(nodeName), { callback: (_e, m) => void this.answer(m) }),
      nc.subscribe(EXEC_SUBJECTS.sessions(nodeName), { callback: (_e, m) => this.control(m) }),
    ];
    const tick = () => {
      if (signal.aborted) return;
      this.reap();
      this.clock.setTimeout(tick, 1_000);
    };
    tick();
    signal.addEventListener('abort', () => {
      subs.forEach((s) => s.unsubscribe());
      for (const s of this.sessions.values()) s.child.kill('SIGKILL');
    }, { once: true });
  }

  /** Checks a request and starts its command; the reply names the session or carries a Status. */
  async open(req: ExecRequest): Promise<ExecStartReply> {
    if (!Array.isArray(req?.command) || req.command.length === 0 || !req.command.every((w) => typeof w === 'string')) {
      throw new BadRequestError('you must specify at least one command for the container');
    }
    if (!req.dryRun && typeof req.inbox !== 'string') throw new BadRequestError('an exec request needs an inbox');
    const target = this.o.find(req.namespace, req.name);
    if (!target) throw new NotFoundError(`pods "${req.name}" not found`, { name: req.name, kind: 'pods' });
    const container = pickContainer(target.pod, req.container);
    const running = target.spec(container);
    if (!running) throw new BadRequestError(`container not found ("${container}")`);
    const spec: ContainerSpec = { ...running, command: [...req.command], args: [] };
    const why = await startError(spec);
    if (why) {
      throw new InternalError(
        `Internal error occurred: error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: ${why}`,
      );
    }
    if (req.dryRun) return { code: 200, streamId: '' };
    const id = randomBytes(8).toString('hex');
    const child = spawn(process.execPath, [this.o.entry ?? processEntryPath], {
      // fd 3 is a lifeline: it closes when this kubelet dies, even by SIGKILL, and the command goes with it.
      stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
      cwd: spec.rootfs,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        KUBESIM_CONTAINER_SPEC: JSON.stringify(spec),
        KUBESIM_LIFELINE_FD: '3',
        ...(req.stdin ? { KUBESIM_STDIN: '1' } : {}),
      },
    });
    const s: Session = { id, req, container, child, seq: 0, inputSeq: 0, lastKeepalive: this.clock.now() };
    this.sessions.set(id, s);
    this.wire(s);
    return { code: 200, streamId: id };
  }

  private async answer(m: Msg): Promise<void> {
    let reply: ExecStartReply;
    try {
      reply = await this.open(decode<ExecRequest>(m.data));
    } catch (err) {
      const e = err instanceof ApiError ? err : new BadRequestError((err as Error).message);
      reply = { code: e.httpCode, body: e.toStatus() };
    }
    m.respond(encode(reply));
  }

  /** Sends the child's output to the inbox, then its exit code once its pipes are drained. */
  private wire(s: Session): void {
    const { child, req } = s;
    // A terminal has one output stream and turns "\n" into "\r\n", as a pty's ONLCR does.
    const out = (stream: 1 | 2) => (chunk: Buffer) => {
      const data = req.tty ? Buffer.from(chunk.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') : chunk;
      this.send(s, { stream: req.tty ? 1 : stream, data });
    };
    child.stdout!.on('data', out(1));
    child.stderr!.on('data', out(2));
    child.stdin?.on('error', () => undefined);
    child.once('error', (err) => this.finish(s, { error: new InternalError(`failed to start the command: ${err.message}`).toStatus() }));
    child.once('close', (code, signal) => this.finish(s, { exit: code ?? signalExitCode(signal) }));
  }

  private send(s: Session, frame: { stream: 1 | 2; data: Uint8Array } | Ending): void {
    try {
      this.o.nc.publish(s.req.inbox, encode({ seq: ++s.seq, ...frame }));
    } catch {
      // NATS is closing: the apiserver's keep-alive finds the session gone.
    }
  }

  private finish(s: Session, last: Ending): void {
    if (!this.sessions.delete(s.id)) return;
    this.send(s, last);
  }

  /** Input, keep-alives and cancels: `…exec.<id>.<what>`. */
  private control(m: Msg): void {
    const parts = m.subject.split('.');
    const what = parts[parts.length - 1];
    const s = this.sessions.get(parts[parts.length - 2]);
    if (what === 'keepalive') {
      if (s) s.lastKeepalive = this.clock.now();
      if (m.reply) m.respond(encode({ code: s ? 200 : 404 }));
      return;
    }
    if (!s) return;
    if (what === 'cancel') s.child.kill('SIGKILL');
    else if (what === 'stdin') this.input(s, m.data);
  }

  private input(s: Session, bytes: Uint8Array): void {
    let msg: ExecInput;
    try {
      msg = decode<ExecInput>(bytes);
    } catch {
      return;
    }
    const stdin = s.child.stdin;
    if (!stdin || stdin.writableEnded) return;
    // A lost piece of input would corrupt what the command reads: cut its input off instead.
    if (msg.seq !== ++s.inputSeq || 'close' in msg) stdin.end();
    else stdin.write(msg.data);
  }

  /** Kills commands whose caller went silent, or whose container stopped (its processes die with it). */
  private reap(): void {
    const now = this.clock.now();
    for (const s of this.sessions.values()) {
      const gone = now - s.lastKeepalive > EXEC_TIMEOUT_MS || !this.o.find(s.req.namespace, s.req.name)?.spec(s.container);
      if (gone) s.child.kill('SIGKILL');
    }
  }
}
