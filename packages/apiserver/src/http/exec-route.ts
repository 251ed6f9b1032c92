/**
 * The HTTP side of `pods/exec`: kubectl (1.30+) asks for it with `Upgrade: websocket` and the
 * channel subprotocol `v5.channel.k8s.io`. Each binary message starts with a channel byte: 0 stdin
 * (client to server), 1 stdout, 2 stderr, 3 the final Status, 4 terminal resizes (ignored), and in v5 255 +
 * channel closes that stream (stdin's end of file). Anything that cannot start is a plain HTTP
 * Status before the upgrade: kubectl then retries over SPDY, gets the same Status, and prints it.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { parsePath, type Status } from '@kubesim/api';
import { errorResponse } from '../handler.js';
import { execOptions, type ExecSession, type PodExec } from '../exec.js';
import { WebSocketConnection } from './websocket.js';
import { CloseCode, handshakeResponse, isWebSocketRequest, pickProtocol } from './websocket-frames.js';

/** The channel subprotocols served, newest first (v4 has no close-stream signal). */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE_STREAM = 255;

/** True for `…/api/v1/namespaces/NS/pods/NAME/exec`. */
export function isExecPath(url: string | undefined): boolean {
  const path = parsePath(new URL(url ?? '/', 'http://localhost').pathname);
  return !!path && path.group === '' && path.resource === 'pods' && path.subresource === 'exec' && !!path.name && !!path.namespace;
}

/**
 * Serves an upgrade request for `pods/exec` on `socket`; returns false (touching nothing) for any
 * other path, so other upgrade handlers on the same server can take it. Never throws.
 */
export function serveExecUpgrade(exec: PodExec, req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
  if (!isExecPath(req.url)) return false;
  socket.on('error', () => undefined);
  void upgrade(exec, req, socket, head).catch((err) => writeHttpError(socket, err));
  return true;
}

async function upgrade(exec: PodExec, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = parsePath(url.pathname)!;
  const options = execOptions(url.searchParams);
  const protocol = isWebSocketRequest(req) ? pickProtocol(req.headers['sec-websocket-protocol'], EXEC_PROTOCOLS) : undefined;
  if (!protocol) {
    // kubectl's SPDY fallback after a failed WebSocket attempt lands here: a dry run gives it the
    // same error the WebSocket attempt got, so that is what kubectl prints.
    await exec.start(path.namespace!, path.name!, options, true);
    const why = isWebSocketRequest(req)
      ? `none of the offered subprotocols is supported; this server speaks ${EXEC_PROTOCOLS.join(', ')}`
      : 'exec needs a WebSocket upgrade (Sec-WebSocket-Protocol: v5.channel.k8s.io); SPDY is not supported';
    return writeStatus(socket, 400, status(400, 'BadRequest', why));
  }
  // Checked (and the command started) before answering, so errors are still plain HTTP.
  const session = await exec.start(path.namespace!, path.name!, options);
  if (socket.destroyed) return session.cancel();
  socket.write(handshakeResponse(String(req.headers['sec-websocket-key']), protocol));
  const ws = new WebSocketConnection(socket, head, {
    message: (data) => onClientMessage(session, data, protocol),
    closed: () => session.cancel(),
  });
  // Output is not held back when the client reads slowly: exec output is small, and the kubelet
  // cannot be paused over NATS anyway; the socket buffers what the client has not taken yet.
  await session.pump({
    output: (stream, data) => {
      // With a terminal (tty) the kubelet already sends everything as stdout, as a pty merges them.
      const channel = stream === 1 ? STDOUT : STDERR;
      if ((channel === STDOUT && options.stdout) || (channel === STDERR && options.stderr)) ws.send(withChannel(channel, data));
    },
    done: (result) => {
      const st = 'exit' in result ? exitStatus(result.exit, options.command) : result.error;
      ws.send(withChannel(ERROR, Buffer.from(JSON.stringify(st))));
      ws.close(CloseCode.NORMAL);
    },
  });
}

function onClientMessage(session: ExecSession, data: Buffer, protocol: string): void {
  if (data.length === 0) return;
  const channel = data[0];
  if (channel === STDIN) session.write(data.subarray(1));
  else if (channel === CLOSE_STREAM && protocol.startsWith('v5.') && data[1] === STDIN) session.closeStdin();
  // Anything else (RESIZE above all: our containers have no terminal to resize) is dropped.
}

/** The Status on channel 3: Success, or kubelet's NonZeroExitCode that makes kubectl exit with the code. */
export function exitStatus(code: number, command: string[]): Partial<Status> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode' as Status['reason'],
    details: { causes: [{ reason: 'ExitCode' as never, message: String(code) }] },
  };
}

function withChannel(channel: number, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

function status(code: number, reason: string, message: string): Status {
  return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason, code } as Status;
}

function writeHttpError(socket: Duplex, err: unknown): void {
  const r = errorResponse(err);
  writeStatus(socket, r.code, r.body as Status);
}

/** A whole HTTP response on the raw socket (no upgrade happened), then the connection closes. */
function writeStatus(socket: Duplex, code: number, body: Status): void {
  if (socket.destroyed) return;
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
