import path from 'node:path';
import { parseFlags } from '../args.js';
import { formatDuration, formatTable } from '../format.js';
import { checkHealth } from '../health.js';
import { clusterPaths, DEFAULT_DATA_DIR } from '../settings.js';
import { readState, type ClusterState, type ComponentPhase } from '../state.js';
import { liveComponent, liveSupervisor } from '../stop.js';
import type { Command } from './command.js';

/** One row of `kubesim status`, also its --json shape. */
export interface ComponentStatus {
  name: string;
  pid: number | null;
  state: ComponentPhase;
  uptimeSeconds: number | null;
  restarts: number;
  /** A live health check; null when not running. */
  healthy: boolean | null;
  port: number | null;
}

export const status: Command = {
  name: 'status',
  summary: 'show each component: pid, state, uptime, restarts, health',
  usage: `Usage: kubesim status [--data-dir DIR] [--json]

Shows each component of the cluster with its pid, state (running, restarting, stopped), uptime,
restarts and health (checked now).

Flags:
  --data-dir DIR   the cluster's data dir (default .kubesim)
  --json           print JSON instead of a table
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      json: { type: 'boolean' },
    });
    const paths = clusterPaths(path.resolve(io.cwd, values['data-dir']));
    const state = readState(paths.state);
    if (!state) {
      io.stderr.write(`no kubesim cluster in ${paths.dataDir} (start one with kubesim up)\n`);
      return 1;
    }
    const supervisor = liveSupervisor(state);
    const rows = await componentStatuses(state, supervisor !== null);
    if (values.json) {
      const doc = { dataDir: paths.dataDir, supervisor: { pid: supervisor?.pid ?? null, running: !!supervisor }, components: rows };
      io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(
      supervisor
        ? `supervisor: pid ${supervisor.pid}, up ${formatDuration(Date.now() - Date.parse(state.startedAt))} (${paths.dataDir})\n`
        : `supervisor: not running (${paths.dataDir})\n`,
    );
    io.stdout.write(formatTable([['NAME', 'PID', 'STATE', 'UPTIME', 'RESTARTS', 'HEALTH', 'PORT'], ...rows.map(tableRow)]));
    return 0;
  },
};

/** Each component's status, with live process and health checks. */
async function componentStatuses(state: ClusterState, supervised: boolean): Promise<ComponentStatus[]> {
  return Promise.all(
    state.components.map(async (c) => {
      const live = liveComponent(c);
      const phase: ComponentPhase = live ? 'running' : supervised && c.phase === 'restarting' ? 'restarting' : 'stopped';
      return {
        name: c.name,
        pid: live?.pid ?? null,
        state: phase,
        uptimeSeconds: live && c.startedAt ? Math.floor((Date.now() - Date.parse(c.startedAt)) / 1000) : null,
        restarts: c.restarts,
        healthy: live ? await checkHealth(c.health) : null,
        port: c.port,
      };
    }),
  );
}

function tableRow(s: ComponentStatus): string[] {
  const health = s.healthy === null ? '-' : s.healthy ? 'ok' : 'failing';
  const uptime = s.uptimeSeconds === null ? '-' : formatDuration(s.uptimeSeconds * 1000);
  return [s.name, s.pid === null ? '-' : String(s.pid), s.state, uptime, String(s.restarts), health, s.port ? String(s.port) : '-'];
}
