/**
 * What a probe does: an HTTP GET (success is a status in 200-399), a TCP connect, or a command
 * run inside the container's image. Failures carry the kubelet's wording, which ends up in the
 * Unhealthy events.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { ContainerPort, DeepReadonly, IntOrString, Probe } from '@kubesim/api';
import type { ProbeOutcome } from './probes.js';

/** Where a probe goes and how to run a command in the container. */
export interface ProbeTarget {
  podIP: string;
  ports: readonly DeepReadonly<ContainerPort>[];
  /** Runs `command` in the container's image and rootfs; resolves with its exit code and output. */
  exec: (command: string[], timeoutMs: number) => Promise<{ exitCode: number; output: string }>;
}

/** Runs a probe once. Never rejects. */
export async function runProbeAction(probe: DeepReadonly<Probe>, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    if (probe.httpGet) {
      const g = probe.httpGet;
      const port = resolvePort(g.port, target.ports);
      if (port === undefined) return { ok: false, message: `unknown port ${String(g.port)}` };
      const headers = Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value]));
      return await httpProbe((g.scheme ?? 'HTTP').toUpperCase() === 'HTTPS', g.host || target.podIP, port, g.path || '/', headers, timeoutMs);
    }
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port, target.ports);
      if (port === undefined) return { ok: false, message: `unknown port ${String(probe.tcpSocket.port)}` };
      return await tcpProbe(probe.tcpSocket.host || target.podIP, port, timeoutMs);
    }
    if (probe.exec) {
      const cmd = [...(probe.exec.command ?? [])];
      const { exitCode, output } = await target.exec(cmd, timeoutMs);
      if (exitCode === 0) return { ok: true };
      return { ok: false, message: output.trim() || `command ${JSON.stringify(cmd.join(' '))} exited with ${exitCode}` };
    }
    if (probe.grpc) return await tcpProbe(target.podIP, probe.grpc.port, timeoutMs);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** A port number, or a named container port. */
export function resolvePort(port: IntOrString, ports: readonly DeepReadonly<ContainerPort>[]): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return ports.find((p) => p.name === port)?.containerPort;
}

function httpProbe(tls: boolean, host: string, port: number, path: string, headers: Record<string, string>, timeoutMs: number): Promise<ProbeOutcome> {
  return httpGet({ tls, host, port, path, headers, timeoutMs, userAgent: 'kube-probe/1.31' }).then((r) => {
    if ('error' in r) return { ok: false, message: r.error };
    return r.status >= 200 && r.status < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${r.status}` };
  });
}

/** One HTTP GET as the kubelet's prober and lifecycle hooks send it. */
export interface HttpGetRequest {
  tls: boolean;
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  /** `kube-probe/<version>` or `kube-lifecycle/<version>`. */
  userAgent: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends the GET and discards the body; resolves with the status, or the Go client's error text. Never rejects. */
export function httpGet(r: HttpGetRequest): Promise<{ status: number } | { error: string }> {
  const url = `${r.tls ? 'https' : 'http'}://${r.host}:${r.port}${r.path.startsWith('/') ? r.path : `/${r.path}`}`;
  return new Promise((resolve) => {
    const req = (r.tls ? https : http).get(
      url,
      { headers: { 'User-Agent': r.userAgent, Accept: '*/*', ...r.headers }, timeout: r.timeoutMs, rejectUnauthorized: false, agent: false, signal: r.signal },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({ error: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (err) => resolve({ error: r.signal?.aborted ? `Get "${url}": context canceled` : `Get "${url}": ${dialError(r.host, r.port, err)}` }));
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs }, () => {
      s.destroy();
      resolve({ ok: true });
    });
    s.on('timeout', () => {
      s.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    s.on('error', (err) => resolve({ ok: false, message: dialError(host, port, err) }));
  });
}

function dialError(host: string, port: number, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  if (code === 'ECONNRESET') return 'read: connection reset by peer';
  return `dial tcp ${host}:${port}: ${err.message}`;
}
