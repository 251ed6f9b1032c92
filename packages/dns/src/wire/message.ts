/**
 * The DNS message model (RFC 1035 section 4, EDNS0 from RFC 6891) shared by the encoder, the
 * decoder, the server and the client.
 *
 * Names are in presentation form without the trailing dot (`web.default.svc.cluster.local`;
 * the root is `''`); a label byte that is a dot, a backslash or not printable ASCII is written
 * `\.`, `\\` or `\DDD`. Types and response codes go by their mnemonics; codes without one are
 * `TYPE<n>` and `RCODE<n>` (RFC 3597's spelling).
 */

/** Type codes by mnemonic: every record type the codec knows, plus the query-only ones. */
export const RECORD_TYPES = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

export type KnownTypeName = keyof typeof RECORD_TYPES;
/** A record or query type: its mnemonic, or `TYPE<n>` for any other code. */
export type RecordTypeName = KnownTypeName | `TYPE${number}`;

/** Response codes of the 4-bit header field by mnemonic. */
export const RCODES = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
} as const;

export type RcodeName = keyof typeof RCODES | `RCODE${number}`;

/** The Internet class, the only one a Kubernetes zone serves. */
export const CLASS_IN = 1;
/** The QUERY opcode; the server answers no other. */
export const OPCODE_QUERY = 0;

export interface Question {
  name: string;
  type: RecordTypeName;
  /** Default {@link CLASS_IN}. */
  class?: number;
}

interface RecordBase {
  name: string;
  /** Seconds, 0 to 2^31-1. */
  ttl: number;
  /** Default {@link CLASS_IN}. */
  class?: number;
}

export type AddressRecord = RecordBase & { type: 'A' | 'AAAA'; address: string };
export type NameRecord = RecordBase & { type: 'NS' | 'CNAME' | 'PTR'; target: string };
export type SoaRecord = RecordBase & {
  type: 'SOA';
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
};
export type MxRecord = RecordBase & { type: 'MX'; preference: number; exchange: string };
/** Each text is one character-string of at most 255 bytes, one byte per char (latin1). */
export type TxtRecord = RecordBase & { type: 'TXT'; texts: string[] };
export type SrvRecord = RecordBase & { type: 'SRV'; priority: number; weight: number; port: number; target: string };
/** A record of a type the codec does not interpret: its RDATA as bytes. */
export type OpaqueRecord = RecordBase & { type: Exclude<RecordTypeName, DataTypeName>; data: Uint8Array };

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** The EDNS0 pseudo-record (RFC 6891): its owner is always the root, its class and TTL are flags. */
export interface OptRecord {
  name: '';
  type: 'OPT';
  /** The largest UDP payload the sender can take. */
  udpPayloadSize: number;
  /** The upper 8 bits of the 12-bit response code. */
  extendedRcode: number;
  version: number;
  /** DNSSEC OK. */
  dnssecOk: boolean;
  options: EdnsOption[];
}

/** Types whose RDATA the codec reads into fields. */
type DataTypeName = 'A' | 'AAAA' | 'NS' | 'CNAME' | 'PTR' | 'SOA' | 'MX' | 'TXT' | 'SRV' | 'OPT';

export type ResourceRecord =
  | AddressRecord
  | NameRecord
  | SoaRecord
  | MxRecord
  | TxtRecord
  | SrvRecord
  | OptRecord
  | OpaqueRecord;

/** The header's fixed fields (the section counts follow from the arrays). */
export interface DnsHeader {
  id: number;
  /** A response (true) or a query. */
  qr: boolean;
  opcode: number;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated. */
  tc: boolean;
  /** Recursion desired. */
  rd: boolean;
  /** Recursion available. */
  ra: boolean;
  /** Authentic data. */
  ad: boolean;
  /** Checking disabled. */
  cd: boolean;
  rcode: RcodeName;
}

/** A whole message, as {@link decodeMessage} returns it. */
export interface DnsMessage extends DnsHeader {
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

/** What {@link encodeMessage} takes: omitted flags are false or 0, omitted sections empty. */
export type DnsMessageInput = Partial<DnsMessage>;

/** A message that cannot be read (RFC 1035's "format error"). */
export class DnsFormatError extends Error {
  override readonly name = 'DnsFormatError';
}

const TYPE_NAMES = new Map<number, KnownTypeName>(Object.entries(RECORD_TYPES).map(([k, v]) => [v, k as KnownTypeName]));
const RCODE_NAMES = new Map<number, RcodeName>(Object.entries(RCODES).map(([k, v]) => [v, k as RcodeName]));

/** The type code of a mnemonic or `TYPE<n>`; throws RangeError for anything else. */
export function typeCode(name: RecordTypeName): number {
  const known = RECORD_TYPES[name as KnownTypeName];
  if (known !== undefined) return known;
  return generic(name, 'TYPE', 0xffff);
}

/** The mnemonic of a type code, or `TYPE<n>`. */
export function typeName(code: number): RecordTypeName {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** The numeric value of a response code mnemonic or `RCODE<n>`; throws RangeError for anything else. */
export function rcodeValue(name: RcodeName): number {
  const known = RCODES[name as keyof typeof RCODES];
  if (known !== undefined) return known;
  return generic(name, 'RCODE', 0xf);
}

/** The mnemonic of a 4-bit response code, or `RCODE<n>`. */
export function rcodeName(value: number): RcodeName {
  return RCODE_NAMES.get(value) ?? `RCODE${value}`;
}

function generic(name: string, prefix: string, max: number): number {
  const m = new RegExp(`^${prefix}(\\d{1,5})$`).exec(name);
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 0 && n <= max)) throw new RangeError(`unknown ${prefix.toLowerCase()} ${JSON.stringify(name)}`);
  return n;
}
