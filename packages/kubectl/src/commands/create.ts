/**
 * `kubectl create -f` and the generators: `create namespace`, `create deployment`,
 * `create configmap`, `create secret generic`, `create service clusterip|nodeport`. Each builds
 * the object kubectl would send and POSTs it with fieldManager=kubectl-create.
 */
import { ApiError, unwrap, type KubeObject } from '@kubesim/api';
import { CommandError, UsageError } from '../errors.js';
import { withLastApplied } from '../apply/last-applied.js';
import { withTypeMeta } from '../fetch.js';
import type { ParsedArgs } from '../flags.js';
import { readManifests } from '../manifests.js';
import { objectName } from '../printers/objects.js';
import { parseOutput, printObjects } from '../printers/output.js';
import { resolveObjectType } from '../resources.js';
import type { Session } from '../session.js';
import { describeFailure } from './apply.js';
import { DRY_RUN_FLAG, dryRunMode, dryRunSuffix, FILENAME_FLAG, OUTPUT_FLAG, RECURSIVE_FLAG, type Command } from './command.js';
import {
  configMapObject,
  deploymentObject,
  namespaceObject,
  secretObject,
  serviceObject,
} from './generators.js';

const COMMON = [
  DRY_RUN_FLAG,
  OUTPUT_FLAG,
  { name: 'validate', type: 'string' as const, default: 'strict', noOptDefault: 'strict', help: 'Must be one of: strict (or true), warn, ignore (or false). Accepted; validation is left to the server.' },
  { name: 'save-config', type: 'bool' as const, help: 'If true, the configuration of current object will be saved in its annotation.' },
];

interface CreateOptions {
  mode: 'none' | 'client' | 'server';
  output: string;
  /** `--save-config`: record the last-applied annotation, so `apply` can take over later. */
  saveConfig: boolean;
}

function createOptions(p: ParsedArgs): CreateOptions {
  const output = p.flags.output as string;
  if (output) parseOutput(output);
  return { mode: dryRunMode(p.flags['dry-run'] as string), output, saveConfig: Boolean(p.flags['save-config']) };
}

/** POSTs one object (unless client dry-run) and prints kubectl's result line. */
async function createObject(session: Session, obj: KubeObject, opts: CreateOptions, source = ''): Promise<void> {
  const info = await resolveObjectType(session, obj, source);
  const namespace = info.namespaced ? obj.metadata?.namespace || session.namespace : undefined;
  if (opts.saveConfig) obj = withLastApplied(obj, namespace);
  let created = obj;
  if (opts.mode !== 'client') {
    const query: Record<string, string> = { fieldManager: 'kubectl-create' };
    if (opts.mode === 'server') query.dryRun = 'All';
    const res = await session.transport.request({ verb: 'create', group: info.group, version: info.version, resource: info.plural, namespace, body: obj, query });
    created = unwrap<KubeObject>(res);
  }
  const typed = withTypeMeta(created, info);
  const format = opts.output ? parseOutput(opts.output) : undefined;
  if (format && format.kind !== 'table') session.out(printObjects([typed], format, { single: true }));
  else session.out(`${objectName(typed)} created${dryRunSuffix(opts.mode)}\n`);
}

/**
 * Runs a generator sub-command: one positional NAME, then the object from `build`. Server errors
 * get kubectl's per-generator prefix (`failed to create deployment: ...`) when it has one.
 */
