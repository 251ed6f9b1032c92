import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { componentsFor, findNatsServer, NATS_INSTALL_HINT, type ComponentSpec, type MissingComponent } from './components.js';
import { clusterPaths, type ClusterSettings } from './settings.js';
import type { SupervisorConfig } from './supervisor.js';

/** What `up` will run, or why it cannot. */
export type ClusterPlan =
  | { ok: true; components: ComponentSpec[]; skipped: MissingComponent[] }
  | { ok: false; message: string };

/** Finds nats-server and the built components; a missing binary or required build is an error. */
export function planCluster(settings: ClusterSettings): ClusterPlan {
  const natsServer = findNatsServer();
  if (!natsServer) return { ok: false, message: NATS_INSTALL_HINT };
  const { components, missing } = componentsFor(settings, { natsServer });
  const required = missing.filter((m) => m.required);
  if (required.length > 0) {
    const list = required.map((m) => `  ${m.name}: ${m.entry}`).join('\n');
    return { ok: false, message: `not built yet:\n${list}\nRun pnpm build (or scripts/setup.sh) first.` };
  }
  return { ok: true, components, skipped: missing };
}

/** The supervisor's config for a cluster: its state and logs in the data dir. */
export function supervisorConfig(
  settings: ClusterSettings,
  components: ComponentSpec[],
  log?: (line: string) => void,
): SupervisorConfig {
  const paths = clusterPaths(settings.dataDir);
  return { stateFile: paths.state, logDir: paths.logs, components, settings, log };
}

/** A logger that appends timestamped lines to `file` (the foreground supervisor's log). */
export function fileLogger(file: string): (line: string) => void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return (line) => fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

/** True if nothing holds `port` on `host` (checked by binding it for a moment). */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: host.replace(/^\[|\]$/g, ''), port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}
