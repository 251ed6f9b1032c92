/**
 * `kubectl port-forward` with the stock kubectl (1.31, picked by our /version) against a real
 * apiserver process, forwarding real TCP to a pod-like HTTP server listening on the pod's IP.
 * Both protocol paths: the WebSocket tunnel kubectl tries first, and the SPDY/3.1 upgrade it
 * falls back to (forced with KUBECTL_PORT_FORWARD_WEBSOCKETS=false).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane, eventually, freePort, writeKubeconfig } from '@kubesim/testing';
import { res } from './fixtures.js';

const KUBECTL = '/usr/bin/kubectl';
const POD_IP = '127.64.251.9';
const BIG = 6 * 1024 * 1024;

let cp: TestControlPlane;
let dir: string;
let pod: http.Server;
let podPort: number;
const children: ChildProcess[] = [];

/** Deterministic bytes, so a corrupted or reordered transfer cannot match by accident. */
function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 10)) & 0xff;
  return b;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The pod: /hello, /big (BIG bytes down) and POST /sum (hash of what was uploaded). */
function startPod(): Promise<void> {
  pod = http.createServer((req, resp) => {
    if (req.url === '/hello') return void resp.end(`hello from ${POD_IP}`);
    if (req.url === '/big') return void resp.end(pattern(BIG));
    if (req.url === '/sum' && req.method === 'POST') {
      const hash = createHash('sha256');
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
        hash.update(c);
      });
      req.on('end', () => resp.end(JSON.stringify({ bytes: n, sha256: hash.digest('hex') })));
      return;
    }
    resp.statusCode = 404;
    resp.end();
  });
  return new Promise((resolve) => pod.listen(0, POD_IP, () => resolve()));
}

beforeAll(async () => {
  cp = await new TestControlPlane().start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-pf-'));
  writeKubeconfig(path.join(dir, 'kubeconfig'), cp.apiserver.url);
  await startPod();
  podPort = (pod.address() as net.AddressInfo).port;
  const pods = cp.httpClient.resource(res('pods'));
  const labels = { app: 'pf' };
  const spec = { containers: [{ name: 'app', image: 'kubesim/echo:v1', ports: [{ containerPort: podPort }] }] };
  const created: any = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels }, spec } as any);
  await pods.updateStatus({ ...created, status: { phase: 'Running', podIP: POD_IP, podIPs: [{ ip: POD_IP }] } });
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec } as any);
  await cp.httpClient.resource(res('services')).create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: labels, ports: [{ port: 80, targetPort: podPort }] },
  } as any);
  await cp.httpClient.resource(res('deployments')).create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  } as any);
}, 60_000);

afterAll(async () => {
  for (const c of children) stopChild(c, 'SIGKILL');
  pod?.closeAllConnections();
  pod?.close();
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Forward {
  port: number;
  proc: ChildProcess;
  output: () => string;
  stop: () => void;
}

/** Runs `kubectl port-forward TARGET LOCAL:REMOTE` and waits until it listens. */
async function portForward(target: string, remote: number, env: Record<string, string> = {}): Promise<Forward> {
  const local = await freePort();
  const proc = spawn(
    KUBECTL,
    ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), '-v=6', 'port-forward', '--address', '127.0.0.1', target, `${local}:${remote}`],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await eventually(`kubectl port-forward ${target} to listen`, () => proc.exitCode === null && out.includes(`Forwarding from 127.0.0.1:${local} -> `), {
    timeoutMs: 20_000,
    context: () => out,
  });
  return { port: local, proc, output: () => out, stop: () => stopChild(proc, 'SIGTERM') };
}

/** Signals a kubectl this suite started, by pid, unless it is already gone. */
function stopChild(c: ChildProcess, signal: NodeJS.Signals): void {
  if (!c.pid || c.exitCode !== null || c.signalCode !== null) return;
  try {
    process.kill(c.pid, signal);
  } catch {
    // exited between the check and the signal
  }
}

/** One HTTP request through the forward, on a fresh connection. */
function request(port: number, method: string, urlPath: string, body?: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent: false }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks) }));
      r.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.end(body);
  });
}

describe.each([
  { mode: 'WebSocket tunnel', env: {}, method: 'GET' },
  { mode: 'SPDY/3.1 upgrade', env: { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }, method: 'POST' },
])('kubectl port-forward pod/NAME over the $mode', ({ env, method }) => {
  let fwd: Forward;
  beforeAll(async () => {
    fwd = await portForward('pod/web', podPort, env);
  }, 30_000);
  afterAll(() => fwd?.stop());

  it('upgrades with the expected request', () => {
    expect(fwd.output()).toMatch(new RegExp(`${method} http://[^ ]+/api/v1/namespaces/default/pods/web/portforward 101`));
  });

  it('carries a request and its response to the pod and back', async () => {
    const r = await request(fwd.port, 'GET', '/hello');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(`hello from ${POD_IP}`);
  });

  it('uploads several MiB intact (flow control and back-pressure on the way in)', async () => {
    const body = pattern(BIG);
    const r = await request(fwd.port, 'POST', '/sum', body);
    expect(JSON.parse(r.body.toString())).toEqual({ bytes: BIG, sha256: sha(body) });
  }, 60_000);

  it('downloads several MiB intact (flow control and back-pressure on the way out)', async () => {
    const r = await request(fwd.port, 'GET', '/big');
    expect(r.body.length).toBe(BIG);
    expect(sha(r.body)).toBe(sha(pattern(BIG)));
  }, 60_000);

  it('serves concurrent connections, each on its own stream pair', async () => {
    const rs = await Promise.all(Array.from({ length: 8 }, () => request(fwd.port, 'GET', '/hello')));
    for (const r of rs) expect(r.body.toString()).toBe(`hello from ${POD_IP}`);
  }, 30_000);
});

