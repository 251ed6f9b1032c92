import { isIP } from 'node:net';
import type { ProcessContext } from '../process.js';

const SERVICE_SUFFIX = /^(?:svc(?:\.cluster\.local)?)?$/;

/**
 * Resolves a host name the way a pod sees names, without a DNS server: IP literals;
 * `localhost` and 127.0.0.1 are the pod's own address (its servers listen there); the
 * container's /etc/hosts; the pod's hostname; and Services through the `<NAME>_SERVICE_HOST`
 * environment variables Kubernetes injects (`web`, `web.<ns>`, `web.<ns>.svc.cluster.local`
 * when `<ns>` is the pod's namespace). Undefined when the name is unknown.
 */
export async function resolveHost(ctx: ProcessContext, host: string): Promise<string | undefined> {
  const name = host.replace(/\.$/, '').toLowerCase();
  if (name === 'localhost' || name === '127.0.0.1' || name === '::1' || name === 'ip6-localhost') return ctx.container.podIP;
  if (isIP(name)) return name;
  const fromHosts = await lookupHostsFile(ctx, name);
  if (fromHosts) return fromHosts;
  if (name === ctx.container.hostname.toLowerCase()) return ctx.container.podIP;
  return lookupServiceEnv(ctx, name, await podNamespace(ctx));
}

async function lookupHostsFile(ctx: ProcessContext, name: string): Promise<string | undefined> {
  const text = await ctx.container.fs.readFile('/etc/hosts').then((b) => b.toString('utf8'), () => '');
  for (const line of text.split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && names.some((n) => n.toLowerCase() === name)) return ip === '127.0.0.1' || ip === '::1' ? ctx.container.podIP : ip;
  }
  return undefined;
}

async function podNamespace(ctx: ProcessContext): Promise<string | undefined> {
  const file = await ctx.container.fs
    .readFile('/var/run/secrets/kubernetes.io/serviceaccount/namespace')
    .then((b) => b.toString('utf8').trim(), () => '');
  return file || ctx.env.POD_NAMESPACE || undefined;
}

function lookupServiceEnv(ctx: ProcessContext, name: string, namespace: string | undefined): string | undefined {
  const [service, ns, ...rest] = name.split('.');
  const sameNamespace = ns === undefined || (SERVICE_SUFFIX.test(rest.join('.')) && (ns === namespace || (service === 'kubernetes' && ns === 'default')));
  if (!sameNamespace) return undefined;
  return ctx.env[`${service.toUpperCase().replace(/-/g, '_')}_SERVICE_HOST`];
}
