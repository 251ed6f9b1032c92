/**
 * The cluster zone: answers one question from the cluster state as CoreDNS's kubernetes plugin
 * does. A pure function of the question and the {@link ClusterView}; the server does the rest.
 */
import type { Question, ResourceRecord, SoaRecord, SrvRecord } from '../wire/message.js';
import type { ClusterView } from '../cluster-view.js';
import { lookupPod, lookupService, reverseNames, type PodMode, type ServiceFilter, type Target } from './lookup.js';
import { parseZoneName, type ZoneRequest } from './parse.js';

export interface ZoneConfig {
  /** The cluster domain, e.g. `cluster.local`. */
  domain: string;
  /** TTL of every record, seconds. */
  ttl: number;
  podMode: PodMode;
  /** The address `ns.dns.<domain>` resolves to: the server's own. */
  nameserverAddress: string;
}

export type ZoneRcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'NOTIMP';

/** The sections of a response, before the server adds the header, EDNS and truncation. */
export interface ZoneAnswer {
  rcode: ZoneRcode;
  authoritative: boolean;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

/** The version of the Kubernetes DNS schema served, as `dns-version.<domain>` TXT says. */
export const SCHEMA_VERSION = '1.1.0';
/** CNAMEs of ExternalName Services are followed inside the zone at most this deep. */
const MAX_CNAME_CHAIN = 8;

export class KubernetesZone {
  readonly domain: string;

  constructor(private readonly config: ZoneConfig) {
    this.domain = config.domain.replace(/\.$/, '').toLowerCase();
  }

  /**
   * Answers `question`. Names outside the domain (and reverse names of unknown addresses) are
   * REFUSED: there is nowhere to forward them. In the domain: an unknown name is NXDOMAIN and a
   * known one without records of the type NOERROR with no answers, both with the SOA in the
   * authority section; SERVFAIL until the view has synced.
   */
  answer(question: Question, view: ClusterView): ZoneAnswer {
    return this.answerName(question.name.replace(/\.$/, ''), question, view, 0);
  }

  private answerName(qname: string, question: Question, view: ClusterView, depth: number): ZoneAnswer {
    const req = parseZoneName(qname, this.domain);
    const cls = question.class ?? 1;
    if (req.kind === 'outside' || (cls !== 1 && cls !== 255)) return bare('REFUSED', false);
    if (question.type === 'AXFR' || question.type === 'IXFR') return bare('NOTIMP', false);
    if (!view.synced()) return bare('SERVFAIL', false);
    if (req.kind === 'reverse') return this.reverse(qname, req.ip, question, view);
    return this.forward(qname, req, question, view, depth);
  }

  private forward(qname: string, req: Exclude<ZoneRequest, { kind: 'outside' | 'reverse' }>, q: Question, view: ClusterView, depth: number): ZoneAnswer {
    const { ttl } = this.config;
    switch (req.kind) {
      case 'apex':
        if (q.type === 'SOA') return this.records(view, [this.soa(view)]);
        if (q.type === 'NS') return this.records(view, [{ name: qname, type: 'NS', ttl, target: this.nsName() }], this.nameserverRecords(this.nsName()));
        return this.records(view, []);
      case 'nameserver':
        return this.records(view, this.nameserverRecords(qname).filter((r) => r.type === q.type || q.type === 'ANY'));
      case 'version':
        return this.records(view, q.type === 'TXT' || q.type === 'ANY' ? [{ name: qname, type: 'TXT', ttl, texts: [SCHEMA_VERSION] }] : []);
      case 'empty':
        return this.records(view, []);
      case 'namespace':
        return view.hasNamespace(req.namespace) ? this.records(view, []) : this.nxdomain(view);
      case 'invalid':
        return this.nxdomain(view);
      case 'pod': {
        const ip = lookupPod(view, req.namespace, req.pod, this.config.podMode);
        if (!ip) return this.nxdomain(view);
        return this.records(view, this.addresses(qname, [{ ip, host: qname }], q.type));
      }
      default:
        return this.service(qname, req, q, view, depth);
    }
  }

  private service(qname: string, req: Extract<ZoneRequest, { kind: 'service' | 'endpoint' | 'port' }>, q: Question, view: ClusterView, depth: number): ZoneAnswer {
    const filter: ServiceFilter =
      req.kind === 'port' ? { port: req.port, protocol: req.protocol } : req.kind === 'endpoint' ? { endpoint: req.endpoint } : {};
    const found = lookupService(view, req.namespace, req.service, filter, this.domain);
    if (found.kind === 'none') return this.nxdomain(view);
    if (found.kind === 'external') return this.cname(qname, found.name, q, view, depth);
    if (q.type === 'SRV') return this.srv(qname, found.targets, view);
    return this.records(view, this.addresses(qname, found.targets, q.type));
  }

