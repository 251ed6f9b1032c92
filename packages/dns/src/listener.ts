/**
 * The sockets: one UDP socket and one TCP server on the same address and port, each handing
 * packets to a handler and sending back what it returns. TCP carries each message behind a
 * 2-byte length (RFC 1035 4.2.2) and keeps the connection for more queries (RFC 7766).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { LogFn } from '@kubesim/api';
import type { TransportKind } from './handler.js';

/** Turns a query packet into a response packet, or undefined for no reply. */
export type PacketHandler = (packet: Uint8Array, transport: TransportKind) => Uint8Array | undefined;

export interface ListenerOptions {
  address: string;
  /** 0 picks a free port (the same one for UDP and TCP). */
  port: number;
  handler: PacketHandler;
  log: LogFn;
  /** An idle TCP connection is closed after this long (default 10 s). */
  tcpIdleMs?: number;
}

export class DnsListener {
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private readonly connections = new Set<net.Socket>();

  constructor(private readonly options: ListenerOptions) {}

  /** Binds both sockets; resolves with the port, rejects if either cannot bind (both are closed then). */
  async listen(): Promise<number> {
    const { address } = this.options;
    try {
      const port = await this.listenTcp(address, this.options.port);
      await this.listenUdp(address, port);
      return port;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Closes both sockets and every open TCP connection. */
  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    await Promise.all([
      udp && new Promise<void>((resolve) => udp.close(() => resolve())),
      tcp && new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]);
  }

  private listenUdp(address: string, port: number): Promise<void> {
    const udp = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    this.udp = udp;
    udp.on('message', (msg, rinfo) => {
      const out = this.handle(msg, 'udp');
      if (out) udp.send(out, rinfo.port, rinfo.address, (err) => err && this.options.log('warn', 'UDP send failed', { to: rinfo.address, error: err.message }));
    });
    return new Promise((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, address, () => {
        udp.off('error', reject);
        udp.on('error', (err) => this.options.log('warn', 'UDP socket error', { error: err.message }));
        resolve();
      });
    });
  }

  private listenTcp(address: string, port: number): Promise<number> {
    const tcp = net.createServer((socket) => this.serveConnection(socket));
    this.tcp = tcp;
    return new Promise((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, address, () => {
        tcp.off('error', reject);
        tcp.on('error', (err) => this.options.log('warn', 'TCP server error', { error: err.message }));
        resolve((tcp.address() as net.AddressInfo).port);
      });
    });
  }

  /** Reads length-prefixed messages off one connection until it closes or idles out. */
  private serveConnection(socket: net.Socket): void {
    this.connections.add(socket);
    socket.setTimeout(this.options.tcpIdleMs ?? 10_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const packet = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        const out = this.handle(packet, 'tcp');
        if (out && !socket.destroyed) socket.write(framed(out));
      }
    });
  }

  /** Runs the handler; a throw is a bug in it, logged, and the packet goes unanswered. */
  private handle(packet: Uint8Array, transport: TransportKind): Uint8Array | undefined {
    try {
      return this.options.handler(packet, transport);
    } catch (err) {
      this.options.log('error', 'query handler threw', { transport, error: String(err) });
      return undefined;
    }
  }
}

/** A message with its 2-byte TCP length prefix. */
export function framed(message: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  out.set(message, 2);
  return out;
}
