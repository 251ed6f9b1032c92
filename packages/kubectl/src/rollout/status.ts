/**
 * The rollout status of a Deployment, DaemonSet or StatefulSet from its status fields, with the
 * exact messages and rules of kubectl's `polymorphichelpers/rollout_status.go`.
 */
import type { KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { revisionOf } from './history.js';

/** One judgement: the line to print and whether the rollout is done. */
export interface RolloutStatus {
  message: string;
  done: boolean;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- status fields are read as loose JSON */
type Json = any;

/** The viewer for a kind, or undefined when kubectl has none (`no status viewer has been implemented`). */
export function statusViewerFor(group: string, kind: string): ((obj: KubeObject, revision: number) => RolloutStatus) | undefined {
  if (group === 'apps' && kind === 'Deployment') return deploymentStatus;
  if (group === 'apps' && kind === 'DaemonSet') return daemonSetStatus;
  if (group === 'apps' && kind === 'StatefulSet') return statefulSetStatus;
  return undefined;
}

/**
 * A Deployment's status. Throws CommandError for a missed progress deadline and for a pinned
 * `revision` that is no longer the running one.
 */
export function deploymentStatus(obj: KubeObject, revision = 0): RolloutStatus {
  const d = obj as Json;
  const name = d.metadata?.name ?? '';
  const status = d.status ?? {};
  if (revision > 0) {
    const running = revisionOf(obj);
    if (running === undefined) throw new CommandError(`cannot get the revision of deployment "${name}": ${revisionParseError(obj)}`);
    if (running !== revision) throw new CommandError(`desired revision (${revision}) is different from the running revision (${running})`);
  }
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return waiting('Waiting for deployment spec update to be observed...');
  const progressing = (status.conditions ?? []).find((c: Json) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CommandError(`deployment "${name}" exceeded its progress deadline`);
  const updated = status.updatedReplicas ?? 0;
  const prefix = `Waiting for deployment "${name}" rollout to finish: `;
  if (d.spec?.replicas != null && updated < d.spec.replicas) return waiting(`${prefix}${updated} out of ${d.spec.replicas} new replicas have been updated...`);
  if ((status.replicas ?? 0) > updated) return waiting(`${prefix}${(status.replicas ?? 0) - updated} old replicas are pending termination...`);
  if ((status.availableReplicas ?? 0) < updated) return waiting(`${prefix}${status.availableReplicas ?? 0} of ${updated} updated replicas are available...`);
  return { message: `deployment "${name}" successfully rolled out\n`, done: true };
}

/** A DaemonSet's status (rolling updates only). */
export function daemonSetStatus(obj: KubeObject): RolloutStatus {
  const d = obj as Json;
  const name = d.metadata?.name ?? '';
  const status = d.status ?? {};
  if ((d.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new CommandError('rollout status is only available for RollingUpdate strategy type');
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return waiting('Waiting for daemon set spec update to be observed...');
  const desired = status.desiredNumberScheduled ?? 0;
  const prefix = `Waiting for daemon set "${name}" rollout to finish: `;
  if ((status.updatedNumberScheduled ?? 0) < desired) return waiting(`${prefix}${status.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...`);
  if ((status.numberAvailable ?? 0) < desired) return waiting(`${prefix}${status.numberAvailable ?? 0} of ${desired} updated pods are available...`);
  return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
}

/** A StatefulSet's status (rolling updates only). */
export function statefulSetStatus(obj: KubeObject): RolloutStatus {
  const s = obj as Json;
  const spec = s.spec ?? {};
  const status = s.status ?? {};
  if ((spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new CommandError('rollout status is only available for RollingUpdate strategy type');
  if (!status.observedGeneration || (s.metadata?.generation ?? 0) > status.observedGeneration) return waiting('Waiting for statefulset spec update to be observed...');
  if (spec.replicas != null && (status.readyReplicas ?? 0) < spec.replicas) return waiting(`Waiting for ${spec.replicas - (status.readyReplicas ?? 0)} pods to be ready...`);
  const partition = spec.updateStrategy?.rollingUpdate?.partition;
  if (spec.updateStrategy?.rollingUpdate) {
    if (spec.replicas != null && partition != null && (status.updatedReplicas ?? 0) < spec.replicas - partition) {
      return waiting(`Waiting for partitioned roll out to finish: ${status.updatedReplicas ?? 0} out of ${spec.replicas - partition} new pods have been updated...`);
    }
    return { message: `partitioned roll out complete: ${status.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (status.updateRevision !== status.currentRevision) {
    return waiting(`waiting for statefulset rolling update to complete ${status.updatedReplicas ?? 0} pods at revision ${status.updateRevision ?? ''}...`);
  }
  return { message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? ''}...\n`, done: true };
}

function waiting(line: string): RolloutStatus {
  return { message: `${line}\n`, done: false };
}

function revisionParseError(obj: KubeObject): string {
  const raw = obj.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '';
  return `strconv.ParseInt: parsing "${raw}": invalid syntax`;
}
