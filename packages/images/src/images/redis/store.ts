import { matchPattern } from '../../shell/pattern.js';
import { ErrorReply, Status, type Reply } from './resp.js';

interface Entry {
  value: string;
  expiresAt?: number;
}

const OK = new Status('OK');
const NOT_INTEGER = new ErrorReply('ERR value is not an integer or out of range');
const SYNTAX = new ErrorReply('ERR syntax error');

/** The keyspace: strings with optional expiry, in memory. */
export class RedisStore {
  private data = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The live entries, for saving. */
  dump(): Record<string, Entry> {
    this.purge();
    return Object.fromEntries(this.data);
  }

  load(entries: Record<string, Entry>): void {
    for (const [k, v] of Object.entries(entries)) if (typeof v?.value === 'string') this.data.set(k, v);
    this.purge();
  }

  size(): number {
    this.purge();
    return this.data.size;
  }

  /** Runs one data command; undefined if `name` is not one. */
  execute(name: string, args: string[]): Reply | undefined {
    switch (name) {
      case 'get': return this.get(args[0]) ?? null;
      case 'set': return this.set(args);
      case 'setex': return this.set([args[0], args[2], 'EX', args[1]]);
      case 'setnx': return this.set([args[0], args[1], 'NX']) === null ? 0 : 1;
      case 'mget': return args.map((k) => this.get(k) ?? null);
      case 'mset':
        for (let i = 0; i + 1 < args.length; i += 2) this.data.set(args[i], { value: args[i + 1] });
        return OK;
      case 'del':
      case 'unlink': return args.filter((k) => this.get(k) !== undefined && this.data.delete(k)).length;
      case 'exists': return args.filter((k) => this.get(k) !== undefined).length;
      case 'incr': return this.incrBy(args[0], 1);
      case 'decr': return this.incrBy(args[0], -1);
      case 'incrby': return this.incrBy(args[0], Number(args[1]));
      case 'decrby': return this.incrBy(args[0], -Number(args[1]));
      case 'append': {
        const v = (this.get(args[0]) ?? '') + (args[1] ?? '');
        this.data.set(args[0], { ...this.data.get(args[0]), value: v });
        return Buffer.byteLength(v);
      }
      case 'strlen': return Buffer.byteLength(this.get(args[0]) ?? '');
      case 'keys': return this.keys(args[0] ?? '*');
      case 'dbsize': return this.size();
      case 'flushall':
      case 'flushdb':
        this.data.clear();
        return OK;
      case 'expire': return this.expire(args[0], Number(args[1]) * 1000);
      case 'pexpire': return this.expire(args[0], Number(args[1]));
      case 'ttl': return this.ttl(args[0], 1000);
      case 'pttl': return this.ttl(args[0], 1);
      case 'persist': {
        const e = this.entry(args[0]);
        if (!e?.expiresAt) return 0;
        delete e.expiresAt;
        return 1;
      }
      case 'type': return new Status(this.get(args[0]) === undefined ? 'none' : 'string');
      default: return undefined;
    }
  }

  private entry(key: string | undefined): Entry | undefined {
    if (key === undefined) return undefined;
    const e = this.data.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  private get(key: string | undefined): string | undefined {
    return this.entry(key)?.value;
  }

  private set(args: string[]): Reply {
    const [key, value, ...opts] = args;
    if (key === undefined || value === undefined) return SYNTAX;
    let expiresAt: number | undefined;
    let mode: 'NX' | 'XX' | undefined;
    let keepTtl = false;
    let returnOld = false;
    for (let i = 0; i < opts.length; i++) {
      const o = opts[i].toUpperCase();
      if (o === 'EX' || o === 'PX') {
        const n = Number(opts[++i]);
        if (!Number.isInteger(n) || n <= 0) return new ErrorReply(`ERR invalid expire time in 'set' command`);
        expiresAt = this.now() + (o === 'EX' ? n * 1000 : n);
      } else if (o === 'NX' || o === 'XX') mode = o;
      else if (o === 'KEEPTTL') keepTtl = true;
      else if (o === 'GET') returnOld = true;
      else return SYNTAX;
    }
    const old = this.entry(key);
    if ((mode === 'NX' && old) || (mode === 'XX' && !old)) return returnOld ? (old?.value ?? null) : null;
    this.data.set(key, { value, expiresAt: keepTtl ? old?.expiresAt : expiresAt });
    return returnOld ? (old?.value ?? null) : OK;
  }

  private incrBy(key: string | undefined, by: number): Reply {
    if (key === undefined || !Number.isInteger(by)) return NOT_INTEGER;
    const e = this.entry(key);
    const current = e === undefined ? 0 : Number(e.value);
    if (e !== undefined && !/^-?\d+$/.test(e.value)) return NOT_INTEGER;
    const next = current + by;
    this.data.set(key, { value: String(next), expiresAt: e?.expiresAt });
    return next;
  }

  private keys(pattern: string): string[] {
    this.purge();
    const segs = [{ text: pattern, quoted: false }];
    return [...this.data.keys()].filter((k) => matchPattern(segs, k));
  }

  private expire(key: string | undefined, ms: number): number {
    const e = this.entry(key);
    if (!e || !Number.isFinite(ms)) return 0;
    e.expiresAt = this.now() + ms;
    return 1;
  }

  private ttl(key: string | undefined, unit: number): number {
    const e = this.entry(key);
    if (!e) return -2;
    if (e.expiresAt === undefined) return -1;
    return Math.ceil((e.expiresAt - this.now()) / unit);
  }

  private purge(): void {
    for (const k of [...this.data.keys()]) this.entry(k);
  }
}
