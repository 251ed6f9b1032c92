import { request, type IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { fsErrorMessage } from '../fs/errors.js';
import { baseName } from '../fs/paths.js';
import { concatBytes } from '../io/streams.js';
import { resolveHost } from '../net/resolve.js';
import type { Program, ProcessContext } from '../process.js';
import { abortWaiter } from '../timing.js';
import { fail, parseArgs, usageError } from './util.js';

const SYSCALL_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

interface HttpResult {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Uint8Array;
}

class WgetError extends Error {}

/** One HTTP/1.1 request over real TCP; rejects with WgetError carrying busybox's wording. */
async function httpGet(ctx: ProcessContext, url: URL, opts: { timeoutMs: number; method: string; headers: Record<string, string>; body?: string }): Promise<HttpResult> {
  const ip = await resolveHost(ctx, url.hostname.replace(/^\[|\]$/g, ''));
  if (!ip) throw new WgetError(`bad address '${url.hostname}'`);
  const port = Number(url.port || 80);
  return new Promise<HttpResult>((resolve, reject) => {
    const lifetime = abortWaiter(ctx.container.lifetime);
    const req = request({ host: ip, port, method: opts.method, path: `${url.pathname}${url.search}`, headers: { Host: url.host, 'User-Agent': 'Wget', Connection: 'close', ...opts.headers }, agent: false });
    const timer = setTimeout(() => req.destroy(new WgetError('download timed out')), opts.timeoutMs);
    lifetime.promise.then(() => req.destroy(new WgetError('download timed out')));
    const done = () => {
      clearTimeout(timer);
      lifetime.dispose();
    };
    req.on('error', (err: NodeJS.ErrnoException) => {
      done();
      reject(err instanceof WgetError ? err : new WgetError(`can't connect to remote host (${ip}): ${SYSCALL_MESSAGES[err.code ?? ''] ?? err.message}`));
    });
    req.on('response', (res) => {
      const chunks: Uint8Array[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => undefined);
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', httpVersion: res.httpVersion, headers: res.headers, rawHeaders: res.rawHeaders, body: concatBytes(chunks) });
      });
    });
    req.end(opts.body);
  });
}

function progressLine(name: string, size: number): string {
  return `${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(31)}| ${formatSize(size).padStart(5)}  0:00:00 ETA\n`;
}

function formatSize(n: number): string {
  return n < 100_000 ? String(n) : n < 100_000_000 ? `${Math.round(n / 1024)}k` : `${Math.round(n / 1048576)}M`;
}

/** `wget [-q] [-O FILE|-] [-T SEC] [-S] [--spider] [--header H] [--post-data D] URL`: busybox's wget over real HTTP. */
export const wget: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'qO:T:SU:sc', {
    '--quiet': 'q', '--output-document': 'O', '--timeout': 'T', '--server-response': 'S', '--user-agent': 'U', '--spider': 's', '--header': 'H', '--post-data': 'P',
  });
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const { flags } = parsed;
  const target = parsed.args[0];
  if (!target) return usageError(ctx, 'missing URL');
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(target) ? target : `http://${target}`);
  } catch {
    return usageError(ctx, `bad address '${target}'`);
  }
  if (url.protocol !== 'http:') return usageError(ctx, `not an http or ftp url: ${target}`);
  const quiet = !!flags.q;
  const headers: Record<string, string> = {};
  if (typeof flags.H === 'string') headers[flags.H.split(':')[0].trim()] = flags.H.slice(flags.H.indexOf(':') + 1).trim();
  if (typeof flags.U === 'string') headers['User-Agent'] = flags.U;
  const timeoutMs = (Number(flags.T) || 900) * 1000;
  try {
    const res = await fetchFollowing(ctx, url, { quiet, timeoutMs, headers, spider: !!flags.s, post: typeof flags.P === 'string' ? flags.P : undefined, showHeaders: !!flags.S });
    if (flags.s) return 0;
    return await save(ctx, res.body, res.url, typeof flags.O === 'string' ? flags.O : undefined, quiet);
  } catch (err) {
    if (!(err instanceof WgetError)) throw err;
    await fail(ctx, err.message);
    return 1;
  }
};

