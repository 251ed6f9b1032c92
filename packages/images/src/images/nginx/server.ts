import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCode } from '../../fs/errors.js';
import { goLogTime, nginxTimeLocal } from '../../log-format.js';
import { clientAddress, closeServer, httpServer, listenOnPod, untilTerminated } from '../../net/http-server.js';
import type { ProcessContext } from '../../process.js';
import { builtinErrorPage, NGINX_STATUS_TEXT } from './pages.js';

/** What nginx takes from its configuration. */
export interface NginxSite {
  port: number;
  root: string;
  index: string[];
}

const MIME: Record<string, string> = {
  html: 'text/html', htm: 'text/html', shtml: 'text/html', css: 'text/css', xml: 'text/xml', gif: 'image/gif',
  jpeg: 'image/jpeg', jpg: 'image/jpeg', js: 'application/javascript', txt: 'text/plain', png: 'image/png',
  svg: 'image/svg+xml', svgz: 'image/svg+xml', ico: 'image/x-icon', json: 'application/json', pdf: 'application/pdf',
  webp: 'image/webp', woff: 'font/woff', woff2: 'font/woff2', mp4: 'video/mp4', wasm: 'application/wasm',
};

function mimeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MIME[ext] ?? 'application/octet-stream';
}

/** One line of the official image's `main` log format (combined plus X-Forwarded-For). */
export function accessLogLine(req: IncomingMessage, status: number, bytes: number, now = new Date()): string {
  const q = (v: string | string[] | undefined) => (v === undefined || v === '' ? '-' : String(v));
  return `${clientAddress(req)} - - [${nginxTimeLocal(now)}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${bytes} "${q(req.headers.referer)}" "${q(req.headers['user-agent'])}" "${q(req.headers['x-forwarded-for'])}"\n`;
}

/** An nginx error-log line: "2024/01/02 15:04:05 [notice] 1#1: message". */
export function errorLogLine(level: string, message: string, pid = 1): string {
  return `${goLogTime()} [${level}] ${pid}#${pid}: ${message}\n`;
}

class StaticSite {
  constructor(
    private readonly ctx: ProcessContext,
    private readonly site: NginxSite,
    private readonly version: string,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodePath(req.url ?? '/');
    if (path === undefined) return this.error(req, res, 400);
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.error(req, res, 405);
    const fs = this.ctx.container.fs;
    const file = `${this.site.root}${path}`;
    const st = await fs.stat(file, '/').catch((err: unknown) => errorCode(err) ?? 'EIO');
    if (typeof st === 'string') return this.notFound(req, res, file, st);
    if (st.isDirectory()) {
      if (!path.endsWith('/')) return this.redirect(req, res, `${path}/`);
      for (const name of this.site.index) {
        const candidate = await fs.stat(`${file}${name}`, '/').catch(() => undefined);
        if (candidate?.isFile()) return this.sendFile(req, res, `${file}${name}`, candidate.size, candidate.mtime);
      }
      await this.ctx.stderr.write(errorLogLine('error', `*1 directory index of "${file}" is forbidden, client: ${clientAddress(req)}, server: localhost, request: "${req.method} ${req.url} HTTP/${req.httpVersion}", host: "${req.headers.host ?? ''}"`, 29));
      return this.error(req, res, 403);
    }
    return this.sendFile(req, res, file, st.size, st.mtime);
  }

  private async sendFile(req: IncomingMessage, res: ServerResponse, file: string, size: number, mtime: Date): Promise<void> {
    const body = req.method === 'HEAD' ? undefined : await this.ctx.container.fs.readFile(file, '/');
    this.head(res, 200, mimeOf(file), body?.length ?? size);
    res.setHeader('Last-Modified', mtime.toUTCString());
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('ETag', `"${Math.floor(mtime.getTime() / 1000).toString(16)}-${size.toString(16)}"`);
    res.setHeader('Accept-Ranges', 'bytes');
    res.end(body);
    await this.log(req, 200, body?.length ?? 0);
  }

