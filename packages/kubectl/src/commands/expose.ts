/**
 * `kubectl expose`: creates a Service for a Pod, Service, ReplicationController, Deployment or
 * ReplicaSet, built from its selector and ports (see expose-service.ts), with
 * fieldManager=kubectl-expose.
 */
import { ApiError, findResourceByKind, unwrap, type KubeObject } from '@kubesim/api';
import { CommandError, formatError } from '../errors.js';
import { withTypeMeta } from '../fetch.js';
import type { ParsedArgs } from '../flags.js';
import type { Session } from '../session.js';
import { DRY_RUN_FLAG, dryRunMode, FILENAME_FLAG, RECURSIVE_FLAG, type Command } from './command.js';
import { canBeExposed, exposedService, type ExposeParams } from './expose-service.js';
import { groupKind, selectObjects } from './objects.js';
import { formatResult, PRINT_OUTPUT_FLAG } from './result.js';

export const exposeCommand: Command = {
  name: 'expose',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  long: `Expose a resource as a new Kubernetes service.

 Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.

 Possible resources include (case insensitive):

 pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)`,
  examples: `  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000
  kubectl expose rc nginx --port=80 --target-port=8000

  # Create a service for a replication controller identified by type and name specified in "nginx-controller.yaml", which serves on port 80 and connects to the containers on port 8000
  kubectl expose -f nginx-controller.yaml --port=80 --target-port=8000

  # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
  kubectl expose pod valid-pod --port=444 --name=frontend

  # Create a second service based on the above service, exposing the container port 8443 as port 443 with the name "nginx-https"
  kubectl expose service nginx --port=443 --target-port=8443 --name=nginx-https

  # Create a service for a replicated streaming application on port 4100 balancing UDP traffic and named 'video-stream'.
  kubectl expose rc streamer --port=4100 --protocol=UDP --name=video-stream

  # Create a service for a replicated nginx using replica set, which serves on port 80 and connects to the containers on port 8000
  kubectl expose rs nginx --port=80 --target-port=8000

  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000
  kubectl expose deployment nginx --port=80 --target-port=8000`,
  usage:
    'expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  flags: [
    { name: 'cluster-ip', type: 'string', help: "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service." },
    DRY_RUN_FLAG,
    { name: 'external-ip', type: 'string', help: 'Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.' },
    { name: 'field-manager', type: 'string', default: 'kubectl-expose', help: 'Name of the manager used to track field ownership.' },
    { ...FILENAME_FLAG, help: 'Filename, directory, or URL to files identifying the resource to expose a service' },
    { name: 'labels', short: 'l', type: 'string', help: 'Labels to apply to the service created by this call.' },
    { name: 'load-balancer-ip', type: 'string', help: 'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).' },
    { name: 'name', type: 'string', help: 'The name for the newly created object.' },
    PRINT_OUTPUT_FLAG,
    { name: 'port', type: 'string', help: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified' },
    { name: 'protocol', type: 'string', help: "The network protocol for the service to be created. Default is 'TCP'." },
    RECURSIVE_FLAG,
    { name: 'selector', type: 'string', help: 'A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)' },
    { name: 'session-affinity', type: 'string', help: "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'" },
    { name: 'target-port', type: 'string', help: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
    { name: 'type', type: 'string', help: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'." },
  ],
  run: runExpose,
};

function exposeParams(p: ParsedArgs): ExposeParams {
  const s = (name: string) => p.flags[name] as string;
  return {
    name: s('name'),
    port: s('port'),
    targetPort: s('target-port'),
    protocol: s('protocol'),
    type: s('type'),
    labels: s('labels'),
    selector: s('selector'),
    externalIp: s('external-ip'),
    loadBalancerIp: s('load-balancer-ip'),
    sessionAffinity: s('session-affinity'),
    clusterIp: s('cluster-ip'),
  };
}

async function runExpose(session: Session, p: ParsedArgs): Promise<number> {
  const dryRun = dryRunMode(p.flags['dry-run'] as string);
  const params = exposeParams(p);
  const selected = await selectObjects(session, { args: p.args, filenames: p.flags.filename as string[], recursive: Boolean(p.flags.recursive) });
  const errors = [...selected.errors];
  const services = findResourceByKind('v1', 'Service')!;
  for (const target of selected.objects) {
    try {
      canBeExposed(target.info.group, target.info.kind, groupKind(target.info));
      let svc = exposedService(target.object, params);
      if (dryRun !== 'client') {
        const query: Record<string, string> = { fieldManager: p.flags['field-manager'] as string };
        if (dryRun === 'server') query.dryRun = 'All';
        const namespace = target.namespace ?? session.namespace;
        const res = await session.transport.request({ verb: 'create', group: '', version: 'v1', resource: 'services', namespace, body: svc, query });
        svc = withTypeMeta(unwrap<KubeObject>(res), services);
      }
      session.out(formatResult(svc, 'exposed', { output: p.flags.output as string, dryRun }));
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CommandError)) throw err;
      errors.push(err);
    }
  }
  for (const err of errors) session.err(formatError(err, 'expose') + '\n');
  return errors.length > 0 ? 1 : 0;
}
