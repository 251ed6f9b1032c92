import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readState } from '../src/index.js';
import { alive, freshSettings, kubesim, SupervisedCluster, tempDir } from './fixtures.js';

const clusters: SupervisedCluster[] = [];
afterAll(async () => {
  for (const c of clusters) await c.cleanup();
});

async function startCluster(): Promise<SupervisedCluster> {
  const cluster = new SupervisedCluster(await freshSettings());
  clusters.push(cluster);
  return cluster.start();
}

interface StatusJson {
  supervisor: { pid: number | null; running: boolean };
  components: { name: string; pid: number | null; state: string; restarts: number; healthy: boolean | null; port: number }[];
}

function statusJson(dataDir: string): StatusJson {
  const res = kubesim(['status', '--data-dir', dataDir, '--json']);
  expect(res.stderr).toBe('');
  return JSON.parse(res.stdout) as StatusJson;
}

describe('kubesim status, logs and down on a supervised cluster', () => {
  it('status reports each component with its pid, state, restarts and live health', async () => {
    const cluster = await startCluster();
    const { dataDir, natsPort, apiPort } = cluster.settings;
    const comps = cluster.components();
    await expect.poll(() => statusJson(dataDir).components.every((c) => c.healthy), { timeout: 10_000 }).toBe(true);
    const status = statusJson(dataDir);
    expect(status.supervisor).toEqual({ pid: cluster.proc.pid, running: true });
    expect(status.components).toEqual([
      expect.objectContaining({ name: 'nats-server', pid: comps[0].pid, state: 'running', restarts: 0, healthy: true, port: natsPort }),
      expect.objectContaining({ name: 'web', pid: comps[1].pid, state: 'running', restarts: 0, healthy: true, port: apiPort }),
    ]);
    const table = kubesim(['status', '--data-dir', dataDir]).stdout.split('\n');
    expect(table[0]).toMatch(new RegExp(`^supervisor: pid ${cluster.proc.pid}, up \\d+s \\(${dataDir}\\)$`));
    expect(table[1].split(/\s+/)).toEqual(['NAME', 'PID', 'STATE', 'UPTIME', 'RESTARTS', 'HEALTH', 'PORT']);
    expect(table[3].split(/\s+/)).toEqual(['web', String(comps[1].pid), 'running', expect.stringMatching(/^\d+s$/), '0', 'ok', String(apiPort)]);
  });

  it('status shows a component that stops answering as failing, and a restarted one with its restarts', async () => {
    const cluster = await startCluster();
    const web = cluster.components()[1];
    process.kill(web.pid!, 'SIGSTOP');
    try {
      expect(statusJson(cluster.settings.dataDir).components[1]).toMatchObject({ state: 'running', healthy: false });
    } finally {
      process.kill(web.pid!, 'SIGCONT');
    }
    process.kill(web.pid!, 'SIGKILL');
    await cluster.waitFor(([, w]) => w.restarts === 1 && w.phase === 'running', 'web restarted');
    await expect
      .poll(() => statusJson(cluster.settings.dataDir).components[1], { timeout: 10_000 })
      .toMatchObject({ state: 'running', restarts: 1, healthy: true });
  });

  it('logs prints a component log, the last lines with --tail, and names the logs there are', async () => {
    const cluster = await startCluster();
    const { dataDir, apiPort } = cluster.settings;
    await expect.poll(() => kubesim(['logs', 'web', '--data-dir', dataDir]).stdout, { timeout: 10_000 }).toContain(`listening on ${apiPort}`);
    expect(kubesim(['logs', 'web', '--data-dir', dataDir, '--tail', '1']).stdout).toBe(`listening on ${apiPort}\n`);
    const missing = kubesim(['logs', 'nope', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there are: nats-server, web');
  });

  it('down stops the supervisor and every component, keeps the data, and --purge deletes it', async () => {
    const cluster = await startCluster();
    const { dataDir } = cluster.settings;
    const pids = [cluster.proc.pid, ...cluster.components().map((c) => c.pid!)];
    const res = kubesim(['down', '--data-dir', dataDir]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual([
      `stopped web (pid ${pids[2]})`,
      `stopped nats-server (pid ${pids[1]})`,
      `stopped supervisor (pid ${pids[0]})`,
    ]);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(await cluster.proc.exited).toBe(0);
    const state = readState(cluster.stateFile)!;
    expect(state.supervisorPid).toBeNull();
    expect(state.components.every((c) => c.pid === null && c.phase === 'stopped')).toBe(true);
    expect(statusJson(dataDir).components.map((c) => c.state)).toEqual(['stopped', 'stopped']);
    expect(kubesim(['down', '--data-dir', dataDir]).stdout).toBe(`nothing was running from ${dataDir}\n`);
    expect(fs.existsSync(path.join(dataDir, 'nats'))).toBe(true);
    expect(kubesim(['down', '--data-dir', dataDir, '--purge']).stdout).toBe(`nothing was running from ${dataDir}\ndeleted ${dataDir}\n`);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('down stops the components of a supervisor that was killed', async () => {
    const cluster = await startCluster();
    const comps = cluster.components();
    await cluster.proc.kill('SIGKILL');
    for (const c of comps) expect(alive(c.pid!)).toBe(true);
    const res = kubesim(['down', '--data-dir', cluster.settings.dataDir]);
    expect(res.stdout).toBe(`stopped web (pid ${comps[1].pid})\nstopped nats-server (pid ${comps[0].pid})\n`);
    for (const c of comps) expect(alive(c.pid!)).toBe(false);
  });

  it('runs two clusters side by side on their own ports and data dirs', async () => {
    const [a, b] = [await startCluster(), await startCluster()];
    const pa = statusJson(a.settings.dataDir);
    const pb = statusJson(b.settings.dataDir);
    expect(pa.components.map((c) => c.port)).toEqual([a.settings.natsPort, a.settings.apiPort]);
    expect(pb.components.map((c) => c.port)).toEqual([b.settings.natsPort, b.settings.apiPort]);
    expect(new Set([...pa.components, ...pb.components].map((c) => c.pid)).size).toBe(4);
    kubesim(['down', '--data-dir', a.settings.dataDir]);
    for (const c of pa.components) expect(alive(c.pid!)).toBe(false);
    await expect.poll(() => statusJson(b.settings.dataDir).components.every((c) => c.state === 'running' && c.healthy), { timeout: 10_000 }).toBe(true);
  });
});

describe('kubesim command line', () => {
  it.each<[string, string[], number, string]>([
    ['prints usage for --help', ['--help'], 0, 'Usage: kubesim COMMAND'],
    ['prints a command usage for COMMAND --help', ['down', '--help'], 0, 'Usage: kubesim down'],
    ['prints a command usage for help COMMAND', ['help', 'logs'], 0, 'Usage: kubesim logs'],
    ['rejects an unknown command', ['launch'], 2, 'unknown command "launch"'],
    ['rejects an unknown flag', ['status', '--colour'], 2, "Unknown option '--colour'"],
    ['rejects a bad port', ['up', '--nats-port', '99999'], 2, '--nats-port must be a port number'],
    ['asks logs for a component', ['logs'], 2, 'expected one COMPONENT'],
  ])('%s', (_, args, code, text) => {
    const res = kubesim(args);
    expect(res.code).toBe(code);
    expect(res.stdout + res.stderr).toContain(text);
  });

  it('status says when there is no cluster', () => {
    const dir = tempDir();
    const res = kubesim(['status', '--data-dir', dir]);
    fs.rmSync(dir, { recursive: true });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`no kubesim cluster in ${dir}`);
  });

  it('down --purge refuses a folder that is not a kubesim data dir', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'precious'), 'x');
    const res = kubesim(['down', '--data-dir', dir, '--purge']);
    expect(res.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'precious'))).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });
});
