/**
 * Message to bytes (RFC 1035 section 4.1, EDNS0 from RFC 6891), with name compression.
 */
import {
  CLASS_IN,
  rcodeValue,
  typeCode,
  type DnsMessageInput,
  type OptRecord,
  type Question,
  type ResourceRecord,
} from './message.js';
import { CompressionTable, nameBytes } from './names.js';

/** A growable byte buffer with big-endian writers. */
class Writer {
  private buf = new Uint8Array(512);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v & 0xff;
  }

  u16(v: number): void {
    this.u8(v >> 8);
    this.u8(v);
  }

  u32(v: number): void {
    this.u16(Math.floor(v / 0x10000));
    this.u16(v % 0x10000);
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Overwrites two bytes written earlier (an RDLENGTH once the RDATA is known). */
  patchU16(at: number, v: number): void {
    this.buf[at] = (v >> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/**
 * Encodes a message. Owner names and the names inside NS, CNAME, PTR, SOA and MX data are
 * compressed; SRV targets are not (RFC 2782). Throws RangeError for a value that does not fit
 * its field (a bad name, a port over 65535, more than 65535 records in a section).
 */
export function encodeMessage(msg: DnsMessageInput): Uint8Array {
  const w = new Writer();
  const table = new CompressionTable();
  const questions = msg.questions ?? [];
  const sections = [msg.answers ?? [], msg.authorities ?? [], msg.additionals ?? []];
  w.u16(uint(msg.id ?? 0, 16, 'id'));
  w.u16(flags(msg));
  for (const count of [questions.length, ...sections.map((s) => s.length)]) w.u16(uint(count, 16, 'section count'));
  for (const q of questions) writeQuestion(w, table, q);
  for (const section of sections) for (const rr of section) writeRecord(w, table, rr);
  return w.result();
}

function flags(msg: DnsMessageInput): number {
  const bit = (on: boolean | undefined, shift: number) => (on ? 1 << shift : 0);
  return (
    bit(msg.qr, 15) |
    (uint(msg.opcode ?? 0, 4, 'opcode') << 11) |
    bit(msg.aa, 10) |
    bit(msg.tc, 9) |
    bit(msg.rd, 8) |
    bit(msg.ra, 7) |
    bit(msg.ad, 5) |
    bit(msg.cd, 4) |
    rcodeValue(msg.rcode ?? 'NOERROR')
  );
}

function writeQuestion(w: Writer, table: CompressionTable, q: Question): void {
  w.bytes(nameBytes(q.name, w.length, table));
  w.u16(typeCode(q.type));
  w.u16(uint(q.class ?? CLASS_IN, 16, 'class'));
}

function writeRecord(w: Writer, table: CompressionTable, rr: ResourceRecord): void {
  if (rr.type === 'OPT') return writeOpt(w, rr);
  w.bytes(nameBytes(rr.name, w.length, table));
  w.u16(typeCode(rr.type));
  w.u16(uint(rr.class ?? CLASS_IN, 16, 'class'));
  w.u32(uint(rr.ttl, 31, 'ttl'));
  const lengthAt = w.length;
  w.u16(0);
  writeRdata(w, table, rr);
  w.patchU16(lengthAt, uint(w.length - lengthAt - 2, 16, 'rdata length'));
}

function writeRdata(w: Writer, table: CompressionTable, rr: Exclude<ResourceRecord, OptRecord>): void {
  switch (rr.type) {
    case 'A':
      return w.bytes(ipv4Bytes(rr.address));
    case 'AAAA':
      return w.bytes(ipv6Bytes(rr.address));
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return w.bytes(nameBytes(rr.target, w.length, table));
    case 'SOA':
      w.bytes(nameBytes(rr.mname, w.length, table));
      w.bytes(nameBytes(rr.rname, w.length, table));
      for (const v of [rr.serial, rr.refresh, rr.retry, rr.expire, rr.minimum]) w.u32(uint(v, 32, 'SOA field'));
      return;
    case 'MX':
      w.u16(uint(rr.preference, 16, 'MX preference'));
      return w.bytes(nameBytes(rr.exchange, w.length, table));
    case 'TXT':
      for (const t of rr.texts.length > 0 ? rr.texts : ['']) writeCharacterString(w, t);
      return;
    case 'SRV':
      w.u16(uint(rr.priority, 16, 'SRV priority'));
      w.u16(uint(rr.weight, 16, 'SRV weight'));
      w.u16(uint(rr.port, 16, 'SRV port'));
      return w.bytes(nameBytes(rr.target, w.length));
    default:
      return w.bytes(rr.data);
  }
}

function writeOpt(w: Writer, opt: OptRecord): void {
  w.u8(0);
  w.u16(typeCode('OPT'));
  w.u16(uint(opt.udpPayloadSize, 16, 'UDP payload size'));
  w.u8(uint(opt.extendedRcode, 8, 'extended rcode'));
  w.u8(uint(opt.version, 8, 'EDNS version'));
  w.u16(opt.dnssecOk ? 0x8000 : 0);
  const lengthAt = w.length;
  w.u16(0);
  for (const o of opt.options) {
    w.u16(uint(o.code, 16, 'EDNS option code'));
    w.u16(uint(o.data.length, 16, 'EDNS option length'));
    w.bytes(o.data);
  }
  w.patchU16(lengthAt, uint(w.length - lengthAt - 2, 16, 'rdata length'));
}

function writeCharacterString(w: Writer, text: string): void {
  if (text.length > 255) throw new RangeError('TXT string longer than 255 bytes');
  w.u8(text.length);
  for (let i = 0; i < text.length; i++) w.u8(text.charCodeAt(i));
}

/** The four bytes of a dotted-quad address; throws RangeError for anything else. */
export function ipv4Bytes(address: string): Uint8Array {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new RangeError(`not an IPv4 address: ${address}`);
  }
  return Uint8Array.from(parts.map(Number));
}

/** The sixteen bytes of an IPv6 address (with `::` and an optional dotted-quad tail). */
export function ipv6Bytes(address: string): Uint8Array {
  const bad = () => new RangeError(`not an IPv6 address: ${address}`);
  let text = address;
  const tail: number[] = [];
  if (text.includes('.')) {
    const cut = text.lastIndexOf(':');
    const b = ipv4Bytes(text.slice(cut + 1));
    tail.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    text = text.slice(cut - 1, cut + 1) === '::' ? text.slice(0, cut + 1) : text.slice(0, cut);
  }
  const halves = text.split('::');
  if (halves.length > 2) throw bad();
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const fill = 8 - head.length - rest.length - tail.length;
  if ((halves.length === 2 ? fill < 1 : fill !== 0) || [...head, ...rest].some(Number.isNaN)) throw bad();
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function uint(v: number, bits: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new RangeError(`${what} out of range: ${v}`);
  return v;
}
