import type { IncomingMessage } from 'node:http';
import { clientAddress, closeServer, httpServer, listenOnPod, readBody, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program, ProcessContext } from '../process.js';
import { accessLogLine } from './nginx/server.js';

interface Echo {
  req: IncomingMessage;
  body: string;
}

function sortedHeaders(req: IncomingMessage): [string, string][] {
  return Object.entries(req.headers)
    .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')] as [string, string])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function requestUri(req: IncomingMessage): string {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return `http://${host}:8080${req.url ?? '/'}`;
}

function query(req: IncomingMessage): string {
  const url = req.url ?? '/';
  return url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
}

/** echoserver 1.4 and older (nginx 1.10 + lua). */
export function classicEcho({ req, body }: Echo): string {
  const q = query(req);
  return [
    'CLIENT VALUES:',
    `client_address=${clientAddress(req)}`,
    `command=${req.method}`,
    `real path=${(req.url ?? '/').split('?')[0]}`,
    `query=${q === '' ? 'nil' : q}`,
    `request_version=${req.httpVersion}`,
    `request_uri=${requestUri(req)}`,
    '',
    'SERVER VALUES:',
    'server_version=nginx: 1.10.0 - lua: 10001',
    '',
    'HEADERS RECEIVED:',
    ...sortedHeaders(req).map(([k, v]) => `${k}=${v}`),
    'BODY:',
    body === '' ? '-no body in request-' : body,
  ].join('\n');
}

/** echoserver 1.10 and later (nginx 1.13 + lua), with pod information from the downward-API variables. */
export function modernEcho({ req, body }: Echo, ctx: ProcessContext): string {
  const env = ctx.env;
  const pod = env.POD_NAME || env.NODE_NAME || env.POD_NAMESPACE || env.POD_IP
    ? [`\tnode name:\t${env.NODE_NAME ?? ''}`, `\tpod name:\t${env.POD_NAME ?? ''}`, `\tpod namespace:\t${env.POD_NAMESPACE ?? ''}`, `\tpod IP:\t${env.POD_IP ?? ''}`]
    : ['\t-no pod information available-'];
  return [
    '',
    '',
    `Hostname: ${ctx.container.hostname}`,
    '',
    'Pod Information:',
    ...pod,
    '',
    'Server values:',
    '\tserver_version=nginx: 1.13.3 - lua: 10008',
    '',
    'Request Information:',
    `\tclient_address=${clientAddress(req)}`,
    `\tmethod=${req.method}`,
    `\treal path=${(req.url ?? '/').split('?')[0]}`,
    `\tquery=${query(req)}`,
    `\trequest_version=${req.httpVersion}`,
    '\trequest_scheme=http',
    `\trequest_uri=${requestUri(req)}`,
    '',
    'Request Headers:',
    ...sortedHeaders(req).map(([k, v]) => `\t${k}=${v}`),
    '',
    'Request Body:',
    body === '' ? '\t-no body in request-' : body,
    '',
  ].join('\n');
}

function isClassic(tag: string | undefined): boolean {
  const m = /^1\.(\d+)$/.exec(tag ?? '');
  return m !== null && Number(m[1]) < 10;
}

const echoserverProgram: Program = async (ctx) => {
  const classic = isClassic(ctx.container.ref.tag);
  const server = httpServer(async (req, res) => {
    const body = await readBody(req);
    const text = classic ? classicEcho({ req, body }) : modernEcho({ req, body }, ctx);
    res.writeHead(200, { Server: classic ? 'nginx/1.10.0' : 'echoserver', 'Content-Type': 'text/plain' }).end(text);
    await ctx.stdout.write(accessLogLine(req, 200, Buffer.byteLength(text)));
  });
  const err = await listenOnPod(server, ctx, 8080);
  if (err) {
    await ctx.stderr.write(`nginx: [emerg] bind() to ${ctx.container.podIP}:8080 failed (98: Address already in use)\n`);
    return 1;
  }
  await untilTerminated(ctx);
  await closeServer(server);
  return 0;
};

/** registry.k8s.io/echoserver (1.4's and 1.10's output formats). */
export const echoserver: ImageDefinition = {
  name: 'echoserver',
  description: 'echoserver: HTTP :8080 echoing client, request and headers (1.4 layout for tags before 1.10, newer layout after)',
  repositories: ['registry.k8s.io/echoserver', 'k8s.gcr.io/echoserver', 'gcr.io/google_containers/echoserver', 'gcr.io/google-containers/echoserver'],
  entrypoint: [],
  cmd: ['/usr/local/bin/run.sh'],
  env: {},
  programs: { 'run.sh': echoserverProgram },
};