function generator(
  name: string,
  short: string,
  usage: string,
  examples: string,
  flags: Command['flags'],
  build: (name: string, p: ParsedArgs, session: Session) => KubeObject,
  opts: { aliases?: string[]; failPrefix?: string } = {},
): Command {
  return {
    name,
    aliases: opts.aliases,
    short,
    long: `${short}.`,
    examples,
    usage,
    flags: [...flags, ...COMMON],
    async run(session, p) {
      if (p.args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${p.args.length}`, 'examples');
      const createOpts = createOptions(p);
      const obj = build(p.args[0], p, session);
      try {
        await createObject(session, obj, createOpts);
      } catch (err) {
        if (err instanceof ApiError && err.code !== 'Invalid' && opts.failPrefix) throw new CommandError(`${opts.failPrefix}${err.message}`);
        throw err;
      }
      return 0;
    },
  };
}

const namespaceCmd = generator(
  'namespace',
  'Create a namespace with the specified name',
  'create namespace NAME [--dry-run=server|client|none] [options]',
  '  # Create a new namespace named my-namespace\n  kubectl create namespace my-namespace',
  [],
  (name) => namespaceObject(name),
  { aliases: ['ns'] },
);

const deploymentCmd = generator(
  'deployment',
  'Create a deployment with the specified name',
  'create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  '  # Create a deployment named my-dep that runs the busybox image\n  kubectl create deployment my-dep --image=busybox\n\n  # Create a deployment named my-dep that runs the nginx image with 3 replicas\n  kubectl create deployment my-dep --image=nginx --replicas=3',
  [
    { name: 'image', type: 'slice', help: 'Image names to run. A deployment can have multiple images set for multi-container pod.' },
    { name: 'replicas', short: 'r', type: 'int', default: 1, help: 'Number of replicas to create. Default is 1.' },
    { name: 'port', type: 'int', default: -1, help: 'The containerPort that this deployment exposes.' },
  ],
  (name, p) => {
    const images = p.flags.image as string[];
    if (images.length === 0) throw new CommandError('required flag(s) "image" not set');
    return deploymentObject(name, images, p.flags.replicas as number, p.flags.port as number);
  },
  { aliases: ['deploy'], failPrefix: 'failed to create deployment: ' },
);

const configMapCmd = generator(
  'configmap',
  'Create a config map from a local file, directory or literal value',
  'create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  '  # Create a new config map named my-config with key1=config1 and key2=config2\n  kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2',
  [
    { name: 'from-literal', type: 'array', help: 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)' },
    { name: 'from-file', type: 'array', help: 'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.' },
  ],
  (name, p) => configMapObject(name, p.flags['from-literal'] as string[], p.flags['from-file'] as string[]),
  { aliases: ['cm'], failPrefix: 'failed to create configmap: ' },
);

const secretGenericCmd = generator(
  'generic',
  'Create a secret from a local file, directory, or literal value',
  'create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  '  # Create a new secret named my-secret with key1=supersecret and key2=topsecret\n  kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret',
  [
    { name: 'from-literal', type: 'array', help: 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)' },
    { name: 'from-file', type: 'array', help: 'Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.' },
    { name: 'type', type: 'string', help: 'The type of secret to create' },
  ],
  (name, p) => secretObject(name, p.flags['from-literal'] as string[], p.flags['from-file'] as string[], p.flags.type as string),
  { failPrefix: 'failed to create secret ' },
);

const SERVICE_FLAGS: Command['flags'] = [
  { name: 'tcp', type: 'slice', help: 'Port pairs can be specified as \'<port>:<targetPort>\'.' },
  { name: 'node-port', type: 'int', default: 0, help: 'Port used to expose the service on each node in a cluster.' },
];

function serviceCmd(kind: 'clusterip' | 'nodeport', type: 'ClusterIP' | 'NodePort'): Command {
  return generator(
    kind,
    `Create a ${type} service`,
    `create service ${kind} NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]`,
    `  # Create a new ${type} service named my-svc\n  kubectl create service ${kind} my-svc --tcp=5678:8080`,
    kind === 'nodeport' ? SERVICE_FLAGS : SERVICE_FLAGS.slice(0, 1),
    (name, p) => serviceObject(name, type, p.flags.tcp as string[], p.flags['node-port'] as number),
    { failPrefix: `failed to create ${type} service: ` },
  );
}

const secretCmd: Command = {
  name: 'secret',
  short: 'Create a secret using a specified subcommand',
  long: 'Create a secret with specified type.',
  examples: '',
  usage: 'create secret (generic) [options]',
  flags: [],
  subcommands: [secretGenericCmd],
  async run() {
    throw new UsageError('Required subcommand not specified: generic', 'examples');
  },
};

const serviceGroupCmd: Command = {
  name: 'service',
  aliases: ['svc'],
  short: 'Create a service using a specified subcommand',
  long: 'Create a service using a specified subcommand.',
  examples: '',
  usage: 'create service (clusterip | nodeport) [options]',
  flags: [],
  subcommands: [serviceCmd('clusterip', 'ClusterIP'), serviceCmd('nodeport', 'NodePort')],
  async run() {
    throw new UsageError('Required subcommand not specified: clusterip, nodeport', 'examples');
  },
};

export const createCommand: Command = {
  name: 'create',
  short: 'Create a resource from a file or from stdin',
  long: `Create a resource from a file or from stdin.

 JSON and YAML formats are accepted.`,
  examples: `  # Create a pod using the data in pod.json
  kubectl create -f ./pod.json

  # Create a pod based on the JSON passed into stdin
  cat pod.json | kubectl create -f -`,
  usage: 'create -f FILENAME [options]',
  flags: [FILENAME_FLAG, RECURSIVE_FLAG, ...COMMON],
  subcommands: [configMapCmd, deploymentCmd, namespaceCmd, secretCmd, serviceGroupCmd],
  run: runCreateFromFiles,
};

async function runCreateFromFiles(session: Session, p: ParsedArgs): Promise<number> {
  const files = p.flags.filename as string[];
  if (p.args.length > 0) throw new UsageError(`Unexpected args: [${p.args.join(' ')}]`, 'examples');
  if (files.length === 0) throw new UsageError('must specify one of -f and -k', 'examples');
  const opts = createOptions(p);
  const manifests = await readManifests(files, Boolean(p.flags.recursive), session.io.stdin);
  let failed = 0;
  for (const m of manifests) {
    try {
      await createObject(session, m.obj, opts, m.source);
    } catch (err) {
      failed++;
      session.err(describeFailure(err, m, 'create') + '\n');
    }
  }
  return failed > 0 ? 1 : 0;
}

