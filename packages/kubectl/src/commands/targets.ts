/**
 * The objects a read or delete command acts on, from either resource arguments or `-f` files,
 * each with the namespace it lives in.
 */
import { ApiError, type ResourceInfo } from '@kubesim/api';
import type { FlagValue } from '../flags.js';
import { readManifests } from '../manifests.js';
import { parseResourceArgs, resolveObjectType, resolveTargets, type ResourceArgs } from '../resources.js';
import type { Session } from '../session.js';

export interface Target {
  info: ResourceInfo;
  name?: string;
  /** Undefined for cluster-scoped resources and for `-A` lists. */
  namespace?: string;
  /** The `-f` file the object came from, for error messages. */
  source?: string;
}

export interface TargetSet {
  targets: Target[];
  /** kubectl prints `kind/name` when several types were asked for (`get pods,svc`, `get all`). */
  multipleTypes: boolean;
  /** Exactly one object was named (`get pod x`): printed alone rather than in a List. */
  singleItem: boolean;
}

/** Resolves targets from `-f` files or from positional resource arguments. */
export async function collectTargets(session: Session, args: readonly string[], flags: Record<string, FlagValue>, allNamespaces: boolean): Promise<TargetSet> {
  const files = (flags.filename as string[] | undefined) ?? [];
  if (files.length > 0) return fromFiles(session, files, Boolean(flags.recursive));
  const parsed = parseResourceArgs(args);
  const resolved = await resolveTargets(session, parsed);
  const targets = resolved.map((t) => ({
    info: t.info,
    name: t.name,
    namespace: t.info.namespaced && !(allNamespaces && !t.name) ? session.namespace : undefined,
  }));
  return { targets, multipleTypes: multipleTypesRequested(parsed), singleItem: isSingleItem(parsed) };
}

async function fromFiles(session: Session, files: string[], recursive: boolean): Promise<TargetSet> {
  const manifests = await readManifests(files, recursive, session.io.stdin);
  const targets: Target[] = [];
  for (const m of manifests) {
    const info = await resolveObjectType(session, m.obj, m.source);
    const namespace = info.namespaced ? m.obj.metadata?.namespace || session.namespace : undefined;
    targets.push({ info, name: m.obj.metadata?.name, namespace, source: m.source });
  }
  const kinds = new Set(targets.map((t) => `${t.info.group}/${t.info.kind}`));
  return { targets, multipleTypes: kinds.size > 1, singleItem: targets.length === 1 };
}

function multipleTypesRequested(args: ResourceArgs): boolean {
  if (args.kind === 'pairs') return new Set(args.pairs.map((p) => p.type)).size > 1;
  return args.types.length > 1 || args.types[0] === 'all';
}

function isSingleItem(args: ResourceArgs): boolean {
  if (args.kind === 'pairs') return args.pairs.length === 1;
  return args.types.length === 1 && args.types[0] !== 'all' && args.names.length === 1;
}

/** True for the not-found errors kubectl reports per object and keeps going. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'NotFound';
}