describe('kubectl port-forward resolving a pod itself', () => {
  it('svc/NAME forwards to the service targetPort of a selected pod', async () => {
    const fwd = await portForward('svc/web', 80);
    try {
      expect(fwd.output()).toContain(`Forwarding from 127.0.0.1:${fwd.port} -> ${podPort}`);
      expect((await request(fwd.port, 'GET', '/hello')).body.toString()).toBe(`hello from ${POD_IP}`);
    } finally {
      fwd.stop();
    }
  }, 30_000);

  it('deploy/NAME forwards to a pod of the deployment', async () => {
    const fwd = await portForward('deploy/web', podPort);
    try {
      expect((await request(fwd.port, 'GET', '/hello')).body.toString()).toBe(`hello from ${POD_IP}`);
    } finally {
      fwd.stop();
    }
  }, 30_000);

  it('a port nothing listens on: the dial error comes back on the error stream', async () => {
    const closed = await freePort(POD_IP);
    const fwd = await portForward('pod/web', closed);
    try {
      await request(fwd.port, 'GET', '/hello').catch(() => undefined);
      const refused = /error forwarding port \d+ to pod default\/web, uid [^:]+: connect ECONNREFUSED/;
      await eventually('the dial error in kubectl output', () => refused.test(fwd.output()), { timeoutMs: 10_000, context: fwd.output });
    } finally {
      fwd.stop();
    }
  }, 30_000);
});

/** Sends a raw upgrade request and returns the status line and body. */
function rawUpgrade(url: string, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; body: any }> {
  const u = new URL(url, cp.apiserver.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: u.pathname, headers: { Connection: 'Upgrade', ...headers }, agent: false });
    req.on('response', (r) => {
      let text = '';
      r.on('data', (d) => (text += d));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('upgrade', (r, socket) => {
      socket.destroy();
      resolve({ status: r.statusCode ?? 0, body: undefined });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('pods/portforward refusals are Kubernetes Statuses', () => {
  const spdy = { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' };

  it('404 NotFound for a missing pod', async () => {
    const r = await rawUpgrade('/api/v1/namespaces/default/pods/nope/portforward', spdy);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound' });
  });

  it('400 BadRequest for a pod that is not Running', async () => {
    const r = await rawUpgrade('/api/v1/namespaces/default/pods/pending/portforward', spdy);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ reason: 'BadRequest', message: expect.stringContaining('not running') });
  });

  it('403 when no stream protocol is in common, 400 for a WebSocket without the tunnel protocol', async () => {
    const r = await rawUpgrade('/api/v1/namespaces/default/pods/web/portforward', { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ reason: 'Forbidden' });
    const ws = await rawUpgrade(
      '/api/v1/namespaces/default/pods/web/portforward',
      { Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
      'GET',
    );
    expect(ws.status).toBe(400);
    expect(ws.body.message).toContain('no tunneling spdy protocols');
  });

  it('400 Upgrade request required without an upgrade', async () => {
    const r = await fetch(`${cp.apiserver.url}/api/v1/namespaces/default/pods/web/portforward`, { method: 'POST' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ reason: 'BadRequest', message: 'Upgrade request required' });
  });

  it('other requests that ask for an upgrade are served as plain requests', async () => {
    const r = await rawUpgrade('/api/v1/namespaces/default/pods/web', { Upgrade: 'h2c' }, 'GET');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'Pod', metadata: { name: 'web' } });
  });

  it('garbage after the upgrade closes that session and nothing else', async () => {
    const u = new URL(cp.apiserver.url);
    const sock = net.connect(Number(u.port), u.hostname);
    await new Promise((r) => sock.once('connect', r));
    sock.write(
      'POST /api/v1/namespaces/default/pods/web/portforward HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n',
    );
    // A SYN_STREAM whose header block is not zlib: a session error, answered with GOAWAY.
    const bogus = Buffer.from('80030001000000140000000100000000000000000000ffffffffffffffffffff', 'hex');
    sock.write(bogus);
    sock.write(Buffer.alloc(64, 0xff));
    const got = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      sock.on('data', (c) => chunks.push(c));
      sock.on('close', () => resolve(Buffer.concat(chunks)));
      setTimeout(() => sock.destroy(), 8_000).unref();
    });
    expect(got.toString('latin1')).toContain('101 Switching Protocols');
    expect((await fetch(`${cp.apiserver.url}/readyz`)).status).toBe(200);
    // And a fresh forward still works.
    const fwd = await portForward('pod/web', podPort);
    try {
      expect((await request(fwd.port, 'GET', '/hello')).body.toString()).toBe(`hello from ${POD_IP}`);
    } finally {
      fwd.stop();
    }
  }, 30_000);
});
