/**
 * Bytes to message (RFC 1035 section 4.1, EDNS0 from RFC 6891). Every read is bounds-checked:
 * whatever the input, the result is a message or a DnsFormatError, never another exception.
 */
import {
  DnsFormatError,
  rcodeName,
  typeName,
  type DnsHeader,
  type DnsMessage,
  type EdnsOption,
  type OptRecord,
  type Question,
  type ResourceRecord,
} from './message.js';
import { readName } from './names.js';

/** The fixed header: id, flags and four counts. */
export const HEADER_LENGTH = 12;

/** Reads big-endian integers and names at a moving offset, within the message. */
class Reader {
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
  ) {}

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new DnsFormatError(`${what} runs past the end of the message`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  u16(what: string): number {
    this.need(2, what);
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    return this.u16(what) * 0x10000 + this.u16(what);
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name(): string {
    const { name, next } = readName(this.buf, this.pos);
    this.pos = next;
    return name;
  }
}

/**
 * Decodes a whole message. Bytes after the last record are ignored. Throws DnsFormatError when
 * the message is cut short or malformed (bad names or pointers, RDATA that does not match its
 * length, a truncated fixed field).
 */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  const r = new Reader(bytes);
  const header = readHeader(r);
  const [qd, an, ns, ar] = [r.u16('qdcount'), r.u16('ancount'), r.u16('nscount'), r.u16('arcount')];
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) questions.push(readQuestion(r));
  const section = (count: number) => {
    const out: ResourceRecord[] = [];
    for (let i = 0; i < count; i++) out.push(readRecord(r));
    return out;
  };
  const answers = section(an);
  const authorities = section(ns);
  const additionals = section(ar);
  return { ...header, questions, answers, authorities, additionals };
}

/**
 * The header alone, for answering a message whose body cannot be read (FORMERR needs its id).
 * Returns undefined when even the 12 header bytes are missing.
 */
export function decodeHeader(bytes: Uint8Array): DnsHeader | undefined {
  return bytes.length < HEADER_LENGTH ? undefined : readHeader(new Reader(bytes));
}

function readHeader(r: Reader): DnsHeader {
  const id = r.u16('id');
  const f = r.u16('flags');
  const bit = (shift: number) => ((f >> shift) & 1) === 1;
  return {
    id,
    qr: bit(15),
    opcode: (f >> 11) & 0xf,
    aa: bit(10),
    tc: bit(9),
    rd: bit(8),
    ra: bit(7),
    ad: bit(5),
    cd: bit(4),
    rcode: rcodeName(f & 0xf),
  };
}

function readQuestion(r: Reader): Question {
  const name = r.name();
  return { name, type: typeName(r.u16('question type')), class: r.u16('question class') };
}

function readRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const type = typeName(r.u16('record type'));
  const cls = r.u16('record class');
  const ttlField = r.u32('record ttl');
  const length = r.u16('rdata length');
  const end = r.pos + length;
  if (end > r.buf.length) throw new DnsFormatError(`${type} rdata runs past the end of the message`);
  const rr = type === 'OPT' ? readOpt(r, name, cls, ttlField, end) : readData(r, { name, type, class: cls, ttl: ttlField & 0x7fffffff }, length);
  if (r.pos !== end) throw new DnsFormatError(`${type} rdata does not fill its ${length} bytes`);
  return rr;
}

type Base = { name: string; type: ResourceRecord['type']; class: number; ttl: number };

function readData(r: Reader, base: Base, length: number): ResourceRecord {
  const { name, ttl } = base;
  const common = { name, ttl, class: base.class };
  switch (base.type) {
    case 'A':
      return { ...common, type: 'A', address: ipv4Text(r.bytes(exact(length, 4, 'A'), 'A address')) };
    case 'AAAA':
      return { ...common, type: 'AAAA', address: ipv6Text(r.bytes(exact(length, 16, 'AAAA'), 'AAAA address')) };
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return { ...common, type: base.type, target: r.name() };
    case 'SOA': {
      const mname = r.name();
      const rname = r.name();
      const [serial, refresh, retry, expire, minimum] = [1, 2, 3, 4, 5].map(() => r.u32('SOA field'));
      return { ...common, type: 'SOA', mname, rname, serial, refresh, retry, expire, minimum };
    }
    case 'MX':
      return { ...common, type: 'MX', preference: r.u16('MX preference'), exchange: r.name() };
    case 'TXT':
      return { ...common, type: 'TXT', texts: readCharacterStrings(r, r.pos + length) };
    case 'SRV': {
      const [priority, weight, port] = [r.u16('SRV priority'), r.u16('SRV weight'), r.u16('SRV port')];
      return { ...common, type: 'SRV', priority, weight, port, target: r.name() };
    }
    default:
      return { ...common, type: base.type as Exclude<Base['type'], 'OPT'>, data: r.bytes(length, 'rdata') } as ResourceRecord;
  }
}

function readOpt(r: Reader, name: string, cls: number, ttlField: number, end: number): OptRecord {
  if (name !== '') throw new DnsFormatError('OPT record owner is not the root');
  const options: EdnsOption[] = [];
  while (r.pos < end) {
    const code = r.u16('EDNS option code');
    const len = r.u16('EDNS option length');
    if (r.pos + len > end) throw new DnsFormatError('EDNS option runs past its record');
    options.push({ code, data: r.bytes(len, 'EDNS option') });
  }
  return {
    name: '',
    type: 'OPT',
    udpPayloadSize: cls,
    extendedRcode: Math.floor(ttlField / 0x1000000),
    version: Math.floor(ttlField / 0x10000) & 0xff,
    dnssecOk: (ttlField & 0x8000) !== 0,
    options,
  };
}

function readCharacterStrings(r: Reader, end: number): string[] {
  const texts: string[] = [];
  while (r.pos < end) {
    const len = r.u8('TXT length');
    if (r.pos + len > end) throw new DnsFormatError('TXT string runs past its record');
    texts.push(String.fromCharCode(...r.bytes(len, 'TXT string')));
  }
  return texts;
}

function exact(length: number, want: number, type: string): number {
  if (length !== want) throw new DnsFormatError(`${type} rdata is ${length} bytes, not ${want}`);
  return length;
}

/** Dotted-quad text of four bytes. */
export function ipv4Text(b: Uint8Array): string {
  return Array.from(b).join('.');
}

/** RFC 5952 text of sixteen bytes: lower-case hex, the longest run of zero groups as `::`. */
export function ipv6Text(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}
