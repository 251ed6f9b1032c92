/**
 * Domain names on the wire (RFC 1035 sections 3.1 and 4.1.4): length-prefixed labels, ended by
 * the root label or by a compression pointer to an earlier name in the message.
 */
import { DnsFormatError } from './message.js';

/** A name's wire length, labels and the root byte included, is at most 255 (RFC 1035 2.3.4). */
export const MAX_NAME_LENGTH = 255;
export const MAX_LABEL_LENGTH = 63;
/** Pointers reach the first 16 KiB of a message (14 bits). */
const MAX_POINTER_OFFSET = 0x3fff;
/** More jumps than a name could ever need: a guard against pointer loops. */
const MAX_POINTER_HOPS = 127;

/**
 * Splits a presentation name into label bytes, undoing `\.`, `\\` and `\DDD` escapes. A trailing
 * dot is allowed; `''` and `'.'` are the root. Throws RangeError for an empty label, a label over
 * 63 bytes, a name over 255 bytes, a bad escape or a non-ASCII character.
 */
export function nameToLabels(name: string): Uint8Array[] {
  if (name === '' || name === '.') return [];
  const labels: Uint8Array[] = [];
  let current: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '.') {
      labels.push(finishLabel(current, name));
      current = [];
    } else if (ch === '\\') {
      const digits = /^\d{3}/.exec(name.slice(i + 1))?.[0];
      if (digits !== undefined && Number(digits) <= 255) {
        current.push(Number(digits));
        i += 3;
      } else if (i + 1 < name.length && !/\d/.test(name[i + 1])) {
        current.push(name.charCodeAt(++i) & 0xff);
      } else {
        throw new RangeError(`bad escape in name ${JSON.stringify(name)}`);
      }
    } else {
      const code = name.charCodeAt(i);
      if (code > 0x7f) throw new RangeError(`non-ASCII character in name ${JSON.stringify(name)} (use punycode or \\DDD)`);
      current.push(code);
    }
  }
  // An unescaped final dot (the fully qualified form) ends the name rather than a label.
  if (current.length > 0 || name[name.length - 1] !== '.') labels.push(finishLabel(current, name));
  const wireLength = labels.reduce((n, l) => n + l.length + 1, 1);
  if (wireLength > MAX_NAME_LENGTH) throw new RangeError(`name longer than ${MAX_NAME_LENGTH} bytes: ${name}`);
  return labels;
}

function finishLabel(bytes: number[], name: string): Uint8Array {
  if (bytes.length === 0) throw new RangeError(`empty label in name ${JSON.stringify(name)}`);
  if (bytes.length > MAX_LABEL_LENGTH) throw new RangeError(`label longer than ${MAX_LABEL_LENGTH} bytes in ${name}`);
  return Uint8Array.from(bytes);
}

/** The presentation form of one label: printable ASCII as is, `.` and `\` escaped, the rest `\DDD`. */
export function labelToText(label: Uint8Array): string {
  let out = '';
  for (const b of label) {
    if (b === 0x2e || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b > 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${String(b).padStart(3, '0')}`;
  }
  return out;
}

/**
 * Reads the name at `offset`, following compression pointers. Returns it with the offset just
 * past its bytes in place. Throws DnsFormatError for a name that runs off the message, a pointer
 * that does not point backwards, a reserved label type or a name over 255 bytes.
 */
export function readName(buf: Uint8Array, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  let length = 1;
  for (let hops = 0; ; ) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the end of the message');
    const len = buf[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError('compression pointer runs past the end of the message');
      const target = ((len & 0x3f) << 8) | buf[pos + 1];
      if (target >= pos) throw new DnsFormatError('compression pointer does not point backwards');
      if (++hops > MAX_POINTER_HOPS) throw new DnsFormatError('too many compression pointers');
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if (kind !== 0) throw new DnsFormatError(`reserved label type 0x${kind.toString(16)}`);
    if (pos + 1 + len > buf.length) throw new DnsFormatError('label runs past the end of the message');
    length += len + 1;
    if (length > MAX_NAME_LENGTH) throw new DnsFormatError(`name longer than ${MAX_NAME_LENGTH} bytes`);
    labels.push(labelToText(buf.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

/**
 * Remembers where names were written in a message so later names can point to them. Keys are
 * lower-cased: name comparison in DNS ignores ASCII case.
 */
export class CompressionTable {
  private readonly offsets = new Map<string, number>();

  /** The offset of an earlier occurrence of this suffix, if any. */
  find(suffix: string): number | undefined {
    return this.offsets.get(suffix.toLowerCase());
  }

  /** Records a suffix written at `offset` (ignored past the pointers' reach). */
  remember(suffix: string, offset: number): void {
    if (offset > MAX_POINTER_OFFSET) return;
    const key = suffix.toLowerCase();
    if (!this.offsets.has(key)) this.offsets.set(key, offset);
  }
}

/**
 * The bytes of `name` for a message whose next byte is at `offset`: labels up to the longest
 * suffix already in `table` (then a pointer to it), each new suffix remembered. Without a table
 * the name is written uncompressed (as SRV targets must be, RFC 2782).
 */
export function nameBytes(name: string, offset: number, table?: CompressionTable): Uint8Array {
  const labels = nameToLabels(name);
  const texts = labels.map(labelToText);
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const suffix = texts.slice(i).join('.');
    const earlier = table?.find(suffix);
    if (earlier !== undefined) {
      out.push(0xc0 | (earlier >> 8), earlier & 0xff);
      return Uint8Array.from(out);
    }
    table?.remember(suffix, offset + out.length);
    out.push(labels[i].length, ...labels[i]);
  }
  out.push(0);
  return Uint8Array.from(out);
}
