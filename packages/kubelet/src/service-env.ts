/**
 * The environment variables Kubernetes gives every container for each Service of its namespace
 * that exists when it starts (`enableServiceLinks`, on by default): the `<NAME>_SERVICE_HOST`
 * family and the Docker-link style `<NAME>_PORT_<port>_<PROTO>` family.
 */
import type { DeepReadonly, Service } from '@kubesim/api';

/** Variables for the given Services; those without a ClusterIP (headless, ExternalName) add none. */
export function serviceEnv(services: readonly DeepReadonly<Service>[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    const ports = svc.spec?.ports ?? [];
    if (!ip || ip === 'None' || ports.length === 0) continue;
    const name = svc.metadata.name!.toUpperCase().replace(/-/g, '_');
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
    const first = ports[0];
    env[`${name}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const prefix = `${name}_PORT_${p.port}_${proto}`;
      env[prefix] = `${proto.toLowerCase()}://${ip}:${p.port}`;
      env[`${prefix}_PROTO`] = proto.toLowerCase();
      env[`${prefix}_PORT`] = String(p.port);
      env[`${prefix}_ADDR`] = ip;
    }
  }
  return env;
}
