import { describe, expect, it } from 'vitest';
import { decodeMessage, ipv6Text } from '../src/wire/decode.js';
import { encodeMessage, ipv6Bytes } from '../src/wire/encode.js';
import { DnsFormatError, type DnsMessageInput, type ResourceRecord } from '../src/wire/message.js';
import { labelToText, nameToLabels } from '../src/wire/names.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ttl = 5;

describe('record round trips', () => {
  const records: [string, ResourceRecord][] = [
    ['A', { name: 'web.default.svc.cluster.local', type: 'A', ttl, class: 1, address: '127.128.0.12' }],
    ['AAAA', { name: 'v6.default.svc.cluster.local', type: 'AAAA', ttl, class: 1, address: 'fd00::a:1' }],
    ['NS', { name: 'cluster.local', type: 'NS', ttl, class: 1, target: 'ns.dns.cluster.local' }],
    ['CNAME', { name: 'ext.default.svc.cluster.local', type: 'CNAME', ttl, class: 1, target: 'example.com' }],
    ['PTR', { name: '12.0.128.127.in-addr.arpa', type: 'PTR', ttl, class: 1, target: 'web.default.svc.cluster.local' }],
    [
      'SOA',
      {
        name: 'cluster.local',
        type: 'SOA',
        ttl,
        class: 1,
        mname: 'ns.dns.cluster.local',
        rname: 'hostmaster.cluster.local',
        serial: 4_000_000_000,
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: 5,
      },
    ],
    ['MX', { name: 'cluster.local', type: 'MX', ttl, class: 1, preference: 10, exchange: 'mail.cluster.local' }],
    ['TXT', { name: 'dns-version.cluster.local', type: 'TXT', ttl, class: 1, texts: ['1.1.0', '', 'a b=c'] }],
    ['SRV', { name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl, class: 1, priority: 0, weight: 100, port: 8080, target: 'web.default.svc.cluster.local' }],
    ['an unknown type as bytes', { name: 'x.cluster.local', type: 'TYPE99', ttl, class: 1, data: Uint8Array.from([1, 2, 3]) }],
    ['a record of class CH', { name: 'version.bind', type: 'TXT', ttl: 0, class: 3, texts: ['kubesim'] }],
  ];

  it.each(records)('%s survives encode then decode', (_, rr) => {
    const msg = decodeMessage(encodeMessage({ id: 7, qr: true, answers: [rr, rr] }));
    expect(msg.answers).toEqual([rr, rr]);
  });

  it('keeps the EDNS0 OPT fields and options', () => {
    const opt: ResourceRecord = {
      name: '',
      type: 'OPT',
      udpPayloadSize: 1232,
      extendedRcode: 1,
      version: 0,
      dnssecOk: true,
      options: [{ code: 10, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }],
    };
    expect(decodeMessage(encodeMessage({ additionals: [opt] })).additionals).toEqual([opt]);
  });
});

describe('headers and questions', () => {
  const cases: [string, DnsMessageInput][] = [
    ['a query with RD', { id: 0xbeef, rd: true, questions: [{ name: 'web.default.svc.cluster.local', type: 'A', class: 1 }] }],
    ['an authoritative NXDOMAIN', { id: 1, qr: true, aa: true, rcode: 'NXDOMAIN', questions: [{ name: 'nope.cluster.local', type: 'AAAA', class: 1 }] }],
    ['every flag', { id: 65535, qr: true, opcode: 2, aa: true, tc: true, rd: true, ra: true, ad: true, cd: true, rcode: 'REFUSED' }],
    ['an ANY question', { questions: [{ name: 'cluster.local', type: 'ANY', class: 255 }] }],
    ['a question of an unknown type', { questions: [{ name: 'cluster.local', type: 'TYPE65', class: 1 }] }],
    ['a root question', { questions: [{ name: '', type: 'NS', class: 1 }] }],
  ];

  it.each(cases)('%s survives encode then decode', (_, input) => {
    const msg = decodeMessage(encodeMessage(input));
    const flags = { qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false, rcode: 'NOERROR' };
    expect(msg).toEqual({ id: 0, ...flags, questions: [], answers: [], authorities: [], additionals: [], ...input });
  });
});

