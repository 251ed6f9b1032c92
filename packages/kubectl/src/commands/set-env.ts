/**
 * `kubectl set env`: adds, changes (`KEY=VALUE`) or removes (`KEY-`) environment variables of
 * the containers of pod templates chosen by `-c` (a glob), or lists them with `--list`; sends the
 * strategic merge patch kubectl computes and skips unchanged objects.
 */
import { ApiError, type KubeObject } from '@kubesim/api';
import { CommandError, formatError, UsageError } from '../errors.js';
import type { ParsedArgs } from '../flags.js';
import { createStrategicMergePatch } from '../patch/two-way.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, type Command } from './command.js';
import { patchObject, splitResourcesAndPairs, type ObjectInfo } from './objects.js';
import { globMatch, noPodSpecMessage, podSpecOf } from './pod-spec.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';
import { ALL_FLAG_SELECT, FIELD_MANAGER_SET, SET_SELECTION_FLAGS, selectForSet, setQuery } from './set-common.js';

export const setEnvCommand: Command = {
  name: 'env',
  short: 'Update environment variables on a pod template',
  long: `Update environment variables on a pod template.

 List environment variable definitions in one or more pods, pod templates. Add, update, or remove container environment variable definitions in one or more pod templates (within replication controllers or deployment configurations). View or modify the environment variable definitions on all containers in the specified pods or pod templates, or just those that match a wildcard.

 Possible resources include (case insensitive):

        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)`,
  examples: `  # Update deployment 'registry' with a new environment variable
  kubectl set env deployment/registry STORAGE_DIR=/local

  # List the environment variables defined on a deployments 'sample-build'
  kubectl set env deployment/sample-build --list

  # List the environment variables defined on all pods
  kubectl set env pods --all --list

  # Output modified deployment in YAML, and does not alter the object on the server
  kubectl set env deployment/sample-build STORAGE_DIR=/data -o yaml

  # Remove the environment variable ENV from container 'c1' in all deployment configs
  kubectl set env deployments --all --containers="c1" ENV-`,
  usage: 'set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]',
  flags: [
    { ...ALL_FLAG_SELECT, help: 'If true, select all resources in the namespace of the specified resource types' },
    { name: 'containers', short: 'c', type: 'string', default: '*', help: 'The names of containers in the selected pod templates to change - may use wildcards' },
    DRY_RUN_FLAG,
    { name: 'env', short: 'e', type: 'array', help: 'Specify a key-value pair for an environment variable to set into each container.' },
    FIELD_MANAGER_SET,
    ...SET_SELECTION_FLAGS,
    { name: 'list', type: 'bool', help: 'If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env.' },
    PRINT_OUTPUT_FLAG,
    { name: 'overwrite', type: 'bool', default: true, help: 'If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.' },
  ],
  run: runSetEnv,
};

/* eslint-disable @typescript-eslint/no-explicit-any -- containers are edited as loose JSON */
type Json = any;

export interface EnvChanges {
  set: { name: string; value: string }[];
  remove: string[];
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Parses `KEY=VALUE` and `KEY-` arguments (kubectl's envutil.ParseEnv). */
export function parseEnvArgs(args: readonly string[]): EnvChanges {
  const out: EnvChanges = { set: [], remove: [] };
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      const name = arg.slice(0, eq);
      if (!ENV_NAME.test(name)) {
        throw new CommandError(`invalid environment variable name "${name}": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit`);
      }
      out.set.push({ name, value: arg.slice(eq + 1) });
    } else if (arg.endsWith('-')) {
      out.remove.push(arg.slice(0, -1));
    } else {
      throw new CommandError(`environment variables must be of the form key=value and can only contain letters, numbers, and underscores`);
    }
  }
  return out;
}

/** The new env list of a container (kubectl's updateEnv): replaced in place, new ones appended. */
export function updateEnv(existing: readonly Json[], changes: EnvChanges): Json[] {
  const covered = new Set(changes.remove);
  const out: Json[] = [];
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = changes.set.find((s) => s.name === e.name);
    if (newer) {
      covered.add(e.name);
      out.push({ name: newer.name, value: newer.value });
    } else out.push(e);
  }
  for (const s of changes.set) {
    if (covered.has(s.name)) continue;
    covered.add(s.name);
    out.push({ name: s.name, value: s.value });
  }
  return out;
}

/** `--list` lines for one container. */
export function listEnv(kind: string, name: string, container: Json): string {
  const lines = [`# ${kind} ${name}, container ${container.name}`];
  for (const e of container.env ?? []) {
    if (!e.valueFrom) lines.push(`${e.name}=${e.value ?? ''}`);
    else lines.push(`# ${e.name} from ${refString(e.valueFrom)}`);
  }
  return lines.join('\n') + '\n';
}

function refString(from: Json): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef) return `resource ${from.resourceFieldRef.resource}`;
  return 'invalid source';
}

async function runSetEnv(session: Session, p: ParsedArgs): Promise<number> {
  const { resources, pairs } = splitResourcesAndPairs(p.args, 'environment');
  const changes = parseEnvArgs([...pairs, ...(p.flags.env as string[])]);
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  if (resources.length === 0 && (p.flags.filename as string[]).length === 0) {
    throw new UsageError('one or more resources must be specified as <resource> <name> or <resource>/<name>', 'examples');
  }
  const selected = await selectForSet(session, p, resources);
  const errors: string[] = selected.errors.map((e) => formatError(e, 'set env'));
  for (const target of selected.objects) {
    const edited = editEnv(session, p, target, changes);
    if (typeof edited === 'string') errors.push(edited);
    if (typeof edited !== 'object') continue;
    const patch = createStrategicMergePatch(target.object, edited);
    if (Object.keys(patch).length === 0) continue;
    try {
      const obj = dryRun === 'client' ? edited : await patchObject(session, target, { type: 'strategic', body: patch, query: setQuery(p, dryRun) });
      session.out(formatResult(obj, 'env updated', { output: p.flags.output as string, dryRun }));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors.push(`failed to patch env update to pod template: ${err.message}`);
    }
  }
  for (const e of errors) session.err(`${e}\n`);
  return errors.length > 0 ? 1 : 0;
}

/**
 * Applies the changes to a copy of the object's matching containers and returns it; prints the
 * listing (`--list`) or the no-match warning and returns undefined; returns an error line.
 */
function editEnv(session: Session, p: ParsedArgs, target: ObjectInfo, changes: EnvChanges): KubeObject | string | undefined {
  const modified = structuredClone(target.object) as KubeObject;
  const spec = podSpecOf(modified);
  if (!spec) return `error: ${noPodSpecMessage(target.info.kind, target.name, target.info.plural)}`;
  const pattern = p.flags.containers as string;
  const containers: Json[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c: Json) => globMatch(pattern, c.name));
  if (containers.length === 0) {
    session.err(`Warning: ${target.info.kind}/${target.name} does not have any containers matching "${pattern}"\n`);
    return undefined;
  }
  if (p.flags.list) {
    for (const c of containers) session.out(listEnv(target.info.kind, target.name, c));
    return undefined;
  }
  for (const c of containers) {
    const clash = !p.flags.overwrite && (c.env ?? []).find((e: Json) => changes.set.some((s) => s.name === e.name));
    if (clash) throw new CommandError(`'${clash.name}' already has a value (${clash.value ?? ''}), and --overwrite is false`);
    const env = updateEnv(c.env ?? [], changes);
    if (env.length > 0) c.env = env;
    else delete c.env;
  }
  return modified;
}
