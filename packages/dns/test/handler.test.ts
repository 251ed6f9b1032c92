import { describe, expect, it } from 'vitest';
import { answerPacket, type TransportKind } from '../src/handler.js';
import { decodeMessage } from '../src/wire/decode.js';
import { encodeMessage } from '../src/wire/encode.js';
import type { DnsMessage, DnsMessageInput, OptRecord, Question } from '../src/wire/message.js';
import { KubernetesZone } from '../src/zone/kubernetes-zone.js';
import { clusterIpService, endpoints, service, StaticView } from './fixtures.js';

const D = 'default.svc.cluster.local';
const many = Array.from({ length: 60 }, (_, i) => ({ ip: `127.64.3.${i + 2}` }));
const view = new StaticView({
  services: [
    clusterIpService('default', 'web', '127.128.0.12', [{ name: 'http', port: 80 }]),
    service('default', 'big', { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }),
  ],
  endpoints: [endpoints('default', 'big', [{ addresses: many, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }])],
});
const zone = new KubernetesZone({ domain: 'cluster.local', ttl: 5, podMode: 'verified', nameserverAddress: '127.128.0.10' });
const answer = (q: Question) => zone.answer(q, view);

function opt(udpPayloadSize: number, version = 0): OptRecord {
  return { name: '', type: 'OPT', udpPayloadSize, extendedRcode: 0, version, dnssecOk: false, options: [] };
}

function exchange(query: DnsMessageInput | Uint8Array, transport: TransportKind = 'udp'): { bytes: number; msg: DnsMessage } {
  const packet = query instanceof Uint8Array ? query : encodeMessage(query);
  const out = answerPacket(packet, transport, answer);
  if (!out) throw new Error('no response');
  return { bytes: out.length, msg: decodeMessage(out) };
}

const query = (name: string, type: Question['type'], extra: DnsMessageInput = {}): DnsMessageInput => ({
  id: 4242,
  rd: true,
  questions: [{ name, type }],
  ...extra,
});

describe('answering a packet', () => {
  it('echoes id, question and RD, sets QR and AA, leaves RA clear', () => {
    const { msg } = exchange(query(`web.${D}`, 'A'));
    expect(msg).toMatchObject({ id: 4242, qr: true, aa: true, rd: true, ra: false, tc: false, rcode: 'NOERROR' });
    expect(msg.questions).toEqual([{ name: `web.${D}`, type: 'A', class: 1 }]);
    expect(msg.answers).toEqual([{ name: `web.${D}`, type: 'A', class: 1, ttl: 5, address: '127.128.0.12' }]);
  });

  it('answers an EDNS query with an OPT record of its own', () => {
    const { msg } = exchange(query(`web.${D}`, 'A', { additionals: [opt(4096)] }));
    expect(msg.additionals).toEqual([{ ...opt(1232) }]);
  });

  it('answers a newer EDNS version with BADVERS', () => {
    const { msg } = exchange(query(`web.${D}`, 'A', { additionals: [opt(4096, 1)] }));
    expect(msg.rcode).toBe('NOERROR');
    expect(msg.answers).toEqual([]);
    expect(msg.additionals[0]).toMatchObject({ type: 'OPT', extendedRcode: 1, version: 0 });
  });

  const refused: [string, DnsMessageInput | Uint8Array, Partial<DnsMessage>][] = [
    ['garbage after a header', Uint8Array.from([0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0xff]), { id: 7, rcode: 'FORMERR', questions: [] }],
    ['two questions', { id: 8, questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] }, { id: 8, rcode: 'FORMERR' }],
    ['no question', { id: 9 }, { id: 9, rcode: 'FORMERR' }],
    ['two OPT records', query(`web.${D}`, 'A', { additionals: [opt(512), opt(512)] }), { rcode: 'FORMERR' }],
    ['an UPDATE', query(`web.${D}`, 'A', { opcode: 5 }), { rcode: 'NOTIMP', opcode: 5, questions: [{ name: `web.${D}`, type: 'A', class: 1 }] }],
  ];

  it.each(refused)('answers %s with an error code', (_, packet, want) => {
    expect(exchange(packet).msg).toMatchObject({ qr: true, ...want });
  });

  it.each([
    ['a packet shorter than a header', Uint8Array.from([1, 2, 3])],
    ['a response', encodeMessage({ id: 1, qr: true, questions: [{ name: `web.${D}`, type: 'A' }] })],
  ])('ignores %s', (_, packet) => {
    expect(answerPacket(packet, 'udp', answer)).toBeUndefined();
  });

  it('answers SERVFAIL when the zone throws', () => {
    const out = answerPacket(encodeMessage(query(`web.${D}`, 'A')), 'udp', () => {
      throw new Error('boom');
    });
    expect(decodeMessage(out!).rcode).toBe('SERVFAIL');
  });

  it('never throws, whatever the bytes', () => {
    const good = encodeMessage(query(`_http._tcp.web.${D}`, 'SRV', { additionals: [opt(1232)] }));
    for (let n = 0; n < good.length; n++) {
      for (const flip of [0x01, 0x80, 0xc0, 0xff]) {
        const bad = Uint8Array.from(good);
        bad[n] ^= flip;
        expect(() => answerPacket(bad, 'udp', answer)).not.toThrow();
        expect(() => answerPacket(good.subarray(0, n), 'tcp', answer)).not.toThrow();
      }
    }
  });
});

describe('response size', () => {
  it('truncates a large UDP answer to 512 bytes without EDNS and sets TC', () => {
    const { bytes, msg } = exchange(query(`big.${D}`, 'A'));
    expect(bytes).toBeLessThanOrEqual(512);
    expect(msg.tc).toBe(true);
    expect(msg.answers.length).toBeGreaterThan(0);
    expect(msg.answers.length).toBeLessThan(60);
  });

  it('sends the whole answer over UDP within the EDNS size the client advertised', () => {
    const { bytes, msg } = exchange(query(`big.${D}`, 'A', { additionals: [opt(4096)] }));
    expect(bytes).toBeGreaterThan(512);
    expect(msg.tc).toBe(false);
    expect(msg.answers).toHaveLength(60);
  });

  it('sends the whole answer over TCP', () => {
    const { msg } = exchange(query(`big.${D}`, 'A'), 'tcp');
    expect(msg.tc).toBe(false);
    expect(msg.answers).toHaveLength(60);
  });

  it('drops additional records before answers, without TC', () => {
    // 60 SRV records take about 3.6 kB, their 60 addresses 1.5 kB more: past the 4096 cap.
    const { bytes, msg } = exchange(query(`_http._tcp.big.${D}`, 'SRV', { additionals: [opt(65000)] }));
    expect(bytes).toBeLessThanOrEqual(4096);
    expect(msg.tc).toBe(false);
    expect(msg.answers).toHaveLength(60);
    expect(msg.additionals.map((r) => r.type)).toEqual(['OPT']);
  });
});