describe('name compression', () => {
  it('points the answer owner at the question name and shares suffixes', () => {
    const bytes = encodeMessage({
      questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }],
      answers: [
        { name: 'web.default.svc.cluster.local', type: 'A', ttl, address: '127.128.0.1' },
        { name: 'db.default.svc.cluster.local', type: 'CNAME', ttl, target: 'web.default.svc.cluster.local' },
      ],
    });
    const text = Buffer.from(bytes).toString('hex');
    // The question name starts at offset 12 (0x0c): the first answer is just a pointer to it.
    expect(text.slice(2 * 12 + 2 * 31 + 8, 2 * 12 + 2 * 31 + 12)).toBe('c00c');
    // "default.svc.cluster.local" (offset 16) is reused by the second owner name.
    expect(text).toContain('026462c010');
    expect(decodeMessage(bytes).answers[1]).toMatchObject({ name: 'db.default.svc.cluster.local', target: 'web.default.svc.cluster.local' });
  });

  it('compares suffixes ignoring case, as DNS names compare', () => {
    const bytes = encodeMessage({ questions: [{ name: 'WEB.Default.svc.cluster.local', type: 'A' }], answers: [{ name: 'web.default.svc.cluster.local', type: 'A', ttl, address: '1.2.3.4' }] });
    expect(bytes.length).toBe(12 + 31 + 4 + 2 + 10 + 4);
  });

  it('never compresses SRV targets (RFC 2782)', () => {
    const target = 'web.default.svc.cluster.local';
    const bytes = encodeMessage({ answers: [{ name: target, type: 'SRV', ttl, priority: 0, weight: 100, port: 80, target }] });
    expect(Buffer.from(bytes).toString('latin1').split('cluster').length - 1).toBe(2);
  });

  const decoded: [string, string, string[]][] = [
    // www.example.com at 12, then mail + pointer to "example.com" (offset 16).
    ['a pointer to a suffix', '0000 8000 0000 0002 0000 0000' + '03777777076578616d706c6503636f6d00 0001 0001 00000005 0004 01020304' + '046d61696cc010 0001 0001 00000005 0004 05060708', ['www.example.com', 'mail.example.com']],
    // "a" at 12, "b" + pointer to 12 at 29, then a pointer to 29.
    ['a pointer to a pointer', '0000 8000 0000 0003 0000 0000' + '016100 0001 0001 00000005 0004 01020304' + '0162c00c 0001 0001 00000005 0004 05060708' + 'c01d 0001 0001 00000005 0004 05060708', ['a', 'b.a', 'b.a']],
  ];

  it.each(decoded)('decodes %s', (_, wire, names) => {
    expect(decodeMessage(hex(wire)).answers.map((r) => r.name)).toEqual(names);
  });
});

describe('names in presentation form', () => {
  const names: [string, string[]][] = [
    ['web.default.svc.cluster.local', ['web', 'default', 'svc', 'cluster', 'local']],
    ['web.default.svc.cluster.local.', ['web', 'default', 'svc', 'cluster', 'local']],
    ['', []],
    ['.', []],
    ['a\\.b.c', ['a.b', 'c']],
    ['back\\\\slash', ['back\\slash']],
    ['\\000\\255', ['\u0000\u00ff']],
  ];

  it.each(names)('%j has labels %j', (name, labels) => {
    const parsed = nameToLabels(name).map((l) => String.fromCharCode(...l));
    expect(parsed).toEqual(labels);
  });

  it.each(names.filter(([n]) => n.includes('\\')))('%j round-trips through the wire', (name) => {
    const msg = decodeMessage(encodeMessage({ questions: [{ name, type: 'A' }] }));
    expect(msg.questions[0].name).toBe(name);
    expect(nameToLabels(name).map(labelToText).join('.')).toBe(name);
  });

  const bad: [string, string][] = [
    ['an empty label', 'a..b'],
    ['a 64-byte label', `${'x'.repeat(64)}.local`],
    ['a name over 255 bytes', Array.from({ length: 5 }, () => 'y'.repeat(63)).join('.')],
    ['a bad escape', 'a\\9'],
    ['a non-ASCII character', 'bücher.local'],
  ];

  it.each(bad)('refuses to encode %s', (_, name) => {
    expect(() => encodeMessage({ questions: [{ name, type: 'A' }] })).toThrow(RangeError);
  });
});