  private async notFound(req: IncomingMessage, res: ServerResponse, file: string, code: string): Promise<void> {
    const errno = code === 'ENOENT' ? '2: No such file or directory' : code === 'ENOTDIR' ? '20: Not a directory' : '13: Permission denied';
    await this.ctx.stderr.write(errorLogLine('error', `*1 open() "${file}" failed (${errno}), client: ${clientAddress(req)}, server: localhost, request: "${req.method} ${req.url} HTTP/${req.httpVersion}", host: "${req.headers.host ?? ''}"`, 29));
    return this.error(req, res, code === 'ENOENT' || code === 'ENOTDIR' ? 404 : 403);
  }

  private async redirect(req: IncomingMessage, res: ServerResponse, location: string): Promise<void> {
    const host = (req.headers.host ?? this.ctx.container.podIP).replace(/:\d+$/, '');
    const port = this.site.port === 80 ? '' : `:${this.site.port}`;
    res.setHeader('Location', `http://${host}${port}${location}`);
    return this.error(req, res, 301);
  }

  private async error(req: IncomingMessage, res: ServerResponse, status: number): Promise<void> {
    const body = builtinErrorPage(status, this.version);
    this.head(res, status, 'text/html', Buffer.byteLength(body), NGINX_STATUS_TEXT[status]);
    res.setHeader('Connection', 'keep-alive');
    res.end(req.method === 'HEAD' ? undefined : body);
    await this.log(req, status, req.method === 'HEAD' ? 0 : Buffer.byteLength(body));
  }

  private head(res: ServerResponse, status: number, type: string, length: number, text?: string): void {
    res.statusCode = status;
    if (text) res.statusMessage = text;
    res.sendDate = false;
    res.setHeader('Server', `nginx/${this.version}`);
    res.setHeader('Date', new Date().toUTCString());
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', length);
  }

  private async log(req: IncomingMessage, status: number, bytes: number): Promise<void> {
    await this.ctx.stdout.write(accessLogLine(req, status, bytes));
  }
}

/** Decodes a request path and resolves `.`/`..`; undefined when it would climb above the root (400). */
function decodePath(url: string): string | undefined {
  let raw = url.split('?')[0];
  try {
    raw = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!raw.startsWith('/')) return undefined;
  const out: string[] = [];
  const parts = raw.split('/');
  for (const [i, p] of parts.entries()) {
    if (p === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else if (p !== '.' && (p !== '' || i === parts.length - 1)) out.push(p);
  }
  return `/${out.join('/')}`;
}

/** Runs the nginx master and worker: serves the site until SIGTERM, logging like nginx does. */
export async function serveNginx(ctx: ProcessContext, site: NginxSite, version: string): Promise<number> {
  const handler = new StaticSite(ctx, site, version);
  const server = httpServer((req, res) => handler.handle(req, res));
  const err = await listenOnPod(server, ctx, site.port);
  if (err) {
    const errno = err === 'EADDRINUSE' ? '98: Address already in use' : err === 'EACCES' ? '13: Permission denied' : `99: ${err}`;
    await ctx.stderr.write(`nginx: [emerg] bind() to ${ctx.container.podIP}:${site.port} failed (${errno})\n`);
    return 1;
  }
  const notice = (m: string, pid = 1) => ctx.stderr.write(errorLogLine('notice', m, pid));
  await notice('using the "epoll" event method');
  await notice(`nginx/${version}`);
  await notice('built by gcc 12.2.0 (Debian 12.2.0-14) ');
  await notice('OS: Linux 6.1.0-kubesim');
  await notice('getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  await notice('start worker processes');
  await notice('start worker process 29');
  if ((await untilTerminated(ctx)) === 'sigterm') {
    await notice('signal 15 (SIGTERM) received, exiting');
    await notice('exiting', 29);
    await notice('exit', 29);
    await notice('signal 17 (SIGCHLD) received from 29');
    await notice('worker process 29 exited with code 0');
    await notice('exit');
  }
  await closeServer(server);
  return 0;
}
