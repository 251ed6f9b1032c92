/**
 * The scale subresource (Deployments, ReplicaSets) and pod binding.
 */
import {
  BadRequestError,
  ConflictError,
  findResource,
  formatLabelSelector,
  type ApiRequest,
  type KubeObject,
  type ResourceInfo,
} from '@kubesim/api';
import { applyPatch } from '../http/patch/index.js';
import { conflict, type Registry } from './registry.js';
import { isPlainObject, timestamp } from './objects.js';

const PODS = findResource('', 'v1', 'pods')!;

/** Builds the autoscaling/v1 Scale of a scalable object. */
export function toScale(obj: KubeObject): KubeObject {
  const o = obj as any;
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: formatLabelSelector(o.spec?.selector) },
  };
}

export async function getScale(registry: Registry, info: ResourceInfo, ns: string | undefined, name: string): Promise<KubeObject> {
  return toScale((await registry.get(info, ns, name)).object);
}

/** PUT or PATCH of a Scale: sets spec.replicas on the object (409 on a stale resourceVersion). */
export async function updateScale(
  registry: Registry,
  info: ResourceInfo,
  ns: string | undefined,
  name: string,
  req: ApiRequest,
  dryRun: boolean,
): Promise<KubeObject> {
  let pinned: string | undefined;
  if (req.verb === 'update') {
    if (!isPlainObject(req.body)) throw new BadRequestError('the request body must be a Scale object');
    pinned = (req.body as any).metadata?.resourceVersion || undefined;
  }
  const updated = await registry.writeLoop(info, ns, name, pinned, (current) => {
    const manager = req.query?.fieldManager ?? 'unknown';
    const scale =
      req.verb === 'update'
        ? (req.body as any)
        : (applyPatch(req.patchType ?? 'merge', toScale(current), req.body, 'Scale', { manager, force: req.query?.force === 'true' }) as any);
    const replicas = scale?.spec?.replicas;
    if (!Number.isInteger(replicas)) throw new BadRequestError('spec.replicas: a Scale needs an integer spec.replicas');
    (current as any).spec = { ...(current as any).spec, replicas };
    return current;
  }, { dryRun, subresource: 'scale', manager: req.query?.fieldManager });
  return toScale(updated);
}

/** POST pods/NAME/binding: assigns the pod to a node once (409 if already bound). */
export async function bindPod(registry: Registry, ns: string, name: string, body: unknown, dryRun: boolean): Promise<unknown> {
  const target = isPlainObject(body) ? (body as any).target : undefined;
  if (!isPlainObject(target) || typeof target.name !== 'string' || !target.name) {
    throw new BadRequestError('Binding.target.name: Required value');
  }
  await registry.writeLoop(PODS, ns, name, undefined, (pod: any) => {
    if (pod.metadata.deletionTimestamp) throw new ConflictError(`pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw new ConflictError(`pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec.nodeName = target.name;
    const conditions = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(registry.config.now()) });
    pod.status = { ...pod.status, conditions };
    return pod;
  }, { dryRun, subresource: 'binding' });
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

export { conflict };
