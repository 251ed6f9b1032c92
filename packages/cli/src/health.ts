import net from 'node:net';

/**
 * How to tell that a component is healthy, as data so that state.json can carry it:
 * `tcp` accepts a connection, `http` answers 200 on every URL, `process` is merely running.
 */
export type HealthCheck =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'http'; urls: string[] }
  | { kind: 'process' };

/** Runs one check; never throws. `process` checks are true here: the caller knows whether it runs. */
export async function checkHealth(check: HealthCheck, timeoutMs = 1000): Promise<boolean> {
  switch (check.kind) {
    case 'tcp':
      return tcpAccepts(check.host, check.port, timeoutMs);
    case 'http':
      for (const url of check.urls) if (!(await httpOk(url, timeoutMs))) return false;
      return true;
    case 'process':
      return true;
  }
}

function tcpAccepts(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function httpOk(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

