/**
 * The one wire format inside the cluster: msgpack through msgpackr, with plain maps (no
 * records), so any msgpack peer can read it. Decoding untrusted bytes never throws past
 * {@link decode}'s caller without a clear message.
 */
import { Packr } from 'msgpackr';

const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, int64AsType: 'number', skipValues: [undefined] } as ConstructorParameters<typeof Packr>[0]);

/** Encodes a JSON-shaped value to msgpack bytes; `undefined` fields are dropped, as in JSON. */
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Decodes msgpack bytes. Throws a plain Error with a readable message on garbage. */
export function decode<T = unknown>(bytes: Uint8Array): T {
  try {
    return packr.unpack(bytes) as T;
  } catch (err) {
    throw new Error(`malformed msgpack: ${(err as Error).message}`);
  }
}
