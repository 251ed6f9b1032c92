/**
 * The pod `kubectl logs TYPE/NAME` reads for a workload (polymorphichelpers.GetFirstPod): the
 * pods matching the object's selector, best first by podutils.ByLogging; when there are none
 * yet, the first pod a watch sees within `--pod-running-timeout`.
 */
import { findResourceByKind, type KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { listObjects, withTypeMeta } from '../fetch.js';
import type { Session } from '../session.js';
import { WaitTimeoutError } from '../watch-until.js';
import { compareForLogging } from './logs-select.js';
import { selectorString } from './rollout-common.js';

const PODS = findResourceByKind('v1', 'Pod')!;

/* eslint-disable @typescript-eslint/no-explicit-any -- workloads are read as loose JSON */
type Json = any;

const WITH_LABEL_SELECTOR = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Deployment', 'Job']);

/** The pod label selector of a workload or Service (SelectorsForObject), as a string. */
export function podSelectorOf(obj: Json): string {
  const goType = `*${String(obj.apiVersion ?? 'v1').split('/').pop()}.${obj.kind}`;
  if (WITH_LABEL_SELECTOR.has(obj.kind)) return selectorString(obj.spec?.selector);
  if (obj.kind === 'ReplicationController') return selectorString({ matchLabels: obj.spec?.selector });
  if (obj.kind === 'Service') {
    if (Object.keys(obj.spec?.selector ?? {}).length === 0) {
      throw new CommandError(`cannot get the logs from ${goType}: invalid service '${obj.metadata?.name}': Service is defined without a selector`);
    }
    return selectorString({ matchLabels: obj.spec.selector });
  }
  throw new CommandError(`cannot get the logs from ${goType}: selector for ${goType} not implemented`);
}

/** The best pod for logs and how many matched. */
export async function firstPodOf(session: Session, obj: KubeObject, timeoutMs: number): Promise<{ pod: KubeObject; count: number }> {
  const selector = podSelectorOf(obj);
  const namespace = obj.metadata?.namespace ?? session.namespace;
  const { items, resourceVersion } = await listObjects(session, PODS, { namespace, labelSelector: selector, unpaged: true });
  if (items.length > 0) return { pod: [...items].sort(compareForLogging)[0], count: items.length };
  return { pod: await watchForPod(session, namespace, selector, resourceVersion, timeoutMs), count: 1 };
}

async function watchForPod(session: Session, namespace: string, selector: string, resourceVersion: string | undefined, timeoutMs: number): Promise<KubeObject> {
  const query: Record<string, string> = { labelSelector: selector };
  if (resourceVersion) query.resourceVersion = resourceVersion;
  const stream = await session.transport.watch({ verb: 'watch', group: '', version: 'v1', resource: 'pods', namespace, query });
  const timer = timeoutMs > 0 ? setTimeout(() => stream.close(), timeoutMs) : undefined;
  try {
    for await (const ev of stream) {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') return withTypeMeta(ev.object as KubeObject, PODS);
    }
  } finally {
    if (timer) clearTimeout(timer);
    stream.close();
  }
  throw new WaitTimeoutError();
}
