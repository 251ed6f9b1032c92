/**
 * kubectl's resource builder for the commands that change objects (scale, label, set, rollout…):
 * the live objects named by `TYPE NAME…`, `TYPE/NAME…` or `-f`, or listed by `TYPE -l/--all`,
 * fetched with a GET each; plus the patch request those commands send.
 */
import { ApiError, unwrap, type KubeObject, type PatchType, type ResourceInfo } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { getObject, listObjects, withTypeMeta } from '../fetch.js';
import { readManifests } from '../manifests.js';
import { parseResourceArgs, resolveObjectType, resolveTargets } from '../resources.js';
import type { Session } from '../session.js';

/** One live object a command acts on (kubectl's resource.Info). */
export interface ObjectInfo {
  info: ResourceInfo;
  /** Undefined for cluster-scoped resources. */
  namespace?: string;
  name: string;
  object: KubeObject;
}

/** What to select: positional resource arguments, `-f` files, or a type with a selector. */
export interface Selection {
  args: readonly string[];
  filenames?: readonly string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  /** `--all`: every object of the given types. */
  all?: boolean;
  allNamespaces?: boolean;
  /** A bare type (no name, no selector) lists every object (ResourceTypeOrNameArgs(true, …)). */
  allowEmptySelector?: boolean;
  /** List without `limit`, as the unstructured builder of label/annotate does. */
  unpaged?: boolean;
}

export interface Selected {
  objects: ObjectInfo[];
  /** Per-object failures (a named object not found…), reported after the others are handled. */
  errors: unknown[];
  /** Exactly one object was named (kubectl's IntoSingleItemImplied). */
  singleItem: boolean;
}

/** kubectl's message when neither resources nor files were given. */
export const NO_RESOURCES_GIVEN =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** Fetches the selected objects. Configuration mistakes throw; per-object failures are collected. */
export async function selectObjects(session: Session, sel: Selection): Promise<Selected> {
  if ((sel.filenames ?? []).length > 0) return fromFiles(session, sel);
  if (sel.args.length === 0) throw new CommandError(NO_RESOURCES_GIVEN);
  const parsed = parseResourceArgs(sel.args);
  const targets = await resolveTargets(session, parsed);
  const named = targets.filter((t) => t.name);
  const listing = Boolean(sel.selector || sel.fieldSelector || sel.all || sel.allowEmptySelector);
  if (named.length === 0 && !listing) throw new CommandError('resource(s) were provided, but no name was specified');
  const out: Selected = { objects: [], errors: [], singleItem: named.length === 1 && targets.length === 1 };
  for (const t of targets) {
    const namespace = t.info.namespaced ? session.namespace : undefined;
    if (t.name) await fetchOne(session, t.info, namespace, t.name, out);
    else await fetchList(session, t.info, sel.allNamespaces || !t.info.namespaced ? undefined : namespace, sel, out);
  }
  return out;
}

async function fromFiles(session: Session, sel: Selection): Promise<Selected> {
  const manifests = await readManifests(sel.filenames!, Boolean(sel.recursive), session.io.stdin);
  const out: Selected = { objects: [], errors: [], singleItem: manifests.length === 1 };
  for (const m of manifests) {
    const info = await resolveObjectType(session, m.obj, m.source);
    const namespace = info.namespaced ? m.obj.metadata?.namespace || session.namespace : undefined;
    await fetchOne(session, info, namespace, m.obj.metadata?.name ?? '', out);
  }
  return out;
}

async function fetchOne(session: Session, info: ResourceInfo, namespace: string | undefined, name: string, out: Selected): Promise<void> {
  try {
    out.objects.push({ info, namespace, name, object: await getObject(session, info, namespace, name) });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    out.errors.push(err);
  }
}

async function fetchList(session: Session, info: ResourceInfo, namespace: string | undefined, sel: Selection, out: Selected): Promise<void> {
  try {
    const { items } = await listObjects(session, info, { namespace, labelSelector: sel.selector, fieldSelector: sel.fieldSelector, unpaged: sel.unpaged });
    for (const o of items) out.objects.push({ info, namespace: info.namespaced ? o.metadata?.namespace : undefined, name: o.metadata?.name ?? '', object: o });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    out.errors.push(err);
  }
}

/**
 * Splits arguments into resources and `key=value`/`key-` pairs (kubectl's GetResourcesAndPairs);
 * a resource after the first pair is an error.
 */
export function splitResourcesAndPairs(args: readonly string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const arg of args) {
    const isPair = arg.includes('=') || arg.endsWith('-');
    if (isPair) pairs.push(arg);
    else if (pairs.length > 0) throw new CommandError(`all resources must be specified before ${pairType} changes: ${arg}`);
    else resources.push(arg);
  }
  return { resources, pairs };
}

export interface PatchRequest {
  type: PatchType;
  body: unknown;
  /** fieldManager, fieldValidation, dryRun… */
  query?: Record<string, string>;
  subresource?: string;
}

/** PATCHes one object (or its subresource) and returns the server's answer with its type filled in. */
export async function patchObject(session: Session, target: Pick<ObjectInfo, 'info' | 'namespace' | 'name'>, req: PatchRequest): Promise<KubeObject> {
  const res = await session.transport.request({
    verb: 'patch',
    group: target.info.group,
    version: target.info.version,
    resource: target.info.plural,
    subresource: req.subresource,
    namespace: target.namespace,
    name: target.name,
    patchType: req.type,
    body: req.body,
    query: req.query,
  });
  const obj = unwrap<KubeObject>(res);
  return req.subresource ? obj : withTypeMeta(obj, target.info);
}

/** `Kind.group` as Go prints a GroupKind (`ReplicaSet.apps`, `Pod`). */
export function groupKind(info: ResourceInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

/** `resource.group` (`deployments.apps`, `pods`), the prefix of kubectl's per-object messages. */
export function groupResource(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}
