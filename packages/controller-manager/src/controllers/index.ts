/**
 * The controllers this process can host, by the names `--controllers` takes, and the parsing
 * of that flag (kube-controller-manager's syntax: `*` for all, `name` to enable, `-name` to
 * disable, comma-separated).
 */
import type { ControllerContext, ManagedController } from './context.js';
import { DeploymentController } from './deployment.js';
import { DisruptionController } from './disruption.js';
import { EndpointsController } from './endpoints.js';
import { EndpointSliceController } from './endpointslice.js';
import { GarbageCollector } from './garbage-collector.js';
import { JobController } from './job.js';
import { NamespaceController } from './namespace.js';
import { NodeLifecycleController } from './node-lifecycle.js';
import { ReplicaSetController } from './replicaset.js';

/** Constructors of every controller, by name. */
export const CONTROLLERS: Readonly<Record<string, (ctx: ControllerContext) => ManagedController>> = {
  replicaset: (ctx) => new ReplicaSetController(ctx),
  deployment: (ctx) => new DeploymentController(ctx),
  garbagecollector: (ctx) => new GarbageCollector(ctx),
  job: (ctx) => new JobController(ctx),
  namespace: (ctx) => new NamespaceController(ctx),
  endpoint: (ctx) => new EndpointsController(ctx),
  endpointslice: (ctx) => new EndpointSliceController(ctx),
  nodelifecycle: (ctx) => new NodeLifecycleController(ctx),
  disruption: (ctx) => new DisruptionController(ctx),
};

/** Upstream's longer names, accepted too. */
const ALIASES: Readonly<Record<string, string>> = {
  'replicaset-controller': 'replicaset',
  'deployment-controller': 'deployment',
  'garbage-collector-controller': 'garbagecollector',
  'job-controller': 'job',
  'namespace-controller': 'namespace',
  'endpoint-controller': 'endpoint',
  'endpointslice-controller': 'endpointslice',
  'disruption-controller': 'disruption',
  endpoints: 'endpoint',
  'node-lifecycle-controller': 'nodelifecycle',
};

/**
 * The controllers a `--controllers` value selects, in table order. Throws an Error naming an
 * unknown controller.
 */
export function selectControllers(spec: string): string[] {
  const enabled = new Set<string>();
  const disabled = new Set<string>();
  let all = false;
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === '*') {
      all = true;
      continue;
    }
    const off = raw.startsWith('-');
    const word = off ? raw.slice(1) : raw;
    const name = ALIASES[word] ?? word;
    if (!(name in CONTROLLERS)) throw new Error(`unknown controller "${word}"; known: ${Object.keys(CONTROLLERS).join(', ')}`);
    (off ? disabled : enabled).add(name);
  }
  return Object.keys(CONTROLLERS).filter((n) => !disabled.has(n) && (all || enabled.has(n)));
}
