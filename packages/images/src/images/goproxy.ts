import { request } from 'node:http';
import { resolveHost } from '../net/resolve.js';
import { closeServer, httpServer, listenOnPod, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';

/** goproxy: an HTTP forward proxy on :8080 (the docs' TCP-probe example). */
const goproxyProgram: Program = async (ctx) => {
  const server = httpServer(async (req, res) => {
    if (!/^https?:\/\//.test(req.url ?? '')) {
      res.writeHead(500).end('This is a proxy server. Does not respond to non-proxy requests.\n');
      return;
    }
    const target = new URL(req.url ?? '');
    const ip = await resolveHost(ctx, target.hostname);
    if (!ip) return void res.writeHead(502).end();
    const upstream = request({ host: ip, port: Number(target.port || 80), method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const err = await listenOnPod(server, ctx, 8080);
  if (err) return 1;
  await untilTerminated(ctx);
  await closeServer(server);
  return 143;
};

/** registry.k8s.io/goproxy. */
export const goproxy: ImageDefinition = {
  name: 'goproxy',
  description: 'registry.k8s.io/goproxy: an HTTP proxy on :8080 (the docs\' TCP liveness/readiness example)',
  repositories: ['registry.k8s.io/goproxy', 'k8s.gcr.io/goproxy'],
  entrypoint: ['/goproxy'],
  cmd: [],
  env: {},
  programs: { goproxy: goproxyProgram },
};
