import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@kubesim/testing';
import { checkHealth, readState, Supervisor, type ComponentSpec, type ComponentState, type SupervisorConfig } from '../src/index.js';
import { alive, freshSettings, killAll, natsComponent, standIn, tempDir } from './fixtures.js';

const dirs: string[] = [];
const pids = new Set<number>();
const running: { controller: AbortController; done: Promise<void> }[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    r.controller.abort();
    await r.done;
  }
});
afterAll(() => {
  killAll([...pids]);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts a Supervisor in this process over `components`; afterEach stops it. */
function supervise(components: ComponentSpec[], extra: Partial<SupervisorConfig> = {}) {
  const dir = tempDir();
  dirs.push(dir);
  const lines: string[] = [];
  const config: SupervisorConfig = {
    stateFile: path.join(dir, 'state.json'),
    logDir: path.join(dir, 'logs'),
    components,
    log: (line) => lines.push(line),
    ...extra,
  };
  const controller = new AbortController();
  const done = new Supervisor(config).start(controller.signal);
  running.push({ controller, done });
  const states = () => {
    const comps = readState(config.stateFile)?.components ?? [];
    for (const c of comps) if (c.pid) pids.add(c.pid);
    return comps;
  };
  const waitFor = async (check: (s: ComponentState[]) => boolean, what: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const comps = states();
      if (comps.length && check(comps)) return comps;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(comps)}\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Waits until every component runs and passes its health check. */
  const waitHealthy = async () => {
    for (;;) {
      const comps = await waitFor(allRunning, 'all running');
      const health = await Promise.all(comps.map((c) => checkHealth(c.health)));
      if (health.every(Boolean)) return comps;
    }
  };
  /** Waits until a line of a component's log starts with `text`. */
  const waitForLog = (name: string, text: string) =>
    waitFor(() => {
      const file = path.join(config.logDir, `${name}.log`);
      return fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\n').some((l) => l.startsWith(text));
    }, `"${text}" in ${name}.log`);
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { config, lines, states, waitFor, waitHealthy, waitForLog, stop, dir };
}

const allRunning = (s: ComponentState[]) => s.every((c) => c.phase === 'running' && c.pid !== null);

function nodeScript(name: string, code: string, health: ComponentSpec['health'] = { kind: 'process' }): ComponentSpec {
  return { name, command: process.execPath, args: ['-e', code], health, required: true, port: null };
}

describe('Supervisor', () => {
  it('starts nats-server and a component in order and records them in state.json', async () => {
    const settings = await freshSettings();
    dirs.push(settings.dataDir);
    const sup = supervise([natsComponent(settings), standIn(settings.dataDir, 'web', settings.apiPort)]);
    const comps = await sup.waitHealthy();
    const [nats, web] = comps;
    expect(comps.map((c) => c.name)).toEqual(['nats-server', 'web']);
    expect(alive(nats.pid!) && alive(web.pid!)).toBe(true);
    expect(readState(sup.config.stateFile)?.supervisorPid).toBe(process.pid);
    expect(Date.parse(web.startedAt!)).toBeGreaterThanOrEqual(Date.parse(nats.startedAt!));
    expect(sup.lines.indexOf('nats-server is healthy')).toBeLessThan(sup.lines.indexOf(`started web (pid ${web.pid})`));
    await sup.waitForLog('web', 'listening on');
  });

  it('restarts a component killed with SIGKILL: new pid, restart count 1', async () => {
    const port = await freePort();
    const dir = tempDir();
    dirs.push(dir);
    const sup = supervise([standIn(dir, 'web', port)]);
    const [before] = await sup.waitHealthy();
    process.kill(before.pid!, 'SIGKILL');
    const [after] = await sup.waitFor(([c]) => c.phase === 'running' && c.pid !== before.pid, 'web restarted');
    expect(after.restarts).toBe(1);
    expect(after.lastExit?.signal).toBe('SIGKILL');
    expect(alive(before.pid!)).toBe(false);
    await sup.waitHealthy();
  });

  it('stops components in reverse start order on abort and leaves none running', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const dir = tempDir();
    dirs.push(dir);
    const sup = supervise([standIn(dir, 'first', p1), standIn(dir, 'second', p2)]);
    const comps = await sup.waitHealthy();
    await sup.stop();
    expect(sup.lines.filter((l) => l.startsWith('stopping'))).toEqual([
      `stopping second (pid ${comps[1].pid})`,
      `stopping first (pid ${comps[0].pid})`,
    ]);
    for (const c of comps) expect(alive(c.pid!)).toBe(false);
    const state = readState(sup.config.stateFile)!;
    expect(state.supervisorPid).toBeNull();
    expect(state.components.map((c) => [c.name, c.phase, c.pid])).toEqual([
      ['first', 'stopped', null],
      ['second', 'stopped', null],
    ]);
    expect(fs.readFileSync(path.join(sup.config.logDir, 'second.log'), 'utf8')).toContain('stand-in got SIGTERM');
  });

  it('SIGKILLs a component that ignores SIGTERM once the stop timeout passes', async () => {
    const code = "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('ready')";
    const sup = supervise([nodeScript('stubborn', code)], { stopTimeoutMs: 300 });
    const [c] = await sup.waitFor(allRunning, 'running');
    await sup.waitForLog('stubborn', 'ready');
    await sup.stop();
    expect(alive(c.pid!)).toBe(false);
    expect(readState(sup.config.stateFile)!.components[0].lastExit?.signal).toBe('SIGKILL');
    expect(fs.readFileSync(path.join(sup.config.logDir, 'stubborn.log'), 'utf8')).toContain('ignoring SIGTERM');
  });

  it('backs off a crash-looping component with doubling delays up to the maximum', async () => {
    const sup = supervise([nodeScript('crasher', 'process.exit(3)')], {
      backoff: { initialMs: 50, maxMs: 200 },
      startTimeoutMs: 100,
    });
    const [c] = await sup.waitFor(([s]) => s.restarts >= 4 && s.phase === 'restarting', 'four restarts');
    expect(c.lastExit?.code).toBe(3);
    const delays = sup.lines.map((l) => /restarting in (\d+) ms/.exec(l)?.[1]).filter(Boolean).map(Number);
    expect(delays.slice(0, 5)).toEqual([50, 100, 200, 200, 200]);
  });

  it('retries a command that cannot be started like one that crashed', async () => {
    const sup = supervise([
      { name: 'ghost', command: '/nonexistent/ghost', args: [], health: { kind: 'process' }, required: false, port: null },
    ], { backoff: { initialMs: 50, maxMs: 50 }, startTimeoutMs: 100 });
    await sup.waitFor(([s]) => s.restarts >= 2, 'two restarts');
    expect(sup.lines.some((l) => l.includes('ghost failed to start'))).toBe(true);
  });
});

describe('new Supervisor', () => {
  const web = (name: string): ComponentSpec => ({ name, command: 'x', args: [], health: { kind: 'process' }, required: true, port: null });
  const base = { stateFile: '/nonexistent/state.json', logDir: '/nonexistent/logs' };

  it.each<[string, Partial<SupervisorConfig>, string]>([
    ['no components', { components: [] }, 'at least one component'],
    ['a repeated name', { components: [web('a'), web('a')] }, 'listed twice'],
    ['a name unfit for a file name', { components: [web('../x')] }, 'must match'],
    ['a negative stop timeout', { components: [web('a')], stopTimeoutMs: -1 }, 'stopTimeoutMs must be positive'],
    ['a backoff maximum below its start', { components: [web('a')], backoff: { initialMs: 10, maxMs: 5 } }, 'backoff'],
  ])('rejects %s', (_, config, message) => {
    expect(() => new Supervisor({ ...base, components: [], ...config })).toThrow(message);
  });

  it('does no I/O until started', () => {
    const dir = tempDir();
    dirs.push(dir);
    new Supervisor({ stateFile: path.join(dir, 'state.json'), logDir: path.join(dir, 'logs'), components: [web('a')] });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
