/**
 * Recording Kubernetes Events (core/v1) about objects, as client-go's EventRecorder does: the
 * same event repeated on the same object within ten minutes bumps `count` and `lastTimestamp` of
 * one Event instead of creating a new one. Recording never throws: an event is best effort.
 */
import { randomBytes } from 'node:crypto';
import type { ApiClient } from './client/client.js';
import type { LogFn } from './controller.js';
import type { KubeObject } from './meta.js';
import { findResource } from './resources.js';

const EVENTS = findResource('', 'v1', 'events')!;
const AGGREGATE_MS = 10 * 60 * 1000;

/** What an event is about: an object, or just enough of one. */
export interface EventSubject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export interface EventRecorderOptions {
  /** `source.component`, e.g. `default-scheduler`, `kubelet`, `deployment-controller`. */
  component: string;
  /** `source.host` (the node name for a kubelet). */
  host?: string;
  log?: LogFn;
  now?: () => Date;
}

let lastSuffix = 0n;

/** Nanoseconds since the epoch in hex, strictly increasing within this process. */
function eventSuffix(now: Date): string {
  let n = BigInt(now.getTime()) * 1_000_000n + BigInt(randomBytes(2).readUInt16BE(0));
  if (n <= lastSuffix) n = lastSuffix + 1n;
  lastSuffix = n;
  return n.toString(16);
}

/** Records Events through an API client. */
export class EventRecorder {
  private readonly seen = new Map<string, { name: string; namespace: string; count: number; first: string; at: number }>();
  private readonly now: () => Date;

  constructor(
    private readonly client: ApiClient,
    private readonly options: EventRecorderOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Records a Normal or Warning event. Resolves when written (or when writing failed and was logged). */
  async record(subject: EventSubject | KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const m = subject.metadata;
    const namespace = m.namespace || 'default';
    const key = `${m.uid ?? `${namespace}/${m.name}`}|${type}|${reason}|${message}`;
    const now = this.now();
    const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const prior = this.seen.get(key);
    const rc = this.client.resource(EVENTS);
    try {
      if (prior && now.getTime() - prior.at < AGGREGATE_MS) {
        prior.count++;
        prior.at = now.getTime();
        await rc.patch(prior.namespace, prior.name, 'merge', { count: prior.count, lastTimestamp: stamp });
        return;
      }
      // Like client-go: the suffix is the time in hex, so events list in the order they happened.
      const name = `${m.name}.${eventSuffix(now)}`;
      this.seen.set(key, { name, namespace, count: 1, first: stamp, at: now.getTime() });
      this.prune(now.getTime());
      await rc.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: subject.apiVersion,
          kind: subject.kind,
          name: m.name,
          namespace: m.namespace,
          uid: m.uid,
          resourceVersion: m.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component: this.options.component, ...(this.options.host ? { host: this.options.host } : {}) },
        firstTimestamp: stamp,
        lastTimestamp: stamp,
        count: 1,
        reportingComponent: this.options.component,
        reportingInstance: this.options.host ?? '',
      } as unknown as KubeObject);
    } catch (err) {
      this.options.log?.('warn', 'could not record event', { reason, object: m.name, error: (err as Error).message });
    }
  }

  private prune(nowMs: number): void {
    if (this.seen.size < 4096) return;
    for (const [k, v] of this.seen) if (nowMs - v.at > AGGREGATE_MS) this.seen.delete(k);
  }
}
