import { parseFlags } from '../args.js';
import { writeClusterFiles } from '../cluster-files.js';
import { planCluster, supervisorConfig } from '../cluster.js';
import { clusterPaths, settingsFromFlags, SETTINGS_OPTIONS } from '../settings.js';
import { readState } from '../state.js';
import { liveSupervisor } from '../stop.js';
import { abortOnSignals, Supervisor } from '../supervisor.js';
import type { Command } from './command.js';

/** Internal: the detached process `up` starts. Runs the supervisor until SIGTERM/SIGINT. */
export const supervise: Command = {
  name: 'supervise',
  summary: null,
  usage: `Usage: kubesim supervise [the flags of kubesim up, except --foreground]

Internal: runs the cluster's supervisor in this process until SIGTERM or SIGINT. kubesim up
starts it detached; its own log goes to stdout (<data-dir>/logs/supervisor.log under up).
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, SETTINGS_OPTIONS);
    const settings = settingsFromFlags(values, io.cwd);
    const plan = planCluster(settings);
    if (!plan.ok) {
      io.stderr.write(`${plan.message}\n`);
      return 1;
    }
    const state = readState(clusterPaths(settings.dataDir).state);
    const other = state && liveSupervisor(state);
    if (other && other.pid !== process.pid) {
      io.stderr.write(`a supervisor (pid ${other.pid}) already runs the cluster in ${settings.dataDir}\n`);
      return 1;
    }
    writeClusterFiles(settings);
    const controller = new AbortController();
    const dispose = abortOnSignals(controller);
    try {
      await new Supervisor(supervisorConfig(settings, plan.components)).start(controller.signal);
    } finally {
      dispose();
    }
    return 0;
  },
};