describe('IPv6 text', () => {
  const cases: [string, string][] = [
    ['::', '::'],
    ['::1', '::1'],
    ['fd00::a:1', 'fd00::a:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::', '2001:db8::'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
  ];

  it.each(cases)('%s reads back as %s', (input, text) => {
    expect(ipv6Text(ipv6Bytes(input))).toBe(text);
  });

  it.each(['1::2::3', '12345::', '1:2:3:4:5:6:7', 'g::1', '1.2.3.4'])('%s is not an IPv6 address', (input) => {
    expect(() => ipv6Bytes(input)).toThrow(RangeError);
  });
});

describe('malformed messages', () => {
  const header = (qd: number, an = 0) => `0001 0100 ${qd.toString(16).padStart(4, '0')} ${an.toString(16).padStart(4, '0')} 0000 0000`;
  const cases: [string, string][] = [
    ['a short header', '0001 0100 0001'],
    ['a question cut short', header(1) + '03777777'],
    ['a question without type and class', header(1) + '0161 00'],
    ['a forward pointer', header(1) + 'c00e 0001 0001 0161 00'],
    ['a pointer to itself', header(1) + 'c00c 0001 0001'],
    ['a pointer loop through a label', header(1) + '0162 c00c 0001 0001'],
    ['a reserved label type', header(1) + '4161 00 0001 0001'],
    ['a label past the end', header(1) + '3f61 00'],
    ['more records than bytes', header(0, 0xffff) + '00 0001 0001 00000005 0004 01020304'],
    ['an A record of 3 bytes', header(0, 1) + '00 0001 0001 00000005 0003 010203'],
    ['rdata longer than the message', header(0, 1) + '00 0001 0001 00000005 0010 01020304'],
    ['a CNAME that leaves rdata unread', header(0, 1) + '00 0005 0001 00000005 0004 0161 00 ff'],
    ['an OPT not owned by the root', header(0, 1) + '0161 00 0029 1000 00000000 0000'],
    ['an EDNS option past its record', header(0, 1) + '00 0029 1000 00000000 0004 000a 0008'],
    ['a TXT string past its record', header(0, 1) + '00 0010 0001 00000005 0002 0561'],
  ];

  it.each(cases)('rejects %s with DnsFormatError', (_, wire) => {
    expect(() => decodeMessage(hex(wire))).toThrow(DnsFormatError);
  });

  it('survives every truncation and byte flip of a real response', () => {
    const good = encodeMessage({
      id: 9,
      qr: true,
      questions: [{ name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV' }],
      answers: [{ name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl, priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }],
      additionals: [{ name: 'web.default.svc.cluster.local', type: 'A', ttl, address: '127.128.0.1' }],
    });
    for (let n = 0; n < good.length; n++) {
      expect(() => decodeMessage(good.subarray(0, n))).toThrow(DnsFormatError);
      for (const flip of [0xff, 0xc0, 0x3f]) {
        const bad = Uint8Array.from(good);
        bad[n] ^= flip;
        try {
          decodeMessage(bad);
        } catch (err) {
          expect(err).toBeInstanceOf(DnsFormatError);
        }
      }
    }
  });
});
