/**
 * One query packet in, one response packet out: decoding, the checks RFC 1035 and RFC 6891 ask
 * of a server, EDNS0, and truncation to what the transport carries. No I/O.
 */
import { decodeHeader, decodeMessage } from './wire/decode.js';
import { encodeMessage } from './wire/encode.js';
import {
  OPCODE_QUERY,
  type DnsHeader,
  type DnsMessage,
  type DnsMessageInput,
  type OptRecord,
  type Question,
  type RcodeName,
} from './wire/message.js';
import type { ZoneAnswer } from './zone/kubernetes-zone.js';

export type TransportKind = 'udp' | 'tcp';

/** The classic UDP limit for a client that did not say otherwise with EDNS0 (RFC 1035 4.2.1). */
export const CLASSIC_UDP_LIMIT = 512;
/** The UDP payload size advertised in our OPT record (the DNS flag day 2020 value). */
export const EDNS_UDP_PAYLOAD = 1232;
/** Never build UDP responses larger than this, whatever a client advertises. */
const MAX_UDP_RESPONSE = 4096;
const MAX_TCP_RESPONSE = 65535;

/**
 * Answers one packet with `answer`. Returns undefined for packets that get no reply: shorter
 * than a header, or responses themselves. Unreadable queries get FORMERR, opcodes other than
 * QUERY NOTIMP, EDNS versions above 0 BADVERS; an `answer` that throws gives SERVFAIL.
 */
export function answerPacket(packet: Uint8Array, transport: TransportKind, answer: (q: Question) => ZoneAnswer): Uint8Array | undefined {
  const header = decodeHeader(packet);
  if (!header || header.qr) return undefined;
  let query: DnsMessage;
  try {
    query = decodeMessage(packet);
  } catch {
    // DnsFormatError, or anything else an unreadable packet provokes: the sender gets FORMERR.
    return encodeMessage(reply(header, 'FORMERR'));
  }
  if (query.opcode !== OPCODE_QUERY) return encodeMessage({ ...reply(header, 'NOTIMP'), questions: query.questions });
  const opts = query.additionals.filter((r): r is OptRecord => r.type === 'OPT');
  if (query.questions.length !== 1 || opts.length > 1) return encodeMessage(reply(header, 'FORMERR'));
  const opt = opts[0];
  const question = query.questions[0];
  if (opt && opt.version > 0) {
    // BADVERS (16) is 1 in the OPT's upper bits and 0 in the header's four.
    return encodeMessage({ ...reply(header, 'NOERROR'), questions: [question], additionals: [{ ...ourOpt(opt), extendedRcode: 1 }] });
  }
  let zone: ZoneAnswer;
  try {
    zone = answer(question);
  } catch {
    zone = { rcode: 'SERVFAIL', authoritative: false, answers: [], authorities: [], additionals: [] };
  }
  const response: DnsMessageInput = {
    ...reply(header, zone.rcode),
    aa: zone.authoritative,
    questions: [question],
    answers: zone.answers,
    authorities: zone.authorities,
    additionals: [...zone.additionals, ...(opt ? [ourOpt(opt)] : [])],
  };
  try {
    return fit(response, responseLimit(transport, opt));
  } catch {
    // A record the cluster state cannot express on the wire (say a bad ExternalName).
    return encodeMessage({ ...reply(header, 'SERVFAIL'), questions: [question], additionals: opt ? [ourOpt(opt)] : [] });
  }
}

/** The largest response the client can take over `transport`. */
export function responseLimit(transport: TransportKind, opt: OptRecord | undefined): number {
  if (transport === 'tcp') return MAX_TCP_RESPONSE;
  if (!opt) return CLASSIC_UDP_LIMIT;
  return Math.min(Math.max(opt.udpPayloadSize, CLASSIC_UDP_LIMIT), MAX_UDP_RESPONSE);
}

/**
 * Encodes `response` within `limit` bytes. Additional records (but the OPT) go first, silently
 * (RFC 2181 9); if the answers still do not fit, as many as fit are kept and TC is set so the
 * client retries over TCP.
 */
function fit(response: DnsMessageInput, limit: number): Uint8Array {
  const full = encodeMessage(response);
  if (full.length <= limit) return full;
  const opt = (response.additionals ?? []).filter((r) => r.type === 'OPT');
  const lean = encodeMessage({ ...response, additionals: opt });
  if (lean.length <= limit) return lean;
  const answers = response.answers ?? [];
  const attempt = (n: number) => encodeMessage({ ...response, tc: true, answers: answers.slice(0, n), authorities: [], additionals: opt });
  let lo = 0;
  let hi = answers.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (attempt(mid).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  return attempt(lo);
}

/** A response header echoing the query's id, opcode, RD and CD bits. */
function reply(query: DnsHeader, rcode: RcodeName): DnsMessageInput {
  return { id: query.id, qr: true, opcode: query.opcode, rd: query.rd, cd: query.cd, rcode };
}

function ourOpt(theirs: OptRecord): OptRecord {
  return { name: '', type: 'OPT', udpPayloadSize: EDNS_UDP_PAYLOAD, extendedRcode: 0, version: 0, dnssecOk: theirs.dnssecOk, options: [] };
}
