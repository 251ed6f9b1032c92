/**
 * Real processes for the CLI's tests: a stand-in component (a node HTTP server on a port), a
 * supervisor process running nats-server plus stand-ins, and cleanup by pid.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, natsServerBinary, repoPath, TestProcess } from '@kubesim/testing';
import { natsConfig, readState, type ClusterSettings, type ComponentSpec, type ComponentState } from '../src/index.js';

export const CLI_MAIN = repoPath('packages/cli/dist/main.js');

const STAND_IN = `
import http from 'node:http';
const port = Number(process.argv[2]);
http.createServer((req, res) => res.end('ok')).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
process.on('SIGTERM', () => { console.log('stand-in got SIGTERM'); process.exit(0); });
`;

const SUPERVISE = `
import { Supervisor, abortOnSignals } from ${JSON.stringify(pathToFileURL(repoPath('packages/cli/dist/index.js')).href)};
const controller = new AbortController();
abortOnSignals(controller);
await new Supervisor(JSON.parse(process.argv[2])).start(controller.signal);
`;

/** A temp dir holding the stand-in and harness scripts; removed by `remove()`. */
export function tempDir(prefix = 'kubesim-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A component that serves HTTP 200 on `port` and exits on SIGTERM. */
export function standIn(dir: string, name: string, port: number): ComponentSpec {
  const script = path.join(dir, 'stand-in.mjs');
  if (!fs.existsSync(script)) fs.writeFileSync(script, STAND_IN);
  return {
    name,
    command: process.execPath,
    args: [script, String(port)],
    health: { kind: 'http', urls: [`http://127.0.0.1:${port}/readyz`] },
    required: true,
    port,
  };
}

/** nats-server with JetStream on `settings.natsPort`, its config and store in the data dir. */
export function natsComponent(settings: ClusterSettings): ComponentSpec {
  fs.mkdirSync(settings.dataDir, { recursive: true });
  const conf = path.join(settings.dataDir, 'nats.conf');
  fs.writeFileSync(conf, natsConfig(settings));
  return {
    name: 'nats-server',
    command: natsServerBinary(),
    args: ['-c', conf],
    health: { kind: 'tcp', host: '127.0.0.1', port: settings.natsPort },
    required: true,
    port: settings.natsPort,
  };
}

/** Settings for a cluster in a fresh temp data dir on free ports. */
export async function freshSettings(): Promise<ClusterSettings> {
  return {
    dataDir: tempDir('kubesim-data-'),
    natsPort: await freePort(),
    apiPort: await freePort(),
    bindAddress: '127.0.0.1',
    profile: 'fast',
    nodes: 1,
    runtime: 'process',
  };
}

/**
 * A supervisor as its own process (like `kubesim supervise`), running nats-server and one
 * stand-in named `web` on the settings' api port; records every pid it sees for cleanup.
 */
export class SupervisedCluster {
  proc!: TestProcess;
  readonly stateFile: string;
  readonly seen = new Set<number>();

  constructor(readonly settings: ClusterSettings) {
    this.stateFile = path.join(settings.dataDir, 'state.json');
  }

  async start(): Promise<this> {
    const components = [natsComponent(this.settings), standIn(this.settings.dataDir, 'web', this.settings.apiPort)];
    const script = path.join(this.settings.dataDir, 'supervise.mjs');
    fs.writeFileSync(script, SUPERVISE);
    const config = { stateFile: this.stateFile, logDir: path.join(this.settings.dataDir, 'logs'), components, settings: this.settings };
    this.proc = new TestProcess('supervisor', process.execPath, [script, JSON.stringify(config)]);
    await this.waitFor((s) => s.every((c) => c.phase === 'running' && c.pid !== null), 'all running');
    return this;
  }

  components(): ComponentState[] {
    const state = readState(this.stateFile);
    for (const c of state?.components ?? []) if (c.pid) this.seen.add(c.pid);
    return state?.components ?? [];
  }

  /** Polls state.json until `check` holds. */
  async waitFor(check: (s: ComponentState[]) => boolean, what: string, timeoutMs = 20_000): Promise<ComponentState[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const comps = this.components();
      if (comps.length > 0 && check(comps)) return comps;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(comps)}\n${this.proc?.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops everything this cluster ever ran, by pid, and removes its data dir. */
  async cleanup(): Promise<void> {
    this.components();
    await this.proc?.kill('SIGKILL');
    killAll([...this.seen]);
    fs.rmSync(this.settings.dataDir, { recursive: true, force: true });
  }
}

/** True if `pid` is a live (non-zombie) process. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) [ZX] /.test(stat);
}

/** SIGKILLs each of `pids` still alive (cleanup after a failed test). */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs the built `kubesim` CLI to completion. */
export function kubesim(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [CLI_MAIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
