/**
 * The HTTP adapter: Kubernetes REST paths with JSON, Tables for kubectl get, watch streams,
 * discovery, OpenAPI, health and version. Decodes to an ApiRequest and runs the one handler.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  ApiError,
  BadRequestError,
  NotFoundError,
  ServiceUnavailableError,
  parsePath,
  type ApiRequest,
  type KubeObject,
  type RequestQuery,
  type Verb,
  type WatchEvent,
} from '@kubesim/api';
import { errorResponse, resolveResource, type ApiHandler } from '../handler.js';
import type { WatchCache } from '../store/watch-cache.js';
import { openWatch, type WatchSettings } from '../watch.js';
import { decodeBody, mediaType, patchTypeOf, readBody } from './body.js';
import { serveMeta } from './meta-routes.js';
import { wantsTable, tableBody, tableEvent, TABLE_CONTENT_TYPE } from './table-negotiation.js';
import { upgradePortForward } from './portforward/upgrade.js';
import { serveExecUpgrade } from './exec-route.js';
import type { PodExec } from '../exec.js';

export interface HttpSettings extends WatchSettings {
  maxRequestBytes: number;
  /** Whether the apiserver is ready (cache synced, store reachable). */
  ready: () => boolean;
}

const METHOD_VERBS: Record<string, (named: boolean, watch: boolean) => Verb | undefined> = {
  GET: (named, watch) => (watch ? 'watch' : named ? 'get' : 'list'),
  POST: (named) => (named ? undefined : 'create'),
  PUT: (named) => (named ? 'update' : undefined),
  PATCH: (named) => (named ? 'patch' : undefined),
  DELETE: (named) => (named ? 'delete' : 'deletecollection'),
};

/**
 * Creates the HTTP server (not yet listening). Upgrade requests go to port forwarding, to
 * `exec` (pods/exec over WebSocket) when given, or are served as ordinary requests.
 */
export function createHttpServer(handler: ApiHandler, cache: WatchCache, settings: HttpSettings, exec?: PodExec): http.Server {
  const server = http.createServer((req, res) => {
    serve(handler, cache, settings, req, res).catch((err) => sendError(res, err));
  });
  server.keepAliveTimeout = 65_000;
  const sessions = new Set<Duplex>();
  upgradedSessions.set(server, sessions);
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = parsePath(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path?.group === '' && path.resource === 'pods' && path.subresource === 'portforward' && path.namespace && path.name) {
      void upgradePortForward(handler, { namespace: path.namespace, name: path.name }, req, socket, head).then((transport) => {
        if (!transport) return;
        sessions.add(transport);
        transport.once('close', () => sessions.delete(transport));
      });
      return;
    }
    if (exec && serveExecUpgrade(exec, req, socket, head)) return;
    serveWithoutUpgrade(req, socket, head, (res) => serve(handler, cache, settings, req, res));
  });
  return server;
}

const upgradedSessions = new WeakMap<http.Server, Set<Duplex>>();

/** Tears down upgraded connections (port-forward sessions), which server.closeAllConnections() does not reach. */
export function closeUpgradedConnections(server: http.Server): void {
  for (const t of upgradedSessions.get(server) ?? []) t.destroy();
}

/**
 * Node hands every request with an Upgrade header to 'upgrade' once anyone listens there. The
 * ones that are not port-forwards (say `Upgrade: h2c` from curl) are served as ordinary requests
 * on that socket, which then closes: the upgrade is declined by not answering 101.
 */
function serveWithoutUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, run: (res: ServerResponse) => Promise<void>): void {
  const res = new http.ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.on('finish', () => socket.end());
  // The parser stopped at the headers: what came after them is the body, and nothing more is read.
  if (head.length > 0) req.push(head);
  req.push(null);
  run(res).catch((err) => sendError(res, err));
}

