/**
 * The portforward.k8s.io protocol on a SPDY session, as the kubelet serves it
 * (pkg/kubelet/cri/streaming/portforward/httpstream.go): for each local connection the client
 * opens an error stream and a data stream with the same requestID; once both are here, the data
 * stream is piped to the pod's port over TCP and a failure is written as text on the error stream.
 */
import net from 'node:net';
import type { SpdySession, SpdyStream } from './spdy-session.js';
import { headerValue, type SpdyHeaders } from './spdy-headers.js';

/** Where a forwarded connection goes, looked up afresh for every connection. */
export interface ForwardTarget {
  /** How error messages name the pod, e.g. `default/web, uid 1234`. */
  readonly describe: string;
  /** The address to dial now, or why there is none (the pod was deleted, stopped, …). */
  resolve(): Promise<{ host: string } | { error: string }>;
}

export interface PortForwardOptions {
  /** How long the second stream of a pair may take to arrive (the kubelet's streamCreationTimeout). */
  streamCreationTimeoutMs?: number;
}

/**
 * Vets a new stream as the kubelet's httpStreamReceived does: a `port` header that is a port,
 * and a `streamType` of `error` or `data`. Returns why it is refused, or undefined.
 */
export function checkPortForwardStream(headers: SpdyHeaders): string | undefined {
  const port = headerValue(headers, 'port');
  if (!port) return '"port" header is required';
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `unable to parse "${port}" as a port`;
  const type = headerValue(headers, 'streamType');
  if (!type) return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type "${type}"`;
  return undefined;
}

interface StreamPair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** Serves port forwarding on `session` until it closes. */
export function servePortForward(session: SpdySession, target: ForwardTarget, opts: PortForwardOptions = {}): void {
  const timeoutMs = opts.streamCreationTimeoutMs ?? 30_000;
  const pairs = new Map<string, StreamPair>();
  session.on('stream', (stream: SpdyStream) => {
    // Streams may fail after the pipes are gone; the session already handled the cause.
    stream.on('error', () => undefined);
    const id = requestId(stream);
    const type = headerValue(stream.headers, 'streamType') as 'data' | 'error';
    // The client sends nothing on its error stream (it half-closes it at once); drain it anyway.
    if (type === 'error') stream.resume();
    let pair = pairs.get(id);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(id);
        fail(pair!, `timed out waiting for streams of request ${id}`);
      }, timeoutMs);
      timer.unref();
      pair = { timer };
      pairs.set(id, pair);
    }
    if (pair[type]) {
      writeError(pair.error, `error processing stream for request ${id}: ${type} stream already assigned`);
      stream.destroy();
      return;
    }
    pair[type] = stream;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(id);
      void forward(pair.data, pair.error, target);
    }
  });
  session.on('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
  });
}

/**
 * The pair's id. Clients older than requestID used consecutive stream ids (error = n, data =
 * n + 2); the kubelet guesses the same way, so this does too.
 */
function requestId(stream: SpdyStream): string {
  const id = headerValue(stream.headers, 'requestID');
  if (id) return id;
  return String(headerValue(stream.headers, 'streamType') === 'data' ? stream.id - 2 : stream.id);
}

async function forward(data: SpdyStream, errors: SpdyStream, target: ForwardTarget): Promise<void> {
  const port = Number(headerValue(data.headers, 'port'));
  const where = await target.resolve().catch((err: Error) => ({ error: err.message }));
  if (data.destroyed) return void errors.end();
  if ('error' in where) return fail({ data, error: errors }, `error forwarding port ${port} to pod ${target.describe}: ${where.error}`);

  // Half-open both ways: the client's FIN on the data stream becomes a FIN to the pod, and the
  // pod's response still comes back, as with a real TCP connection.
  const sock = net.connect({ host: where.host, port, allowHalfOpen: true });
  sock.setNoDelay(true);
  let connected = false;
  sock.once('connect', () => (connected = true));
  sock.on('error', (err) => {
    if (!connected) writeError(errors, `error forwarding port ${port} to pod ${target.describe}: ${err.message}`);
  });
  sock.pipe(data);
  data.pipe(sock);
  sock.on('close', () => {
    // pipe() does not end the stream when the socket failed; the client waits for this FIN.
    if (!data.writableEnded && !data.destroyed) data.end();
    errors.end();
  });
  data.on('close', () => {
    // Closed both ways by the protocol is normal; anything else (a reset, the session gone) aborts.
    if (!(data.readableEnded && data.writableFinished)) sock.destroy();
  });
}

function fail(pair: Pick<StreamPair, 'data' | 'error'>, message: string): void {
  writeError(pair.error, message);
  pair.error?.end();
  pair.data?.end();
  // Drop whatever the client still sends: unread data would hold back the whole session.
  pair.data?.resume();
}

function writeError(stream: SpdyStream | undefined, message: string): void {
  if (stream && !stream.destroyed && !stream.writableEnded) stream.write(message);
}
