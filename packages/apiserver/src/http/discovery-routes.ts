/**
 * Discovery and OpenAPI paths: /api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>, /openapi/v3[...].
 * Aggregated discovery is answered when the Accept header asks for it (kubectl does, first),
 * with the Content-Type parameters kubectl checks; otherwise the legacy documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryContentType,
  negotiateDiscovery,
} from './discovery.js';
import { openApiIndex, openApiDocument } from './openapi.js';

/** Serves a discovery or OpenAPI path; false if `path` is neither. */
export function serveDiscovery(path: string, url: URL, req: IncomingMessage, res: ServerResponse): boolean {
  const accept = req.headers.accept;
  if (path === '/api' || path === '/apis') {
    const flavour = negotiateDiscovery(accept);
    if (flavour === 'legacy') {
      const host = req.headers.host ?? '127.0.0.1';
      return send(res, path === '/api' ? apiVersions(host) : apiGroupList());
    }
    return send(res, aggregatedDiscovery(path === '/api' ? 'core' : 'groups', flavour), discoveryContentType(flavour));
  }
  const core = /^\/api\/([^/]+)$/.exec(path);
  if (core) return sendOrMissing(res, apiResourceList('', core[1]));
  const group = /^\/apis\/([^/]+)$/.exec(path);
  if (group) return sendOrMissing(res, apiGroupDocument(group[1]));
  const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (gv) return sendOrMissing(res, apiResourceList(gv[1], gv[2]));
  if (path === '/openapi/v3') return send(res, openApiIndex());
  if (path.startsWith('/openapi/v3/')) return sendOrMissing(res, openApiDocument(path.slice('/openapi/v3/'.length)));
  if (path === '/openapi/v2') return missing(res);
  void url;
  return false;
}

function send(res: ServerResponse, body: unknown, contentType = 'application/json'): true {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

function sendOrMissing(res: ServerResponse, body: unknown): true {
  return body === undefined ? missing(res) : send(res, body);
}

function missing(res: ServerResponse): true {
  const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}
