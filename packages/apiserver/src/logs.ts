/**
 * `pods/log`: the apiserver finds the pod's node and asks that node's kubelet over NATS, as the
 * real apiserver proxies to the kubelet. Plain reads are one request; `follow` is a stream of
 * frames to an inbox, kept alive from here until the HTTP client goes away.
 */
import { createInbox, type NatsConnection } from 'nats';
import {
  BadRequestError,
  ReplyMux,
  ServiceUnavailableError,
  decode,
  encode,
  errorFromStatus,
  findResource,
  LOG_SUBJECTS,
  type ApiResponse,
  type LogRequest,
  type RequestQuery,
  type Status,
} from '@kubesim/api';
import type { Registry } from './registry/registry.js';

const PODS = findResource('', 'v1', 'pods')!;

export class PodLogs {
  private readonly mux: ReplyMux;

  constructor(
    private readonly nc: NatsConnection,
    private readonly registry: Registry,
  ) {
    this.mux = new ReplyMux(nc, 15_000);
  }

  /** Reads a container's log; resolves with the text. */
  async read(namespace: string, name: string, query: RequestQuery): Promise<string> {
    const { node, request } = await this.target(namespace, name, query);
    const reply = await this.ask(LOG_SUBJECTS.read(node), request, node);
    if (reply.code >= 400) throw errorFromStatus(reply.body as Status);
    return String(reply.body ?? '');
  }

  /** Streams a container's log to `write` until it ends or `signal` aborts. */
  async follow(namespace: string, name: string, query: RequestQuery, write: (chunk: string) => void, signal: AbortSignal): Promise<void> {
    const { node, request } = await this.target(namespace, name, query);
    const inbox = createInbox();
    const sub = this.nc.subscribe(inbox);
    try {
      const reply = await this.ask(LOG_SUBJECTS.follow(node), { ...request, inbox }, node);
      if (reply.code >= 400) throw errorFromStatus(reply.body as Status);
      const streamId = String((reply as unknown as { streamId: string }).streamId);
      const keepalive = setInterval(() => this.nc.publish(LOG_SUBJECTS.keepalive(node, streamId)), 5_000);
      const stop = () => sub.unsubscribe();
      signal.addEventListener('abort', stop, { once: true });
      try {
        let seq = 1;
        for await (const m of sub) {
          const frame = decode<{ seq: number; data?: string; end?: boolean }>(m.data);
          if (frame.seq !== seq++ || frame.end) break;
          if (frame.data) write(frame.data);
        }
      } finally {
        clearInterval(keepalive);
        signal.removeEventListener('abort', stop);
        this.nc.publish(LOG_SUBJECTS.cancel(node, streamId));
      }
    } finally {
      sub.unsubscribe();
    }
  }

  private async target(namespace: string, name: string, q: RequestQuery): Promise<{ node: string; request: LogRequest }> {
    const pod = (await this.registry.get(PODS, namespace, name)).object as any;
    const node = pod.spec?.nodeName;
    if (!node) {
      const container = q.container ?? pod.spec?.containers?.[0]?.name;
      throw new BadRequestError(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    }
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    return {
      node,
      request: {
        namespace,
        name,
        container: q.container,
        previous: q.previous === 'true',
        tailLines: num(q.tailLines),
        sinceSeconds: num(q.sinceSeconds),
        timestamps: q.timestamps === 'true',
        limitBytes: num(q.limitBytes),
      },
    };
  }

  private async ask(subject: string, request: LogRequest, node: string): Promise<ApiResponse> {
    try {
      return decode<ApiResponse>((await this.mux.request(subject, encode(request))).data);
    } catch {
      throw new ServiceUnavailableError(`the kubelet of node "${node}" is not answering`);
    }
  }
}
