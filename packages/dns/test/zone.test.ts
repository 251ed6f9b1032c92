import { describe, expect, it } from 'vitest';
import { KubernetesZone, type ZoneAnswer } from '../src/zone/kubernetes-zone.js';
import type { PodMode } from '../src/zone/lookup.js';
import type { RecordTypeName, ResourceRecord } from '../src/wire/message.js';
import { clusterIpService, endpoints, pod, service, StaticView } from './fixtures.js';

const D = 'default.svc.cluster.local';

const cluster = new StaticView({
  services: [
    clusterIpService('default', 'web', '127.128.0.12', [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]),
    service('default', 'db', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
    service('default', 'lonely', { clusterIP: 'None', ports: [{ name: 'x', port: 1 }] }),
    service('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
    service('default', 'ext-in', { type: 'ExternalName', externalName: `web.${D}` }),
    service('default', 'ext-gone', { type: 'ExternalName', externalName: `gone.${D}` }),
    service('default', 'ext-ip', { type: 'ExternalName', externalName: '10.0.0.1' }),
    clusterIpService('other', 'web', '127.128.0.13', [{ name: 'http', port: 8080 }]),
  ],
  endpoints: [
    endpoints('default', 'db', [
      {
        addresses: [
          { ip: '127.64.1.2', hostname: 'db-0' },
          { ip: '127.64.1.3', targetRef: { kind: 'Pod', namespace: 'default', name: 'db-1' } },
          { ip: '127.64.1.9' },
        ],
        notReadyAddresses: [{ ip: '127.64.1.4' }],
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      },
    ]),
    endpoints('default', 'lonely', [{ notReadyAddresses: [{ ip: '127.64.1.10' }], ports: [{ name: 'x', port: 1 }] }]),
  ],
  pods: [
    pod('default', 'db-1', '127.64.1.3', { hostname: 'db-1', subdomain: 'db' }),
    pod('default', 'app', '127.64.1.5'),
    pod('default', 'sts-0', '127.64.1.6', { hostname: 'sts-0', subdomain: 'db' }),
    pod('default', 'sts-1', '127.64.1.7', { hostname: 'sts-1', subdomain: 'db', ready: false }),
    pod('default', 'leaving', '127.64.1.8', { deleting: true }),
    pod('other', 'app', '127.64.2.2'),
  ],
});

function zone(podMode: PodMode = 'verified'): KubernetesZone {
  return new KubernetesZone({ domain: 'cluster.local', ttl: 5, podMode, nameserverAddress: '127.128.0.10' });
}

/** One line per record: owner, type, data. */
function show(records: ResourceRecord[]): string[] {
  return records.map((r) => {
    switch (r.type) {
      case 'A':
      case 'AAAA':
        return `${r.name} ${r.type} ${r.address}`;
      case 'SRV':
        return `${r.name} SRV ${r.priority} ${r.weight} ${r.port} ${r.target}`;
      case 'SOA':
        return `${r.name} SOA ${r.mname} ${r.rname}`;
      case 'TXT':
        return `${r.name} TXT ${r.texts.join(' ')}`;
      case 'CNAME':
      case 'NS':
      case 'PTR':
        return `${r.name} ${r.type} ${r.target}`;
      default:
        return `${r.name} ${r.type}`;
    }
  });
}

function ask(name: string, type: RecordTypeName, z = zone(), view = cluster, cls = 1): ZoneAnswer {
  return z.answer({ name, type, class: cls }, view);
}

const SOA = 'cluster.local SOA ns.dns.cluster.local hostmaster.cluster.local';

interface Expected {
  rcode: ZoneAnswer['rcode'];
  answer?: string[];
  authority?: string[];
  additional?: string[];
}

const nodata: Expected = { rcode: 'NOERROR', answer: [], authority: [SOA] };
const nxdomain: Expected = { rcode: 'NXDOMAIN', answer: [], authority: [SOA] };

describe('names in the cluster domain', () => {
  const cases: [string, string, RecordTypeName, Expected][] = [
    ['a Service is its ClusterIP', `web.${D}`, 'A', { rcode: 'NOERROR', answer: [`web.${D} A 127.128.0.12`], authority: [] }],
    ['names ignore case and keep the asked spelling', 'WEB.Default.SVC.cluster.local.', 'A', { rcode: 'NOERROR', answer: ['WEB.Default.SVC.cluster.local A 127.128.0.12'] }],
    ['the same name in another namespace is another Service', 'web.other.svc.cluster.local', 'A', { rcode: 'NOERROR', answer: ['web.other.svc.cluster.local A 127.128.0.13'] }],
    ['a Service without an IPv6 address has no AAAA', `web.${D}`, 'AAAA', nodata],
    ['a Service has no TXT', `web.${D}`, 'TXT', nodata],
    ['a missing Service is NXDOMAIN', `nope.${D}`, 'A', nxdomain],
    ['a named port is an SRV record with the address alongside', `_http._tcp.web.${D}`, 'SRV', {
      rcode: 'NOERROR',
      answer: [`_http._tcp.web.${D} SRV 0 100 80 web.${D}`],
      additional: [`web.${D} A 127.128.0.12`],
    }],
    ['the protocol picks among ports', `_dns._udp.web.${D}`, 'SRV', { rcode: 'NOERROR', answer: [`_dns._udp.web.${D} SRV 0 100 53 web.${D}`] }],
    ['a port under the wrong protocol is NXDOMAIN', `_dns._tcp.web.${D}`, 'SRV', nxdomain],
    ['an unknown port name is NXDOMAIN', `_https._tcp.web.${D}`, 'SRV', nxdomain],
    ['SRV on the Service name lists every port', `web.${D}`, 'SRV', {
      rcode: 'NOERROR',
      answer: [`web.${D} SRV 0 50 80 web.${D}`, `web.${D} SRV 0 50 53 web.${D}`],
      additional: [`web.${D} A 127.128.0.12`],
    }],
    ['a port name answers A with the ClusterIP', `_http._tcp.web.${D}`, 'A', { rcode: 'NOERROR', answer: [`_http._tcp.web.${D} A 127.128.0.12`] }],
    ['a headless Service is its ready addresses', `db.${D}`, 'A', {
      rcode: 'NOERROR',
      answer: [`db.${D} A 127.64.1.2`, `db.${D} A 127.64.1.3`, `db.${D} A 127.64.1.9`],
    }],
    ['headless SRV targets are endpoint hostnames or dashed IPs', `_pg._tcp.db.${D}`, 'SRV', {
      rcode: 'NOERROR',
      answer: [
        `_pg._tcp.db.${D} SRV 0 33 5432 db-0.db.${D}`,
        `_pg._tcp.db.${D} SRV 0 33 5432 db-1.db.${D}`,
        `_pg._tcp.db.${D} SRV 0 33 5432 127-64-1-9.db.${D}`,
      ],
      additional: [`db-0.db.${D} A 127.64.1.2`, `db-1.db.${D} A 127.64.1.3`, `127-64-1-9.db.${D} A 127.64.1.9`],
    }],
    ['an endpoint hostname resolves', `db-0.db.${D}`, 'A', { rcode: 'NOERROR', answer: [`db-0.db.${D} A 127.64.1.2`] }],
    ['a pod hostname behind an endpoint resolves', `db-1.db.${D}`, 'A', { rcode: 'NOERROR', answer: [`db-1.db.${D} A 127.64.1.3`] }],
    ['an endpoint without hostname goes by its dashed IP', `127-64-1-9.db.${D}`, 'A', { rcode: 'NOERROR', answer: [`127-64-1-9.db.${D} A 127.64.1.9`] }],
    ['a ready pod with hostname and subdomain resolves', `sts-0.db.${D}`, 'A', { rcode: 'NOERROR', answer: [`sts-0.db.${D} A 127.64.1.6`] }],
    ['a not-ready pod with hostname and subdomain does not', `sts-1.db.${D}`, 'A', nxdomain],
    ['a not-ready address does not resolve', `127-64-1-4.db.${D}`, 'A', nxdomain],
    ['a headless Service without ready addresses is NXDOMAIN', `lonely.${D}`, 'A', nxdomain],
    ['an ExternalName Service is a CNAME', `ext.${D}`, 'A', { rcode: 'NOERROR', answer: [`ext.${D} CNAME example.com`], authority: [] }],
    ['an ExternalName answers a CNAME query', `ext.${D}`, 'CNAME', { rcode: 'NOERROR', answer: [`ext.${D} CNAME example.com`] }],
    ['an ExternalName in the zone is followed', `ext-in.${D}`, 'A', { rcode: 'NOERROR', answer: [`ext-in.${D} CNAME web.${D}`, `web.${D} A 127.128.0.12`] }],
    ['an ExternalName to a missing name is NXDOMAIN with the CNAME', `ext-gone.${D}`, 'A', {
      rcode: 'NXDOMAIN',
      answer: [`ext-gone.${D} CNAME gone.${D}`],
      authority: [SOA],
    }],
    ['an ExternalName holding an address is not a name', `ext-ip.${D}`, 'A', nxdomain],
    ['an ExternalName has no ports', `_http._tcp.ext.${D}`, 'SRV', nxdomain],
    ['a pod by dashed IP', '127-64-1-5.default.pod.cluster.local', 'A', { rcode: 'NOERROR', answer: ['127-64-1-5.default.pod.cluster.local A 127.64.1.5'] }],
    ['a pod by dashed IP has no AAAA', '127-64-1-5.default.pod.cluster.local', 'AAAA', nodata],
    ['a pod IP in another namespace is NXDOMAIN', '127-64-1-5.other.pod.cluster.local', 'A', nxdomain],
    ['a terminating pod is NXDOMAIN', '127-64-1-8.default.pod.cluster.local', 'A', nxdomain],
    ['a pod label that is no IP is NXDOMAIN', 'app.default.pod.cluster.local', 'A', nxdomain],
    ['a namespace with Services has no records', D, 'A', nodata],
    ['an unknown namespace is NXDOMAIN', 'nope.svc.cluster.local', 'A', nxdomain],
    ['svc.<domain> has no records', 'svc.cluster.local', 'A', nodata],
    ['too many labels is NXDOMAIN', `a.b.c.web.${D}`, 'A', nxdomain],
    ['neither svc nor pod is NXDOMAIN', 'foo.cluster.local', 'A', nxdomain],
    ['the apex has the SOA', 'cluster.local', 'SOA', { rcode: 'NOERROR', answer: [SOA], authority: [] }],
    ['the apex has the NS with its address', 'cluster.local', 'NS', {
      rcode: 'NOERROR',
      answer: ['cluster.local NS ns.dns.cluster.local'],
      additional: ['ns.dns.cluster.local A 127.128.0.10'],
    }],
    ['the nameserver name is the server address', 'ns.dns.cluster.local', 'A', { rcode: 'NOERROR', answer: ['ns.dns.cluster.local A 127.128.0.10'] }],
    ['dns-version says the schema version', 'dns-version.cluster.local', 'TXT', { rcode: 'NOERROR', answer: ['dns-version.cluster.local TXT 1.1.0'] }],
    ['a ClusterIP maps back to its Service', '12.0.128.127.in-addr.arpa', 'PTR', { rcode: 'NOERROR', answer: [`12.0.128.127.in-addr.arpa PTR web.${D}`] }],
    ['an endpoint address maps back to its name', '2.1.64.127.in-addr.arpa', 'PTR', { rcode: 'NOERROR', answer: [`2.1.64.127.in-addr.arpa PTR db-0.db.${D}`] }],
    ['an unknown address is not ours', '1.0.0.10.in-addr.arpa', 'PTR', { rcode: 'REFUSED', answer: [], authority: [] }],
    ['a name outside the domain is refused', 'example.com', 'A', { rcode: 'REFUSED', answer: [], authority: [] }],
    ['a bare Service name is refused (search lists are the client’s job)', 'web.default', 'A', { rcode: 'REFUSED' }],
    ['zone transfers are not implemented', 'cluster.local', 'AXFR', { rcode: 'NOTIMP' }],
  ];

  it.each(cases)('%s', (_, name, type, want) => {
    const got = ask(name, type);
    expect(got.rcode).toBe(want.rcode);
    if (want.answer) expect(show(got.answers)).toEqual(want.answer);
    if (want.authority) expect(show(got.authorities)).toEqual(want.authority);
    if (want.additional) expect(show(got.additionals)).toEqual(want.additional);
  });

  it('answers authoritatively in the domain and not outside it', () => {
    expect(ask(`web.${D}`, 'A').authoritative).toBe(true);
    expect(ask(`nope.${D}`, 'A').authoritative).toBe(true);
    expect(ask('example.com', 'A').authoritative).toBe(false);
  });

  it('gives every record the configured TTL and the SOA the view serial', () => {
    const z = new KubernetesZone({ domain: 'cluster.local', ttl: 7, podMode: 'verified', nameserverAddress: '127.128.0.10' });
    const srv = ask(`_pg._tcp.db.${D}`, 'SRV', z);
    expect([...srv.answers, ...srv.additionals].map((r) => (r.type === 'OPT' ? 0 : r.ttl))).toEqual(Array(6).fill(7));
    expect(ask(`nope.${D}`, 'A', z).authorities[0]).toMatchObject({ ttl: 7, serial: 1700000000, minimum: 7 });
  });

  it('refuses classes other than IN', () => {
    expect(ask(`web.${D}`, 'A', zone(), cluster, 3).rcode).toBe('REFUSED');
  });

  it('fails rather than deny names before the caches have synced', () => {
    expect(ask(`web.${D}`, 'A', zone(), new StaticView({}, false)).rcode).toBe('SERVFAIL');
  });

  it('serves another cluster domain', () => {
    const z = new KubernetesZone({ domain: 'kube.test', ttl: 5, podMode: 'verified', nameserverAddress: '127.0.0.1' });
    expect(show(ask('web.default.svc.kube.test', 'A', z).answers)).toEqual(['web.default.svc.kube.test A 127.128.0.12']);
    expect(ask(`web.${D}`, 'A', z).rcode).toBe('REFUSED');
  });
});

describe('pod names by mode', () => {
  const cases: [PodMode, string, Expected['rcode'], string[]][] = [
    ['verified', '127-64-1-5.default.pod.cluster.local', 'NOERROR', ['127-64-1-5.default.pod.cluster.local A 127.64.1.5']],
    ['verified', '127-1-2-3.default.pod.cluster.local', 'NXDOMAIN', []],
    ['insecure', '127-1-2-3.default.pod.cluster.local', 'NOERROR', ['127-1-2-3.default.pod.cluster.local A 127.1.2.3']],
    ['insecure', '127-1-2-3.nope.pod.cluster.local', 'NXDOMAIN', []],
    ['disabled', '127-64-1-5.default.pod.cluster.local', 'NXDOMAIN', []],
  ];

  it.each(cases)('%s: %s is %s', (mode, name, rcode, answer) => {
    const got = ask(name, 'A', zone(mode));
    expect(got.rcode).toBe(rcode);
    expect(show(got.answers)).toEqual(answer);
  });
});
