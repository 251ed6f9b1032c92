import { isIP } from 'node:net';
import { queryDns } from '@kubesim/dns';
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
  return (await lookupClusterDns(ctx, name)) ?? lookupServiceEnv(ctx, name, await podNamespace(ctx));
}

/**
 * Asks the nameserver of the container's /etc/resolv.conf, trying the search domains the way
 * glibc does with `ndots`: a name with fewer dots than ndots is tried with each search suffix
 * first. Undefined when there is no resolv.conf, no server answers, or no name resolves.
 */
async function lookupClusterDns(ctx: ProcessContext, name: string): Promise<string | undefined> {
  const text = await ctx.container.fs.readFile('/etc/resolv.conf').then((b) => b.toString('utf8'), () => '');
  const conf = parseResolvConf(text);
  if (conf.nameservers.length === 0) return undefined;
  const dots = name.split('.').length - 1;
  const suffixed = conf.search.map((d) => `${name}.${d}`);
  const candidates = dots >= conf.ndots ? [name, ...suffixed] : [...suffixed, name];
  for (const server of conf.nameservers) {
    for (const candidate of candidates) {
      try {
        const reply = await queryDns(server, 53, candidate, 'A', { timeoutMs: 1500 });
        const a = reply.answers.find((r) => r.type === 'A') as { address?: string } | undefined;
        if (a?.address) return a.address;
      } catch {
        break; // this server does not answer: try the next one
      }
    }
  }
  return undefined;
}

/** The parts of resolv.conf a resolver uses. */
export function parseResolvConf(text: string): { nameservers: string[]; search: string[]; ndots: number } {
  const out = { nameservers: [] as string[], search: [] as string[], ndots: 1 };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.replace(/[#;].*/, '').trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search') out.search = rest;
    else if (key === 'options') {
      for (const o of rest) if (o.startsWith('ndots:')) out.ndots = Number(o.slice(6)) || out.ndots;
    }
  }
  return out;
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
