import { performance } from 'node:perf_hooks';
import { goLogLine } from '../log-format.js';
import { clientAddress, closeServer, httpServer, listenOnPod, portOf, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';
import { parseGoFlags } from './agnhost/flags.js';

/** `http-echo -text=TEXT [-listen=:5678]`: answers every request with TEXT and a newline; /health is JSON. */
const httpEchoProgram: Program = async (ctx) => {
  const { flags } = parseGoFlags(ctx.argv.slice(1));
  if (flags.version === 'true') {
    await ctx.stdout.write('http-echo v1.0.0\n');
    return 0;
  }
  const text = flags.text ?? ctx.env.ECHO_TEXT;
  if (text === undefined || text === 'true') {
    await ctx.stderr.write('Missing -text option!\n');
    return 127;
  }
  const listen = flags.listen ?? `:${ctx.env.PORT ?? '5678'}`;
  const port = portOf(listen) ?? 5678;
  const server = httpServer((req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    const body = path === '/health' ? '{"status":"ok"}\n' : `${text}\n`;
    res.writeHead(200, { 'Content-Type': path === '/health' ? 'application/json' : 'text/plain; charset=utf-8', 'X-App-Name': 'http-echo', 'X-App-Version': '1.0.0' }).end(body);
    const micros = (performance.now() - started) * 1000;
    void ctx.stdout.write(goLogLine(`${req.headers.host ?? ''} ${clientAddress(req)}:${req.socket.remotePort} "${req.method} ${req.url} HTTP/${req.httpVersion}" 200 ${Buffer.byteLength(body)} "${req.headers['user-agent'] ?? ''}" ${micros.toFixed(3)}µs`));
  });
  const err = await listenOnPod(server, ctx, port);
  if (err) {
    await ctx.stderr.write(goLogLine(`[ERR] Error starting server: listen tcp ${listen}: bind: ${err === 'EADDRINUSE' ? 'address already in use' : err}`));
    return 1;
  }
  await ctx.stderr.write(goLogLine(`[INFO] server is listening on ${listen}`));
  await untilTerminated(ctx);
  await ctx.stderr.write(goLogLine('[INFO] received interrupt, shutting down...'));
  await closeServer(server);
  return 0;
};

/** hashicorp/http-echo. */
export const httpEcho: ImageDefinition = {
  name: 'http-echo',
  description: 'hashicorp/http-echo: `-text=...` `-listen=:5678` (default :5678); answers every request with the text',
  repositories: ['docker.io/hashicorp/http-echo'],
  entrypoint: ['/http-echo'],
  cmd: [],
  env: {},
  programs: { 'http-echo': httpEchoProgram },
};
