/**
 * The only code that touches the JetStream KV bucket (etcd's role). Keys are
 * `<group|core>/<plural>/<namespace|_>/<name>`; values are msgpack objects without
 * resourceVersion, which is always the KV revision (one counter for the bucket, like etcd's).
 */
import type { JetStreamManager, KV, NatsConnection } from 'nats';
import { StorageType, headers } from 'nats';
import { ConflictError, AlreadyExistsError, ServiceUnavailableError } from '@kubesim/api';
import { JsPublisher, JetStreamPublishError } from './js-publisher.js';

export interface KvStoreOptions {
  bucket: string;
  /** Replicas of the bucket's stream (3 on a NATS cluster). */
  replicas?: number;
}

/** Outcome of a conditional write: the new revision. */
export type Revision = number;

/** Wrong-last-sequence: the compare-and-set precondition failed. */
const WRONG_LAST_SEQUENCE = 10071;

export class KvStore {
  private kv!: KV;
  private jsm!: JetStreamManager;
  private publisher!: JsPublisher;
  /** Tombstone revisions of deleted keys, so a create over a deleted key needs no extra read. */
  private readonly tombstones = new Map<string, number>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: KvStoreOptions,
  ) {}

  /** Opens the bucket, creating it (file storage, history 1) if absent. */
  async open(): Promise<void> {
    this.jsm = await this.nc.jetstreamManager();
    this.kv = await this.nc.jetstream().views.kv(this.options.bucket, {
      history: 1,
      storage: StorageType.File,
      replicas: this.options.replicas ?? 1,
      // Our own object limit (1.5 MiB, as etcd's) is enforced before a write reaches the store.
      maxValueSize: 2 * 1024 * 1024,
    });
    this.publisher = new JsPublisher(this.nc);
  }

  /** Remembers where a key was deleted (fed by the watch cache). */
  noteTombstone(key: string, revision: number | undefined): void {
    if (revision === undefined) this.tombstones.delete(key);
    else this.tombstones.set(key, revision);
  }

  private put(key: string, value: Uint8Array, expected: Revision, op?: 'DEL'): Promise<Revision> {
    const h = headers();
    h.set('Nats-Expected-Last-Subject-Sequence', String(expected));
    if (op) h.set('KV-Operation', op);
    return this.publisher.publish(`$KV.${this.options.bucket}.${key}`, value, h);
  }

  get streamName(): string {
    return `KV_${this.options.bucket}`;
  }

  /** The KV handle, for the watch cache's feed. */
  get handle(): KV {
    return this.kv;
  }

  /** The bucket's newest revision (stream last sequence), read from the stream leader. */
  async lastRevision(): Promise<Revision> {
    try {
      const info = await this.jsm.streams.info(this.streamName);
      return info.state.last_seq;
    } catch (err) {
      throw new ServiceUnavailableError(`store unavailable: ${(err as Error).message}`);
    }
  }

  /** First retained revision of the stream. */
  async firstRevision(): Promise<Revision> {
    const info = await this.jsm.streams.info(this.streamName);
    return info.state.first_seq;
  }

  /** Creates the key only if absent (or deleted). */
  async create(key: string, value: Uint8Array, describe: () => string): Promise<Revision> {
    try {
      return await this.put(key, value, this.tombstones.get(key) ?? 0);
    } catch (err) {
      if (!isWrongLastSequence(err)) throw storeError(err);
    }
    // The key holds a value, or a tombstone this apiserver has not seen yet: look once.
    const last = await this.kv.get(key).catch((err) => {
      throw storeError(err);
    });
    if (last && last.operation !== 'PUT') {
      try {
        return await this.put(key, value, last.revision);
      } catch (err) {
        if (!isWrongLastSequence(err)) throw storeError(err);
      }
    }
    throw new AlreadyExistsError(`${describe()} already exists`);
  }

  /** Replaces the key only if its revision is still `expected`. */
  async update(key: string, value: Uint8Array, expected: Revision, conflictMessage: () => string): Promise<Revision> {
    try {
      return await this.put(key, value, expected);
    } catch (err) {
      if (isWrongLastSequence(err)) throw new ConflictError(conflictMessage());
      throw storeError(err);
    }
  }

  /** Deletes the key only if its revision is still `expected`; returns the tombstone's revision. */
  async delete(key: string, expected: Revision, conflictMessage: () => string): Promise<Revision> {
    try {
      return await this.put(key, new Uint8Array(0), expected, 'DEL');
    } catch (err) {
      if (isWrongLastSequence(err)) throw new ConflictError(conflictMessage());
      throw storeError(err);
    }
  }

  /** Reads a key straight from the stream (used only where the cache cannot answer). */
  async get(key: string): Promise<{ value: Uint8Array; revision: Revision } | undefined> {
    const e = await this.kv.get(key);
    if (!e || e.operation !== 'PUT') return undefined;
    return { value: e.value, revision: e.revision };
  }

  /** Raw put without precondition: only for benchmarks comparing against the raw KV. */
  rawPut(key: string, value: Uint8Array): Promise<Revision> {
    return this.kv.put(key, value);
  }
}

function isWrongLastSequence(err: unknown): boolean {
  return err instanceof JetStreamPublishError && err.errCode === WRONG_LAST_SEQUENCE;
}

function storeError(err: unknown): Error {
  if (err instanceof ServiceUnavailableError) return err;
  return new ServiceUnavailableError(`store write failed: ${(err as Error).message}`);
}
