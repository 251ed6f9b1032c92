import http from 'node:http';
import { closeServer, httpServer, listenOnPod, untilTerminated } from '../net/http-server.js';
import { resolveHost } from '../net/resolve.js';
import type { ImageDefinition, Program, ProcessContext } from '../process.js';
import { accessLogLine, errorLogLine } from './nginx/server.js';

/** The image's /etc/nginx/conf.d/frontend.conf: everything goes to the `hello` Service. */
const FRONTEND_CONF = `upstream hello {
    server hello;
}

server {
    listen 80;

    location / {
        proxy_pass http://hello;
    }
}
`;

/**
 * nginx as the tutorial's frontend: resolves the `hello` upstream once at start (as nginx does:
 * no Service yet means `host not found in upstream` and exit 1, so the pod restarts until the
 * backend exists), then proxies every request to it on port 80, logging each like nginx.
 */
const frontendServer: Program = async (ctx) => {
  const upstream = await resolveHost(ctx, 'hello');
  if (!upstream) {
    await ctx.stderr.write('nginx: [emerg] host not found in upstream "hello" in /etc/nginx/conf.d/frontend.conf:2\n');
    return 1;
  }
  const server = httpServer((req, res) => proxy(ctx, upstream, req, res));
  const err = await listenOnPod(server, ctx, 80);
  if (err) {
    await ctx.stderr.write(errorLogLine('emerg', `bind() to 0.0.0.0:80 failed (98: Address already in use)`));
    return 1;
  }
  await untilTerminated(ctx);
  await closeServer(server);
  return 0;
};

function proxy(ctx: ProcessContext, upstream: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = { ...req.headers, host: 'hello', connection: 'close' };
  const out = http.request({ host: upstream, port: 80, method: req.method, path: req.url, headers, agent: false }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    let bytes = 0;
    up.on('data', (c: Buffer) => (bytes += c.length));
    up.pipe(res);
    up.on('end', () => void ctx.stdout.write(accessLogLine(req, up.statusCode ?? 502, bytes)));
  });
  out.on('error', (e) => {
    void ctx.stderr.write(errorLogLine('error', `*1 connect() failed (${e.message}) while connecting to upstream, upstream: "http://${upstream}:80${req.url}"`, 29));
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    else res.destroy();
    void ctx.stdout.write(accessLogLine(req, 502, 0));
  });
  req.pipe(out);
}

/** `nginx -s quit` (the tutorial's preStop) and `nginx -g 'daemon off;'`. */
const nginxCommand: Program = async (ctx) => {
  if (ctx.argv.includes('-s')) return 0;
  return frontendServer(ctx);
};

/** gcr.io/google-samples/hello-frontend:1.0: nginx proxying to the `hello` Service. */
export const helloFrontend: ImageDefinition = {
  name: 'hello-frontend',
  description: 'tutorial frontend: nginx on port 80 proxying everything to http://hello',
  repositories: ['gcr.io/google-samples/hello-frontend'],
  tagExists: (tag) => tag === '1.0',
  entrypoint: ['nginx', '-g', 'daemon off;'],
  cmd: [],
  env: {},
  files: () => ({ '/etc/nginx/conf.d/frontend.conf': FRONTEND_CONF }),
  programs: { nginx: nginxCommand },
};