async function fetchFollowing(
  ctx: ProcessContext,
  start: URL,
  o: { quiet: boolean; timeoutMs: number; headers: Record<string, string>; spider: boolean; post?: string; showHeaders: boolean },
): Promise<HttpResult & { url: URL }> {
  let url = start;
  for (let hop = 0; hop < 20; hop++) {
    if (!o.quiet) await ctx.stderr.write(`Connecting to ${url.host} (${(await resolveHost(ctx, url.hostname)) ?? url.hostname}:${url.port || 80})\n`);
    const method = o.spider ? 'HEAD' : o.post !== undefined ? 'POST' : 'GET';
    const headers = o.post !== undefined ? { ...o.headers, 'Content-Type': 'application/x-www-form-urlencoded' } : o.headers;
    const res = await httpGet(ctx, url, { timeoutMs: o.timeoutMs, method, headers, body: o.post });
    if (o.showHeaders) {
      await ctx.stderr.write(`  HTTP/${res.httpVersion} ${res.status} ${res.statusText}\n`);
      for (let i = 0; i < res.rawHeaders.length; i += 2) await ctx.stderr.write(`  ${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\n`);
    }
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    if (res.status >= 400) throw new WgetError(`server returned error: HTTP/${res.httpVersion} ${res.status} ${res.statusText}`);
    if (o.spider && !o.quiet) await ctx.stderr.write('remote file exists\n');
    return { ...res, url };
  }
  throw new WgetError('too many redirections');
}

async function save(ctx: ProcessContext, body: Uint8Array, url: URL, output: string | undefined, quiet: boolean): Promise<number> {
  if (output === '-') {
    if (!quiet) await ctx.stderr.write(`writing to stdout\n${progressLine('-', body.length)}`);
    await ctx.stdout.write(body);
    if (!quiet) await ctx.stderr.write('written to stdout\n');
    return 0;
  }
  const file = output ?? (baseName(url.pathname) || 'index.html');
  try {
    if (!quiet) await ctx.stderr.write(`saving to '${file}'\n`);
    await ctx.container.fs.writeFile(file, ctx.cwd, body);
    if (!quiet) await ctx.stderr.write(`${progressLine(file, body.length)}'${file}' saved\n`);
    return 0;
  } catch (err) {
    await fail(ctx, `can't open '${file}': ${fsErrorMessage(err)}`);
    return 1;
  }
}

/** `nslookup NAME`: answers from the names a pod can resolve (see resolveHost), in busybox 1.28's layout. */
export const nslookup: Program = async (ctx) => {
  const name = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
  if (!name) return usageError(ctx, 'usage: nslookup HOST [DNS_SERVER]');
  const resolv = await ctx.container.fs.readFile('/etc/resolv.conf').then((b) => b.toString('utf8'), () => '');
  const server = /^nameserver\s+(\S+)/m.exec(resolv)?.[1] ?? '10.96.0.10';
  await ctx.stdout.write(`Server:    ${server}\nAddress 1: ${server}\n\n`);
  const ip = await resolveHost(ctx, name);
  if (!ip) {
    await ctx.stderr.write(`nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  await ctx.stdout.write(`Name:      ${name}\nAddress 1: ${ip}\n`);
  return 0;
};

/** `nc [-z] [-v] [-w SEC] HOST PORT`: a TCP client; stdin goes to the socket, the socket to stdout. */
export const nc: Program = async (ctx) => {
  const parsed = parseArgs(ctx.argv.slice(1), 'zvw:nN');
  if (typeof parsed === 'string') return usageError(ctx, parsed);
  const [host, portArg] = parsed.args;
  const port = Number(portArg);
  if (!host || !Number.isInteger(port)) return usageError(ctx, 'usage: nc [-zv] [-w SEC] HOST PORT');
  const ip = await resolveHost(ctx, host);
  if (!ip) {
    await fail(ctx, `bad address '${host}'`);
    return 1;
  }
  const timeoutMs = (Number(parsed.flags.w) || 60) * 1000;
  const socket = new Socket();
  const connected = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve('Connection timed out'), timeoutMs);
    socket.once('connect', () => (clearTimeout(timer), resolve(undefined)));
    socket.once('error', (err: NodeJS.ErrnoException) => (clearTimeout(timer), resolve(SYSCALL_MESSAGES[err.code ?? ''] ?? err.message)));
    socket.connect(port, ip);
  });
  if (connected !== undefined) {
    socket.destroy();
    if (parsed.flags.v || !parsed.flags.z) await fail(ctx, `${host} (${ip}:${port}): ${connected}`);
    return 1;
  }
  if (parsed.flags.v) await ctx.stderr.write(`${host} (${ip}:${port}) open\n`);
  if (parsed.flags.z) {
    socket.destroy();
    return 0;
  }
  return pump(ctx, socket);
}

async function pump(ctx: ProcessContext, socket: Socket): Promise<number> {
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => void Promise.resolve(ctx.stdout.write(chunk)).catch(() => socket.destroy()));
  const lifetime = abortWaiter(ctx.container.lifetime);
  lifetime.promise.then(() => socket.destroy());
  void (async () => {
    for (let c = await ctx.stdin.read(); c !== null; c = await ctx.stdin.read()) socket.write(c);
    socket.end();
  })();
  await closed;
  lifetime.dispose();
  return 0;
}
