/**
 * A Deployment's revision history, read the way kubectl's DeploymentHistoryViewer and
 * DeploymentRollbacker read it: the ReplicaSets it controls (ownerReference uid), each one's
 * revision annotation and pod template, and the rollback patch built from one of them.
 */
import type { KubeObject } from '@kubesim/api';
import { deepEqual } from '../apply/three-way.js';
import { LAST_APPLIED } from '../apply/last-applied.js';
import { CommandError } from '../errors.js';
import { writePodTemplate } from '../printers/describe/containers.js';
import { PrefixWriter } from '../printers/describe/writer.js';
import { tabwrite } from '../printers/tabwriter.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';

/* eslint-disable @typescript-eslint/no-explicit-any -- templates are read as loose JSON */
type Json = any;

/**
 * The revision annotation as a number: 0 when absent (deploymentutil.Revision), undefined when
 * it is not an integer.
 */
export function revisionOf(obj: KubeObject): number | undefined {
  const raw = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (raw === undefined) return 0;
  return /^[+-]?\d+$/.test(raw) ? Number(raw) : undefined;
}

/** The ReplicaSets whose controller ownerReference is the given owner (metav1.IsControlledBy). */
export function controlledBy(items: readonly KubeObject[], owner: KubeObject): KubeObject[] {
  const uid = owner.metadata?.uid;
  return items.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid));
}

/** Revision → pod template (with the change-cause annotation copied in), later ReplicaSets winning. */
export function historyOf(replicaSets: readonly KubeObject[]): Map<number, Json> {
  const out = new Map<number, Json>();
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    const template = structuredClone((rs as Json).spec?.template ?? {});
    template.metadata ??= {};
    template.metadata.annotations ??= {};
    const cause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) template.metadata.annotations[CHANGE_CAUSE_ANNOTATION] = cause;
    out.set(revision, template);
  }
  return out;
}

/** The `REVISION  CHANGE-CAUSE` table (tabwriter padding 2), or kubectl's no-history line. */
export function historyTable(history: Map<number, Json>): string {
  if (history.size === 0) return 'No rollout history found.';
  const rows = [...history.keys()].sort((a, b) => a - b).map((r) => `${r}\t${history.get(r).metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>'}\n`);
  return tabwrite(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`, 2);
}

/** A pod template as DescribePodTemplate prints it into a plain buffer (tabs not aligned). */
export function podTemplateText(template: Json): string {
  const w = new PrefixWriter();
  writePodTemplate(w, template);
  return w.toRawString();
}

/**
 * The ReplicaSet to roll back to: the one with revision `toRevision`, or for 0 the second-newest
 * revision. Throws kubectl's errors when there is none.
 */
export function rollbackTarget(replicaSets: readonly KubeObject[], toRevision: number, deploymentName: string): KubeObject {
  let latest: { rs?: KubeObject; rev: number } = { rev: -1 };
  let previous: { rs?: KubeObject; rev: number } = { rev: -1 };
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision > 0) {
      if (v === toRevision) return rs;
      continue;
    }
    if (latest.rev < v) {
      previous = latest;
      latest = { rs, rev: v };
    } else if (previous.rev < v) previous = { rs, rev: v };
  }
  if (toRevision > 0) throw revisionNotFound(toRevision);
  if (!previous.rs) throw new CommandError(`no rollout history found for deployment "${deploymentName}"`);
  return previous.rs;
}

/** kubectl's error for a revision that is not in the history. */
export function revisionNotFound(revision: number): CommandError {
  return new CommandError(`unable to find specified revision ${revision} in history`);
}

/** Two pod templates are the same rollout when equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: Json, b: Json): boolean {
  return deepEqual(normalize(withoutHash(a)), normalize(withoutHash(b)));
}

/** A copy of the template without the pod-template-hash label. */
export function withoutHash(template: Json): Json {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  return copy;
}

/**
 * Go compares typed structs, where an absent field, null, `{}` and `[]` are all the zero value;
 * dropping them makes JSON from different writers compare the same way.
 */
function normalize(v: Json): Json {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== undefined && n !== null) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

const SKIPPED_ANNOTATIONS = new Set([
  LAST_APPLIED,
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** The Deployment's annotations after a rollback: its own bookkeeping ones plus the ReplicaSet's others. */
export function rollbackAnnotations(deployment: KubeObject, rs: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const own = deployment.metadata?.annotations ?? {};
  for (const k of SKIPPED_ANNOTATIONS) if (k in own) out[k] = own[k];
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k)) out[k] = v;
  return out;
}

/**
 * The JSON patch `rollout undo` sends: replace the template and the annotations. The template
 * is the ReplicaSet's as stored (kubectl's typed copy also writes `creationTimestamp: null` and
 * `resources: {}`, which a server keeping JSON verbatim would not see as the same template).
 */
export function rollbackPatch(deployment: KubeObject, rs: KubeObject): unknown[] {
  return [
    { op: 'replace', path: '/spec/template', value: withoutHash((rs as Json).spec?.template) },
    { op: 'replace', path: '/metadata/annotations', value: rollbackAnnotations(deployment, rs) },
  ];
}
