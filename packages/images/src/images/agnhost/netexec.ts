import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { goLogLine } from '../../log-format.js';
import { BufferWriter, InputStream } from '../../io/streams.js';
import { resolveHost } from '../../net/resolve.js';
import { closeServer, httpServer, listenOnPod, untilTerminated } from '../../net/http-server.js';
import type { Program, ProcessContext } from '../../process.js';
import { parseGoFlags } from './flags.js';

/** Runs `/bin/sh -c cmd` in the container with stdout and stderr combined (Go's CombinedOutput). */
async function runShell(ctx: ProcessContext, cmd: string): Promise<{ output: string; status: number }> {
  const sh = ctx.container.lookup('sh');
  if (!sh) return { output: '', status: 127 };
  const out = new BufferWriter();
  const status = await sh({
    ...ctx, argv: ['/bin/sh', '-c', cmd], stdin: InputStream.empty(), stdout: out, stderr: out, sigterm: new AbortController().signal, pid1: false,
  });
  return { output: out.text(), status };
}

/** GET http://host:port/request, as /dial does (5 s timeout). */
function dialHttp(ctx: ProcessContext, ip: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port, path: `/${path.replace(/^\//, '')}`, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('timeout', () => req.destroy(new Error(`Get "http://${ip}:${port}/${path}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(`Get "http://${ip}:${port}/${path}": dial tcp ${ip}:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`)));
    req.end();
  });
}

/** The HTTP endpoints of `agnhost netexec`. */
class Netexec {
  exit?: (code: number) => void;
  constructor(private readonly ctx: ProcessContext) {}

  private log(m: string): void {
    void this.ctx.stderr.write(goLogLine(m));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (k: string) => url.searchParams.get(k) ?? '';
    const text = (status: number, body: string) => res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
    switch (url.pathname) {
      case '/':
        this.log('GET /');
        return void text(200, `NOW: ${new Date().toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC`);
      case '/clientip':
        this.log('GET /clientip');
        return void text(200, `${(req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')}:${req.socket.remotePort}`);
      case '/echo': {
        this.log(`GET /echo?msg=${q('msg')}&code=${q('code')}`);
        const code = q('code') === '' ? 200 : Number(q('code'));
        return void text(Number.isInteger(code) ? code : 200, q('msg'));
      }
      case '/hostname':
      case '/hostName':
        this.log(`GET ${url.pathname}`);
        return void text(200, this.ctx.container.hostname);
      case '/healthz':
        this.log('GET /healthz');
        return void res.writeHead(200).end();
      case '/header':
        return void text(200, String(req.headers[q('key').toLowerCase()] ?? ''));
      case '/redirect':
        return void res.writeHead(Number(q('code')) || 302, { Location: q('location') || '/' }).end();
      case '/shell':
        return this.shell(res, q('shellCommand') || q('cmd'));
      case '/dial':
        return this.dial(res, url.searchParams);
      case '/exit':
      case '/shutdown': {
        const code = url.pathname === '/exit' ? Number(q('code') || 0) : 0;
        this.log(`GET ${url.pathname}?code=${code}`);
        res.end();
        return void this.exit?.(code);
      }
      default:
        return void text(404, '404 page not found\n');
    }
  }

  private async shell(res: ServerResponse, cmd: string): Promise<void> {
    this.log(`GET /shell?cmd=${cmd}`);
    const { output, status } = await runShell(this.ctx, cmd);
    const body: Record<string, string> = {};
    if (output) body.output = output;
    if (status !== 0) body.error = `exit status ${status}`;
    this.log(`Output: map[${Object.entries(body).map(([k, v]) => `${k}:${v}`).join(' ')}]`);
    res.writeHead(status === 0 ? 200 : 417, { 'Content-Type': 'text/plain; charset=utf-8' }).end(JSON.stringify(body));
  }

  private async dial(res: ServerResponse, p: URLSearchParams): Promise<void> {
    const host = p.get('host') ?? '';
    const port = Number(p.get('port'));
    const requestPath = p.get('request') ?? '';
    const tries = Number(p.get('tries') || 1);
    this.log(`GET /dial?host=${host}&protocol=${p.get('protocol') ?? ''}&port=${port}&request=${requestPath}&tries=${tries}`);
    if (!requestPath) return void res.writeHead(400).end('request parameter not specified. <nil>\n');
    const ip = await resolveHost(this.ctx, host);
    if (!ip || !Number.isInteger(port)) return void res.writeHead(400).end(`host and/or port param are invalid. lookup ${host}: no such host\n`);
    const responses: string[] = [];
    const errors: string[] = [];
    for (let i = 0; i < tries; i++) {
      try {
        responses.push(await dialHttp(this.ctx, ip, port, requestPath));
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    const out: Record<string, string[]> = {};
    if (responses.length > 0) out.responses = responses;
    if (errors.length > 0) out.errors = errors;
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(JSON.stringify(out));
  }
}

/** The UDP side: "hostname", "echo <msg>", "clientip". */
function startUdp(ctx: ProcessContext, port: number): Promise<UdpSocket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.on('message', (msg, from) => {
      const text = msg.toString('utf8').trim();
      const reply = text === 'hostname' ? ctx.container.hostname : text.startsWith('echo ') ? text.slice(5) : text === 'clientip' ? `${from.address}:${from.port}` : '';
      socket.send(reply, from.port, from.address);
    });
    socket.once('error', () => resolve(undefined));
    socket.bind(port, ctx.container.podIP, () => resolve(socket));
  });
}

/** `agnhost netexec [--http-port=8080] [--udp-port=8081]`. */
export const netexec: Program = async (ctx) => {
  const { flags } = parseGoFlags(ctx.argv.slice(1));
  const httpPort = Number(flags['http-port'] ?? 8080);
  const udpPort = Number(flags['udp-port'] ?? 8081);
  const app = new Netexec(ctx);
  const server = httpServer((req, res) => app.handle(req, res));
  const exited = new Promise<number>((resolve) => (app.exit = resolve));
  const udp = udpPort > 0 ? await startUdp(ctx, udpPort) : undefined;
  if (udp) await ctx.stderr.write(goLogLine(`Started UDP server on port ${ctx.container.podIP}:${udpPort}`));
  const err = await listenOnPod(server, ctx, httpPort);
  if (err) {
    await ctx.stderr.write(goLogLine(`listen tcp :${httpPort}: bind: ${err === 'EADDRINUSE' ? 'address already in use' : err}`));
    udp?.close();
    return 1;
  }
  await ctx.stderr.write(goLogLine(`Started HTTP server on port ${httpPort}`));
  const code = await Promise.race([exited, untilTerminated(ctx).then(() => 143)]);
  udp?.close();
  await closeServer(server);
  return code;
};
