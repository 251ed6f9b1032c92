/**
 * `kubectl run NAME --image=…`: creates one Pod (labels `run=NAME` unless `--labels`), with
 * fieldManager=kubectl-run. Attaching (`-i`, `-t`, `--rm`) is not offered.
 */
import { unwrap, findResourceByKind, type KubeObject } from '@kubesim/api';
import { CommandError, UsageError } from '../errors.js';
import { withTypeMeta } from '../fetch.js';
import type { ParsedArgs } from '../flags.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, type Command } from './command.js';
import { parseLabelList } from './expose-service.js';
import { runPodObject } from './generators.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';

export const runCommand: Command = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  long: 'Create and run a particular image in a pod.',
  examples: `  # Start a nginx pod
  kubectl run nginx --image=nginx

  # Start a hazelcast pod and let the container expose port 5701
  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701

  # Start a hazelcast pod and set environment variables "DNS_DOMAIN=cluster" and "POD_NAMESPACE=default" in the container
  kubectl run hazelcast --image=hazelcast/hazelcast --env="DNS_DOMAIN=cluster" --env="POD_NAMESPACE=default"

  # Start a hazelcast pod and set labels "app=hazelcast" and "env=prod" in the container
  kubectl run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod"

  # Dry run; print the corresponding API objects without creating them
  kubectl run nginx --image=nginx --dry-run=client

  # Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command
  kubectl run nginx --image=nginx -- <arg1> <arg2> ... <argN>

  # Start the nginx pod using a different command and custom arguments
  kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>`,
  usage: 'run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  flags: [
    { name: 'annotations', type: 'array', help: 'Annotations to apply to the pod.' },
    { name: 'command', type: 'bool', help: "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default." },
    DRY_RUN_FLAG,
    { name: 'env', type: 'array', help: 'Environment variables to set in the container.' },
    { name: 'field-manager', type: 'string', default: 'kubectl-run', help: 'Name of the manager used to track field ownership.' },
    { name: 'image', type: 'string', help: 'The image for the container to run.' },
    { name: 'image-pull-policy', type: 'string', help: 'The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server.' },
    { name: 'labels', short: 'l', type: 'string', help: 'Comma separated labels to apply to the pod. Will override previous values.' },
    PRINT_OUTPUT_FLAG,
    { name: 'port', type: 'string', help: 'The port that this container exposes.' },
    { name: 'privileged', type: 'bool', help: 'If true, run the container in privileged mode.' },
    { name: 'restart', type: 'string', default: 'Always', help: 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].' },
  ],
  run: runRun,
};

async function runRun(session: Session, p: ParsedArgs): Promise<number> {
  if (!p.flags.image) throw new CommandError('required flag(s) "image" not set');
  const [name, ...extra] = p.args;
  if (!name) throw new UsageError('NAME is required for run', 'examples');
  const restart = p.flags.restart as string;
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new UsageError(`invalid restart policy: ${restart}`, 'examples');
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  let pod = runPodObject({
    name,
    image: p.flags.image as string,
    extra,
    command: Boolean(p.flags.command),
    port: p.flags.port as string,
    env: p.flags.env as string[],
    labels: p.flags.labels ? parseLabelList(p.flags.labels as string) : { run: name },
    annotations: Object.fromEntries((p.flags.annotations as string[]).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)])),
    restart,
    imagePullPolicy: p.flags['image-pull-policy'] as string,
    privileged: Boolean(p.flags.privileged),
  });
  if (dryRun !== 'client') {
    const query: Record<string, string> = dryRun === 'server' ? { dryRun: 'All' } : {};
    query.fieldManager = p.flags['field-manager'] as string;
    const res = await session.transport.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: session.namespace, body: pod, query });
    pod = withTypeMeta(unwrap<KubeObject>(res), findResourceByKind('v1', 'Pod')!);
  }
  session.out(formatResult(pod, 'created', { output: p.flags.output as string, dryRun }));
  return 0;
}
