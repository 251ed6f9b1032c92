/**
 * `pods/exec`, the apiserver's side: checks the request against the pod (the apiserver's 400s and
 * 404s), then asks the pod's kubelet over NATS to start the command, as the real apiserver
 * proxies exec to the kubelet. The kubelet answers once the command runs, so every "cannot" is an
 * error here, before the HTTP connection is upgraded; after that the session is a stream of
 * output frames from an inbox, and input published back to the kubelet.
 */
import { createInbox, type NatsConnection, type Subscription } from 'nats';
import {
  BadRequestError,
  EXEC_KEEPALIVE_MS,
  EXEC_SUBJECTS,
  ReplyMux,
  ServiceUnavailableError,
  decode,
  encode,
  errorFromStatus,
  findResource,
  type ExecFrame,
  type ExecInput,
  type ExecRequest,
  type ExecStartReply,
  type Pod,
  type Status,
} from '@kubesim/api';
import type { Registry } from './registry/registry.js';

const PODS = findResource('', 'v1', 'pods')!;

/** What the client asked for, from the `pods/exec` query. */
export interface ExecOptions {
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Reads the exec query parameters (`command` repeats, one argv word each). */
export function execOptions(params: URLSearchParams): ExecOptions {
  const flag = (name: string) => params.get(name) === 'true' || params.get(name) === '1';
  return {
    container: params.get('container') || undefined,
    command: params.getAll('command'),
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    stderr: flag('stderr'),
    tty: flag('tty'),
  };
}

/** Where a session's output goes; `done` gets the exit code, or a Status when the session broke. */
export interface ExecSink {
  output(stream: 1 | 2, data: Uint8Array): void;
  done(result: { exit: number } | { error: Status }): void;
}

/** A command running in a container on some node. */
export class ExecSession {
  private inputSeq = 0;
  private ended = false;
  private keepalive?: NodeJS.Timeout;
  /** Set when the kubelet stopped answering keep-alives: the session ends with it. */
  private failure?: Status;

  constructor(
    private readonly nc: NatsConnection,
    private readonly mux: ReplyMux,
    private readonly node: string,
    private readonly streamId: string,
    private readonly sub: Subscription,
  ) {}

  /** Delivers the output to `sink` until the command ends or the session is cancelled. Never rejects. */
  async pump(sink: ExecSink): Promise<void> {
    this.keepalive = setInterval(() => void this.ping(), EXEC_KEEPALIVE_MS);
    let result: { exit: number } | { error: Status } | undefined;
    try {
      let seq = 1;
      for await (const m of this.sub) {
        const frame = decode<ExecFrame>(m.data);
        if (frame.seq !== seq++) {
          // A dropped frame would silently corrupt the output: end the session instead.
          result = { error: lost('output of the command was lost on the way from the kubelet') };
          break;
        }
        if ('data' in frame) sink.output(frame.stream, frame.data);
        else {
          result = 'exit' in frame ? { exit: frame.exit } : { error: frame.error };
          break;
        }
      }
    } catch (err) {
      result = { error: lost(`the exec stream broke: ${(err as Error).message}`) };
    } finally {
      this.stop(result === undefined || 'error' in result);
    }
    result ??= this.failure ? { error: this.failure } : undefined;
    if (result) sink.done(result);
  }

  /**
   * A keep-alive is a request, so a kubelet that died (no responders, or a restarted one that does
   * not know the session) ends the session instead of leaving the client waiting forever.
   */
  private async ping(): Promise<void> {
    let known = false;
    try {
      const reply = decode<{ code: number }>((await this.mux.request(EXEC_SUBJECTS.keepalive(this.node, this.streamId), new Uint8Array(0))).data);
      known = reply.code === 200;
    } catch {
      known = false;
    }
    if (known || this.ended) return;
    this.failure = lost(`the kubelet of node "${this.node}" stopped answering for this exec`);
    this.sub.unsubscribe();
  }

  /** Forwards client input to the command's stdin. */
  write(data: Uint8Array): void {
    if (!this.ended && data.length > 0) this.input({ seq: ++this.inputSeq, data });
  }

  /** End of file on the command's stdin. */
  closeStdin(): void {
    if (!this.ended) this.input({ seq: ++this.inputSeq, close: true });
  }

  /** The client went away: the kubelet kills the command. */
  cancel(): void {
    this.stop(true);
  }

  private input(msg: ExecInput): void {
    this.publish(EXEC_SUBJECTS.stdin(this.node, this.streamId), encode(msg));
  }

  private stop(cancel: boolean): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepalive);
    this.sub.unsubscribe();
    if (cancel) this.publish(EXEC_SUBJECTS.cancel(this.node, this.streamId));
  }

  private publish(subject: string, data?: Uint8Array): void {
    try {
      this.nc.publish(subject, data);
    } catch {
      // A closed connection: the kubelet's keep-alive timeout ends the command.
    }
  }
}

export class PodExec {
  private readonly mux: ReplyMux;

  constructor(
    private readonly nc: NatsConnection,
    private readonly registry: Registry,
  ) {
    this.mux = new ReplyMux(nc, 15_000);
  }

  /**
   * Checks the request and starts the command; throws the Status errors the client should see.
   * With `dryRun` the kubelet only checks that it could start it, and nothing is returned.
   */
  async start(namespace: string, name: string, o: ExecOptions, dryRun?: false): Promise<ExecSession>;
  async start(namespace: string, name: string, o: ExecOptions, dryRun: true): Promise<undefined>;
  async start(namespace: string, name: string, o: ExecOptions, dryRun = false): Promise<ExecSession | undefined> {
    if (!o.stdin && !o.stdout && !o.stderr) throw new BadRequestError('you must specify at least 1 of stdin, stdout, stderr');
    if (o.command.length === 0) throw new BadRequestError('you must specify at least one command for the container');
    const pod = (await this.registry.get(PODS, namespace, name)).object as unknown as Pod;
    const container = checkContainer(pod, o.container);
    const node = pod.spec?.nodeName;
    if (!node) throw new BadRequestError(`pod ${name} does not have a host assigned`);
    const inbox = createInbox();
    const sub = this.nc.subscribe(inbox);
    const request: ExecRequest = { namespace, name, container, command: o.command, stdin: o.stdin, tty: o.tty, inbox, dryRun };
    let reply: ExecStartReply;
    try {
      reply = decode<ExecStartReply>((await this.mux.request(EXEC_SUBJECTS.start(node), encode(request))).data);
    } catch {
      sub.unsubscribe();
      throw new ServiceUnavailableError(`the kubelet of node "${node}" is not answering`);
    }
    if (reply.code !== 200 || !('streamId' in reply)) {
      sub.unsubscribe();
      throw errorFromStatus((reply as { body: Status }).body);
    }
    if (dryRun) {
      sub.unsubscribe();
      return undefined;
    }
    return new ExecSession(this.nc, this.mux, node, reply.streamId, sub);
  }
}

/** The container to run in (the only one when none is named); the apiserver's 400s otherwise. */
function checkContainer(pod: Pod, requested: string | undefined): string {
  const name = pod.metadata.name;
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (names.length === 1) return names[0];
    throw new BadRequestError(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
  }
  if (!names.includes(requested) && !inits.includes(requested)) throw new BadRequestError(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function lost(message: string): Status {
  return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 } as Status;
}
