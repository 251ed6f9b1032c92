/**
 * Non-resource paths: /version, /healthz, /livez, /readyz, discovery and OpenAPI. Also holds
 * resource requests back with 503 until the apiserver is ready, since an unsynced cache would
 * answer wrongly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceUnavailableError } from '@kubesim/api';
import { serveDiscovery } from './discovery-routes.js';

/** The version we report. Minor 31 makes the stock kubectl dispatcher run kubectl 1.31, which sends JSON only. */
export const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.9-kubesim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: 'go1.22.12',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

/** Serves the path if it is not a resource path; returns false otherwise. */
export async function serveMeta(
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  settings: { ready: () => boolean },
): Promise<boolean> {
  const p = url.pathname.replace(/\/+$/, '') || '/';
  if (p === '/version') return json(res, 200, VERSION_INFO);
  if (p === '/healthz' || p === '/livez') return text(res, 200, 'ok');
  if (p === '/readyz') return settings.ready() ? text(res, 200, 'ok') : text(res, 503, '[-]informer-sync failed: not ready\nreadyz check failed');
  if (req.method === 'GET' && serveDiscovery(p, url, req, res)) return true;
  if (!settings.ready()) throw new ServiceUnavailableError('the apiserver is starting: its cache is not synced yet');
  return false;
}

function json(res: ServerResponse, code: number, body: unknown): true {
  const t = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(t) });
  res.end(t);
  return true;
}

function text(res: ServerResponse, code: number, body: string): true {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

export { json };