async function serve(handler: ApiHandler, cache: WatchCache, settings: HttpSettings, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (await serveMeta(url, req, res, settings)) return;
  const path = parsePath(url.pathname);
  if (!path) throw new NotFoundError('the server could not find the requested resource');
  // Port forwarding exists only as an upgrade (see the 'upgrade' listener); a plain request gets kube's answer.
  if (path.resource === 'pods' && path.subresource === 'portforward' && path.group === '') throw new BadRequestError('Upgrade request required');
  const query = Object.fromEntries(url.searchParams) as RequestQuery;
  const watch = query.watch === 'true' || query.watch === '1';
  // POST to a named object's subresource (binding, eviction) creates that subresource.
  const postToSub = req.method === 'POST' && path.subresource !== undefined;
  const verb = postToSub ? 'create' : METHOD_VERBS[req.method ?? '']?.(path.name !== undefined, watch && req.method === 'GET');
  if (!verb) {
    res.setHeader('Allow', 'GET, POST, PUT, PATCH, DELETE');
    throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }
  const apiReq: ApiRequest = { ...path, verb, query };
  if (verb === 'create' || verb === 'update' || verb === 'patch' || verb === 'delete' || verb === 'deletecollection') {
    const buf = await readBody(req, settings.maxRequestBytes);
    const type = mediaType(req.headers['content-type']);
    if (verb === 'patch') apiReq.patchType = patchTypeOf(req.headers['content-type']);
    apiReq.body = decodeBody(buf, verb === 'patch' ? (apiReq.patchType === 'apply' ? 'application/yaml' : 'application/json') : type);
  }
  if (verb === 'create' && path.subresource === undefined && apiReq.body === undefined) throw new BadRequestError('the request body is empty');
  const accept = req.headers.accept;
  if (verb === 'watch') return streamWatch(cache, settings, apiReq, wantsTable(accept), req, res);
  if (verb === 'get' && path.subresource === 'log' && path.resource === 'pods') return streamLogs(handler, apiReq, req, res);
  const result = await handler.handle(apiReq);
  if (result.code < 300 && wantsTable(accept) && (verb === 'get' || verb === 'list')) {
    const info = resolveResource(apiReq);
    return send(res, result.code, tableBody(info, result.body as KubeObject), TABLE_CONTENT_TYPE);
  }
  send(res, result.code, result.body);
}

async function streamWatch(
  cache: WatchCache,
  settings: HttpSettings,
  apiReq: ApiRequest,
  asTable: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const info = resolveResource(apiReq);
  let started = false;
  let firstRow = true;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'Content-Type': asTable ? TABLE_CONTENT_TYPE : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
  };
  const session = await openWatch(
    cache,
    apiReq,
    {
      send: (event: WatchEvent<KubeObject>) => {
        start();
        const out = asTable ? tableEvent(info, event, firstRow) : event;
        if (asTable && event.type !== 'BOOKMARK' && event.type !== 'ERROR') firstRow = false;
        res.write(JSON.stringify(out) + '\n');
        // A consumer this far behind is cut off; it resumes from its last resourceVersion.
        return res.writableLength < 64 * 1024 * 1024;
      },
      end: () => {
        start();
        res.end();
      },
    },
    settings,
  );
  start();
  req.on('close', () => session.stop());
  res.on('close', () => session.stop());
}

/** pods/log: plain text; with follow=true a chunked stream that ends when the container stops. */
async function streamLogs(handler: ApiHandler, apiReq: ApiRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const q = apiReq.query ?? {};
  if (q.follow !== 'true') {
    const r = await handler.handle(apiReq);
    if (r.code >= 300) return send(res, r.code, r.body);
    const text = String(r.body ?? '');
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  if (!handler.logs) throw new ServiceUnavailableError('pod logs are not served by this apiserver');
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  res.on('close', () => abort.abort());
  let started = false;
  await handler.logs.follow(
    apiReq.namespace!,
    apiReq.name!,
    q,
    (chunk) => {
      if (!started) {
        started = true;
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      }
      res.write(chunk);
    },
    abort.signal,
  );
  if (!started) res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end();
}

function send(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body ?? {});
  res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const r = errorResponse(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  send(res, r.code, r.body);
}

export { send };
