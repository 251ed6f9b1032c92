/**
 * `pods/portforward`: the HTTP upgrade that starts a port-forward session. Two ways in, as a real
 * apiserver offers them to kubectl 1.31:
 *  - `GET` with `Upgrade: websocket` and subprotocol `SPDY/3.1+portforward.k8s.io`: SPDY carried
 *    in WebSocket binary messages (k8s.io/apiserver/pkg/util/proxy/streamtunnel.go), tried first;
 *  - `POST` with `Upgrade: SPDY/3.1` and `X-Stream-Protocol-Version: portforward.k8s.io`, the
 *    fallback (and the only way for kubectl 1.30 and older).
 * Either way the pod must exist and be Running with a podIP; connections go to podIP:port.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { ApiError, BadRequestError, ForbiddenError, type KubeObject } from '@kubesim/api';
import { errorResponse, type ApiHandler } from '../../handler.js';
import { SpdySession } from './spdy-session.js';
import { checkPortForwardStream, servePortForward, type ForwardTarget } from './port-forward.js';
import { handshakeResponse, offeredSubprotocols } from '../websocket-frames.js';
import { WebSocketTunnel } from './websocket.js';

/** The only stream protocol served. */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The prefix that marks a SPDY protocol tunnelled in a WebSocket. */
export const TUNNEL_PREFIX = 'SPDY/3.1+';

/** The pod a port-forward request names. */
export interface PortForwardRequest {
  namespace: string;
  name: string;
}

/**
 * Answers the upgrade on `socket`: a Status (404 no pod, 400 not Running / no podIP / not an
 * upgrade, 403 no common protocol) or 101 and a session that lives until either side closes.
 * Never throws; returns the upgraded transport, or undefined when the request was refused.
 */
export async function upgradePortForward(
  handler: ApiHandler,
  target: PortForwardRequest,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<Duplex | undefined> {
  try {
    const kind = upgradeKind(req);
    const protocol = kind === 'websocket' ? tunnelProtocol(req) : spdyProtocol(req);
    const pod = await runningPod(handler, target);
    if (socket.destroyed) return undefined;
    socket.setNoDelay(true);
    socket.setTimeout(0);
    // Bytes that came in with the request headers are the first bytes of the session.
    if (head.length > 0) socket.unshift(head);
    const transport = kind === 'websocket' ? acceptWebSocket(req, socket, protocol) : acceptSpdy(socket, protocol);
    const session = new SpdySession(transport, { accept: checkPortForwardStream });
    servePortForward(session, podTarget(handler, target, pod));
    return transport;
  } catch (err) {
    rejectUpgrade(socket, err);
    return undefined;
  }
}

function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' {
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    if (req.method !== 'GET') throw new BadRequestError('unable to upgrade: a WebSocket upgrade must be a GET');
    return 'websocket';
  }
  if (upgrade === 'spdy/3.1') return 'spdy';
  throw new BadRequestError(`unable to upgrade: unsupported protocol ${JSON.stringify(req.headers.upgrade ?? '')}; use websocket or SPDY/3.1`);
}

/** The tunnelled subprotocol to answer with, as the apiserver's TunnelingHandler picks it. */
function tunnelProtocol(req: IncomingMessage): string {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || Buffer.from(key, 'base64').length !== 16) throw new BadRequestError('unable to upgrade: missing or invalid Sec-WebSocket-Key');
  if (req.headers['sec-websocket-version'] !== '13') throw new BadRequestError('unable to upgrade: Sec-WebSocket-Version must be 13');
  const offered = offeredSubprotocols(req.headers['sec-websocket-protocol']);
  const spdy = offered.filter((p) => p.startsWith(TUNNEL_PREFIX) && p.endsWith('.k8s.io'));
  if (spdy.length === 0) throw new BadRequestError('unable to upgrade: no tunneling spdy protocols provided');
  if (!spdy.includes(TUNNEL_PREFIX + PORT_FORWARD_PROTOCOL)) throw noCommonProtocol(spdy.map((p) => p.slice(TUNNEL_PREFIX.length)));
  return TUNNEL_PREFIX + PORT_FORWARD_PROTOCOL;
}

/** The X-Stream-Protocol-Version to answer with (httpstream.Handshake). */
function spdyProtocol(req: IncomingMessage): string {
  const raw = req.headers['x-stream-protocol-version'];
  const offered = (Array.isArray(raw) ? raw : [raw ?? '']).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  // No header at all is a pre-negotiation client; the kubelet serves those the one protocol too.
  if (offered.length > 0 && !offered.includes(PORT_FORWARD_PROTOCOL)) throw noCommonProtocol(offered);
  return PORT_FORWARD_PROTOCOL;
}

function noCommonProtocol(offered: string[]): ApiError {
  return new ForbiddenError(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`);
}

async function runningPod(handler: ApiHandler, target: PortForwardRequest): Promise<KubeObject> {
  const r = await handler.handle({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: target.namespace, name: target.name });
  if (r.code >= 300) throw new StatusReply(r.code, r.body);
  const pod = r.body as any;
  const phase = pod.status?.phase ?? 'Pending';
  if (phase !== 'Running') throw new BadRequestError(`unable to forward port because pod is not running. Current status=${phase}`);
  if (!pod.status?.podIP) throw new BadRequestError(`pod ${target.name} has no IP address yet`);
  return pod;
}

/** Re-reads the pod for every connection, so a deleted or replaced pod is not dialled. */
function podTarget(handler: ApiHandler, target: PortForwardRequest, pod: KubeObject): ForwardTarget {
  const uid = pod.metadata?.uid;
  return {
    describe: `${target.namespace}/${target.name}, uid ${uid}`,
    async resolve() {
      const r = await handler.handle({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: target.namespace, name: target.name });
      const now = r.body as any;
      if (r.code >= 300 || now?.metadata?.uid !== uid) return { error: 'pod not found' };
      if (now.status?.phase !== 'Running' || !now.status?.podIP) return { error: `pod is not running (phase ${now.status?.phase ?? 'Pending'})` };
      return { host: now.status.podIP as string };
    },
  };
}

function acceptWebSocket(req: IncomingMessage, socket: Socket, protocol: string): Duplex {
  socket.write(handshakeResponse(String(req.headers['sec-websocket-key']), protocol));
  return new WebSocketTunnel(socket);
}

function acceptSpdy(socket: Socket, protocol: string): Duplex {
  socket.write('HTTP/1.1 101 Switching Protocols\r\n' + 'Connection: Upgrade\r\n' + 'Upgrade: SPDY/3.1\r\n' + `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  return socket;
}

/** A reply the handler already made into a Status. */
class StatusReply extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
  ) {
    super('status reply');
  }
}

/** Writes a Status reply on the raw socket and closes it (there is no ServerResponse after 'upgrade'). */
function rejectUpgrade(socket: Socket, err: unknown): void {
  const { code, body } = err instanceof StatusReply ? err : errorResponse(err);
  const text = JSON.stringify(body);
  if (socket.destroyed || !socket.writable) return;
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      'Cache-Control: no-cache, private\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      'Connection: close\r\n\r\n' +
      text,
  );
}
