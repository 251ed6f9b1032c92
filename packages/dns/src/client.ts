/**
 * A minimal DNS client: one question to one server over UDP or TCP, the response decoded. For
 * tests and tools (an `nslookup`); no retries over TCP, no search list, no caching.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage } from './wire/decode.js';
import { encodeMessage } from './wire/encode.js';
import type { DnsMessage, DnsMessageInput, RecordTypeName } from './wire/message.js';
import { framed } from './listener.js';

export interface ExchangeOptions {
  /** Use TCP (with the 2-byte length prefix) instead of UDP. */
  tcp?: boolean;
  /** Give up after this long (default 2000 ms). */
  timeoutMs?: number;
}

export interface QueryOptions extends ExchangeOptions {
  /** Ask for recursion (default true, as resolvers in pods do). */
  recursionDesired?: boolean;
  /** Add an EDNS0 OPT record advertising this UDP payload size; default none. */
  ednsUdpPayloadSize?: number;
}

/**
 * Asks `server`:`port` for the records of `type` at `name` and resolves with the decoded
 * response, whatever its rcode; a truncated UDP answer comes back as is (`tc: true`). Rejects on
 * timeout, on a socket error or on an undecodable response.
 */
export function queryDns(server: string, port: number, name: string, type: RecordTypeName = 'A', options: QueryOptions = {}): Promise<DnsMessage> {
  const query: DnsMessageInput = {
    id: Math.floor(Math.random() * 0x10000),
    rd: options.recursionDesired ?? true,
    questions: [{ name, type }],
    additionals:
      options.ednsUdpPayloadSize !== undefined
        ? [{ name: '', type: 'OPT', udpPayloadSize: options.ednsUdpPayloadSize, extendedRcode: 0, version: 0, dnssecOk: false, options: [] }]
        : [],
  };
  return exchangeDns(server, port, query, options);
}

/** Sends `query` and resolves with the first response carrying its id (see {@link queryDns}). */
export function exchangeDns(server: string, port: number, query: DnsMessageInput, options: ExchangeOptions = {}): Promise<DnsMessage> {
  const packet = encodeMessage(query);
  const id = query.id ?? 0;
  const timeoutMs = options.timeoutMs ?? 2000;
  return options.tcp ? overTcp(server, port, packet, id, timeoutMs) : overUdp(server, port, packet, id, timeoutMs);
}

function overUdp(server: string, port: number, packet: Uint8Array, id: number, timeoutMs: number): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server) ? 'udp6' : 'udp4');
    let settled = false;
    const finish = (err: Error | undefined, msg?: DnsMessage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => finish(new Error(`no DNS response from ${server}:${port} (udp) within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (err) => finish(err));
    socket.on('message', (buf, rinfo) => {
      if (rinfo.port !== port || buf.length < 2 || buf.readUInt16BE(0) !== id) return; // not ours: keep waiting
      try {
        finish(undefined, decodeMessage(buf));
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.send(packet, port, server, (err) => err && finish(err));
  });
}

function overTcp(server: string, port: number, packet: Uint8Array, id: number, timeoutMs: number): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server, port });
    let settled = false;
    const finish = (err: Error | undefined, msg?: DnsMessage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => finish(new Error(`no DNS response from ${server}:${port} (tcp) within ${timeoutMs} ms`)), timeoutMs);
    let pending = Buffer.alloc(0);
    socket.on('connect', () => socket.write(framed(packet)));
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error(`${server}:${port} closed the connection without a response`)));
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const msg = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + msg.length);
        if (msg.length < 2 || msg.readUInt16BE(0) !== id) continue;
        try {
          return finish(undefined, decodeMessage(msg));
        } catch (err) {
          return finish(err as Error);
        }
      }
    });
  });
}
