/**
 * What a name asks for, in the Kubernetes DNS schema
 * (https://github.com/kubernetes/dns/blob/master/docs/specification.md), the way CoreDNS's
 * kubernetes plugin reads it (plugin/kubernetes/parse.go).
 */

/** A name inside the cluster domain, or in the reverse zone, classified. */
export type ZoneRequest =
  /** The domain itself. */
  | { kind: 'apex' }
  /** `ns.dns.<domain>`: the server's own name. */
  | { kind: 'nameserver' }
  /** `dns-version.<domain>`: the schema version as TXT. */
  | { kind: 'version' }
  /** A name with names under it but no records: `svc.<domain>`, `dns.<domain>`. */
  | { kind: 'empty' }
  /** `<ns>.svc.<domain>` or `<ns>.pod.<domain>`. */
  | { kind: 'namespace'; namespace: string }
  /** `<svc>.<ns>.svc.<domain>`. */
  | { kind: 'service'; namespace: string; service: string }
  /** `<endpoint>.<svc>.<ns>.svc.<domain>`: an endpoint's hostname or dashed IP. */
  | { kind: 'endpoint'; namespace: string; service: string; endpoint: string }
  /** `_<port>._<protocol>.<svc>.<ns>.svc.<domain>`. */
  | { kind: 'port'; namespace: string; service: string; port: string; protocol: string }
  /** `<a-b-c-d>.<ns>.pod.<domain>`. */
  | { kind: 'pod'; namespace: string; pod: string }
  /** `<d>.<c>.<b>.<a>.in-addr.arpa`. */
  | { kind: 'reverse'; ip: string }
  /** In the domain but not a name the schema has. */
  | { kind: 'invalid' }
  /** Not ours: neither in the domain nor a full IPv4 reverse name. */
  | { kind: 'outside' };

/**
 * Classifies `qname` (any case, with or without the trailing dot) against the cluster `domain`
 * (lower case, no trailing dot). Labels come back lower-cased.
 */
export function parseZoneName(qname: string, domain: string): ZoneRequest {
  const name = qname.replace(/\.$/, '').toLowerCase();
  if (name === domain) return { kind: 'apex' };
  if (!name.endsWith(`.${domain}`)) return parseReverse(name);
  const labels = name.slice(0, -domain.length - 1).split('.');
  const base = labels.join('.');
  if (base === 'ns.dns') return { kind: 'nameserver' };
  if (base === 'dns-version') return { kind: 'version' };
  if (base === 'dns') return { kind: 'empty' };
  const [kind, namespace, target, ...rest] = labels.reverse();
  if (kind !== 'svc' && kind !== 'pod') return { kind: 'invalid' };
  if (namespace === undefined) return { kind: 'empty' };
  if (target === undefined) return { kind: 'namespace', namespace };
  if (kind === 'pod') return rest.length === 0 ? { kind: 'pod', namespace, pod: target } : { kind: 'invalid' };
  if (rest.length === 0) return { kind: 'service', namespace, service: target };
  if (rest.length === 1) return { kind: 'endpoint', namespace, service: target, endpoint: rest[0] };
  if (rest.length === 2) {
    return { kind: 'port', namespace, service: target, protocol: stripUnderscore(rest[0]), port: stripUnderscore(rest[1]) };
  }
  return { kind: 'invalid' };
}

function parseReverse(name: string): ZoneRequest {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  if (!m || m.slice(1).some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')))) return { kind: 'outside' };
  return { kind: 'reverse', ip: m.slice(1).reverse().map(Number).join('.') };
}

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

/** `10-1-2-3` for `10.1.2.3`: how an IP appears as a DNS label (IPv6: colons become dashes). */
export function dashedIp(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

/** `10.1.2.3` for the label `10-1-2-3`, or undefined when the label is not a dashed IPv4 address. */
export function undashIpv4(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number).join('.');
}
