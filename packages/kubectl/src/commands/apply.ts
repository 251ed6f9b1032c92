/**
 * `kubectl apply -f`: client-side apply (create when absent, else the three-way merge patch against
 * the last-applied-configuration annotation) or `--server-side` apply (an apply-patch with
 * fieldManager=kubectl). Prints `kind.group/name created|configured|unchanged|serverside-applied`.
 */
import { ApiError, unwrap, type ApiRequest, type KubeObject, type ResourceInfo } from '@kubesim/api';
import { readLastApplied, withLastApplied } from '../apply/last-applied.js';
import { threeWayMergePatch } from '../apply/three-way.js';
import { CommandError, formatApiError, formatError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { readManifests, type Manifest } from '../manifests.js';
import { withTypeMeta } from '../fetch.js';
import { objectName } from '../printers/objects.js';
import { parseOutput, printObjects } from '../printers/output.js';
import { resolveObjectType } from '../resources.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, dryRunSuffix, FILENAME_FLAG, OUTPUT_FLAG, RECURSIVE_FLAG, type Command } from './command.js';

export const applyCommand: Command = {
  name: 'apply',
  short: 'Apply a configuration to a resource by file name or stdin',
  long: `Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.

 JSON and YAML formats are accepted.`,
  examples: `  # Apply the configuration in pod.json to a pod
  kubectl apply -f ./pod.json

  # Apply resources from a directory
  kubectl apply -f ./manifests/

  # Apply the JSON passed into stdin to a pod
  cat pod.json | kubectl apply -f -

  # Apply with server-side apply
  kubectl apply --server-side -f ./deployment.yaml`,
  usage: 'apply (-f FILENAME) [options]',
  flags: [
    DRY_RUN_FLAG,
    FILENAME_FLAG,
    { name: 'force-conflicts', type: 'bool', help: 'If true, server-side apply will force the changes against conflicts.' },
    { name: 'field-manager', type: 'string', default: 'kubectl-client-side-apply', help: 'Name of the manager used to track field ownership.' },
    OUTPUT_FLAG,
    RECURSIVE_FLAG,
    { name: 'server-side', type: 'bool', help: 'If true, apply runs in the server instead of the client.' },
    { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict', help: 'Must be one of: strict (or true), warn, ignore (or false). Accepted; validation is left to the server.' },
  ],
  run: runApply,
};

interface ApplyContext {
  session: Session;
  mode: 'none' | 'client' | 'server';
  serverSide: boolean;
  force: boolean;
  fieldManager: string;
  output: string;
}

async function runApply(session: Session, p: ParsedArgs): Promise<number> {
  const files = p.flags.filename as string[];
  if (files.length === 0) throw new CommandError('must specify one of -f and -k');
  const serverSide = Boolean(p.flags['server-side']);
  const ctx: ApplyContext = {
    session,
    mode: dryRunMode(p.flags['dry-run'] as string),
    serverSide,
    force: Boolean(p.flags['force-conflicts']),
    fieldManager: p.set.has('field-manager') ? (p.flags['field-manager'] as string) : serverSide ? 'kubectl' : 'kubectl-client-side-apply',
    output: p.flags.output as string,
  };
  if (ctx.output) parseOutput(ctx.output);
  const manifests = await readManifests(files, Boolean(p.flags.recursive), session.io.stdin);
  if (manifests.length === 0) throw new CommandError('no objects passed to apply');
  let failed = 0;
  for (const m of manifests) {
    try {
      await applyOne(ctx, m);
    } catch (err) {
      failed++;
      session.err(describeFailure(err, m, 'apply') + '\n');
    }
  }
  return failed > 0 ? 1 : 0;
}

/** kubectl's per-object error line: server errors get `error when <verb> "file":` context. */
export function describeFailure(err: unknown, m: Manifest, verb: string): string {
  if (err instanceof ApiError) return formatApiError(err, `error when ${verbing(verb)} "${m.source}"`);
  return formatError(err, verb);
}

function verbing(verb: string): string {
  return verb === 'apply' ? 'applying' : verb === 'create' ? 'creating' : verb === 'delete' ? 'deleting' : `${verb}ing`;
}

async function applyOne(ctx: ApplyContext, m: Manifest): Promise<void> {
  const { session } = ctx;
  const info = await resolveObjectType(session, m.obj, m.source);
  const namespace = info.namespaced ? m.obj.metadata?.namespace || session.namespace : undefined;
  const name = m.obj.metadata?.name;
  if (!name) throw new CommandError(`error when retrieving current configuration of:\nResource: "${info.plural}", GroupVersionKind: "${m.obj.apiVersion}, Kind=${m.obj.kind}"\nName: "", Namespace: "${namespace ?? ''}"\nfrom server for: "${m.source}": resource name may not be empty`);
  if (ctx.serverSide) return serverSideApply(ctx, info, namespace, m.obj);
  const live = await getLive(session, info, namespace, name);
  const desired = withLastApplied(m.obj, namespace);
  if (!live) {
    const created = ctx.mode === 'client' ? desired : await send(session, write(info, namespace, 'create', desired, ctx));
    return report(ctx, info, created, 'created');
  }
  const patch = threeWayMergePatch(readLastApplied(live), desired, live);
  if (Object.keys(patch).length === 0) return report(ctx, info, live, 'unchanged');
  const patched = ctx.mode === 'client' ? live : await send(session, { ...write(info, namespace, 'patch', patch, ctx), name, patchType: 'merge' });
  return report(ctx, info, patched, 'configured');
}

async function serverSideApply(ctx: ApplyContext, info: ResourceInfo, namespace: string | undefined, obj: KubeObject): Promise<void> {
  const body = structuredClone(obj);
  if (namespace && !body.metadata.namespace) body.metadata.namespace = namespace;
  if (ctx.mode === 'client') return report(ctx, info, body, 'serverside-applied');
  const req = { ...write(info, namespace, 'patch', body, ctx), name: body.metadata.name, patchType: 'apply' as const };
  req.query.force = String(ctx.force);
  report(ctx, info, await send(ctx.session, req), 'serverside-applied');
}

function write(info: ResourceInfo, namespace: string | undefined, verb: 'create' | 'patch', body: unknown, ctx: ApplyContext): ApiRequest & { query: Record<string, string> } {
  const query: Record<string, string> = { fieldManager: ctx.fieldManager };
  if (ctx.mode === 'server') query.dryRun = 'All';
  return { verb, group: info.group, version: info.version, resource: info.plural, namespace, body, query };
}

async function getLive(session: Session, info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
  const res = await session.transport.request({ verb: 'get', group: info.group, version: info.version, resource: info.plural, namespace, name });
  if (res.code === 404) return undefined;
  return unwrap<KubeObject>(res);
}

async function send(session: Session, req: ApiRequest): Promise<KubeObject> {
  return unwrap<KubeObject>(await session.transport.request(req));
}

function report(ctx: ApplyContext, info: ResourceInfo, obj: KubeObject, verb: string): void {
  const typed = withTypeMeta(obj, info);
  const format = ctx.output ? parseOutput(ctx.output) : undefined;
  if (format && format.kind !== 'table') {
    ctx.session.out(printObjects([typed], format, { single: true }));
    return;
  }
  ctx.session.out(`${objectName(typed)} ${verb}${dryRunSuffix(ctx.mode)}\n`);
}
