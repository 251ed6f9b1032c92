/**
 * Where an object keeps its pod spec (kubectl's UpdatePodSpecForObject): a Pod's own spec, a
 * workload's `spec.template.spec`, a CronJob's job template's.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are edited as loose JSON */
type Json = any;

const TEMPLATED = new Set(['ReplicationController', 'Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'Job']);

/**
 * The pod spec inside `obj` (the same object, so edits change `obj`), created along its path
 * when missing; undefined for kinds without one.
 */
export function podSpecOf(obj: Json): Json | undefined {
  const kind = obj?.kind;
  if (kind === 'Pod') return (obj.spec ??= {});
  if (TEMPLATED.has(kind)) {
    obj.spec ??= {};
    obj.spec.template ??= {};
    return (obj.spec.template.spec ??= {});
  }
  if (kind === 'CronJob') {
    obj.spec ??= {};
    obj.spec.jobTemplate ??= {};
    obj.spec.jobTemplate.spec ??= {};
    obj.spec.jobTemplate.spec.template ??= {};
    return (obj.spec.jobTemplate.spec.template.spec ??= {});
  }
  return undefined;
}

/** kubectl's error for an object with no pod template. */
export function noPodSpecMessage(kind: string, name: string, plural: string): string {
  return `${plural}/${name} the object is not a pod or does not have a pod template: *v1.${kind}`;
}

/** Shell-style glob match (`*`, `?`) of a container name, as filepath.Match is used for `-c`. */
export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return re.test(name);
}