  /** An ExternalName: the CNAME, and what its target holds when the target is in the zone. */
  private cname(qname: string, target: string, q: Question, view: ClusterView, depth: number): ZoneAnswer {
    const record: ResourceRecord = { name: qname, type: 'CNAME', ttl: this.config.ttl, target };
    const inZone = target === this.domain || target.endsWith(`.${this.domain}`);
    if (q.type === 'CNAME' || !inZone || depth >= MAX_CNAME_CHAIN) return this.records(view, [record]);
    const rest = this.answerName(target, q, view, depth + 1);
    return { ...rest, answers: [record, ...rest.answers] };
  }

  private srv(qname: string, targets: Target[], view: ClusterView): ZoneAnswer {
    const withPorts = targets.filter((t) => t.port !== undefined);
    // CoreDNS's weights: equal shares of 100 among the records of one priority.
    const weight = Math.floor(100 / Math.max(1, withPorts.length));
    const answers: SrvRecord[] = withPorts.map((t) => ({ name: qname, type: 'SRV', ttl: this.config.ttl, priority: 0, weight, port: t.port!, target: t.host }));
    const additionals: ResourceRecord[] = [];
    const seen = new Set<string>();
    for (const t of withPorts) {
      if (seen.has(`${t.host}|${t.ip}`)) continue;
      seen.add(`${t.host}|${t.ip}`);
      additionals.push({ name: t.host, type: t.ip.includes(':') ? 'AAAA' : 'A', ttl: this.config.ttl, address: t.ip });
    }
    return this.records(view, answers, additionals);
  }

  private reverse(qname: string, ip: string, q: Question, view: ClusterView): ZoneAnswer {
    const names = reverseNames(view, ip, this.domain);
    // Unknown addresses are not ours to answer: a zone with fallthrough would pass them on.
    if (names.length === 0) return bare('REFUSED', false);
    if (q.type !== 'PTR' && q.type !== 'ANY') return this.records(view, []);
    return this.records(view, names.map((target) => ({ name: qname, type: 'PTR', ttl: this.config.ttl, target })));
  }

  /** A and AAAA records of the targets' distinct addresses that fit the query type. */
  private addresses(qname: string, targets: Target[], type: Question['type']): ResourceRecord[] {
    const want = wantsA(type) ? 'A' : type === 'AAAA' ? 'AAAA' : undefined;
    if (!want) return [];
    const ips = [...new Set(targets.map((t) => t.ip))].filter((ip) => ip.includes(':') === (want === 'AAAA'));
    return ips.map((address) => ({ name: qname, type: want, ttl: this.config.ttl, address }));
  }

  private nameserverRecords(name: string): ResourceRecord[] {
    const address = this.config.nameserverAddress;
    return [{ name, type: address.includes(':') ? 'AAAA' : 'A', ttl: this.config.ttl, address }];
  }

  /** A positive answer, or NODATA (with the SOA) when there is nothing of the asked type. */
  private records(view: ClusterView, answers: ResourceRecord[], additionals: ResourceRecord[] = []): ZoneAnswer {
    if (answers.length === 0) return { rcode: 'NOERROR', authoritative: true, answers, authorities: [this.soa(view)], additionals: [] };
    return { rcode: 'NOERROR', authoritative: true, answers, authorities: [], additionals };
  }

  private nxdomain(view: ClusterView): ZoneAnswer {
    return { rcode: 'NXDOMAIN', authoritative: true, answers: [], authorities: [this.soa(view)], additionals: [] };
  }

  private soa(view: ClusterView): SoaRecord {
    const { ttl } = this.config;
    return {
      name: this.domain,
      type: 'SOA',
      ttl,
      mname: this.nsName(),
      rname: `hostmaster.${this.domain}`,
      serial: view.serial() >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    };
  }

  private nsName(): string {
    return `ns.dns.${this.domain}`;
  }
}

function wantsA(type: Question['type']): boolean {
  return type === 'A' || type === 'ANY';
}

function bare(rcode: ZoneRcode, authoritative: boolean): ZoneAnswer {
  return { rcode, authoritative, answers: [], authorities: [], additionals: [] };
}
