import fs from 'node:fs';
import path from 'node:path';
import { parseFlags } from '../args.js';
import { clusterPaths, DEFAULT_DATA_DIR } from '../settings.js';
import { readState } from '../state.js';
import { stopCluster } from '../stop.js';
import { stopNodeContainers } from '../node-containers.js';
import type { Command } from './command.js';

export const down: Command = {
  name: 'down',
  summary: 'stop the cluster (keeps its data unless --purge)',
  usage: `Usage: kubesim down [--data-dir DIR] [--purge]

Stops the supervisor, which stops every component in reverse start order (SIGTERM, then SIGKILL
after 10 s). Only the processes recorded in <data-dir>/state.json are signalled.

Flags:
  --data-dir DIR   the cluster's data dir (default .kubesim)
  --purge          also delete the data dir (store, logs, kubeconfig)
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      purge: { type: 'boolean' },
    });
    const paths = clusterPaths(path.resolve(io.cwd, values['data-dir']));
    if (!readState(paths.state)) {
      io.stdout.write(`no kubesim cluster state in ${paths.dataDir}\n`);
    } else {
      const stopped = await stopCluster(paths.state);
      for (const p of stopped) io.stdout.write(`stopped ${p.name} (pid ${p.pid})\n`);
      if (stopped.length === 0) io.stdout.write(`nothing was running from ${paths.dataDir}\n`);
    }
    // Kubelets leave their containers running when they exit (a restarted kubelet adopts them);
    // taking the cluster down stops those too.
    const pods = await stopNodeContainers(paths.dataDir);
    if (pods > 0) io.stdout.write(`stopped ${pods} container process${pods === 1 ? '' : 'es'}\n`);
    if (!values.purge || !fs.existsSync(paths.dataDir)) return 0;
    // Guard against `--data-dir ~ --purge`: only a folder kubesim made is deleted.
    if (!fs.existsSync(paths.state) && !fs.existsSync(paths.natsConf)) {
      io.stderr.write(`not deleting ${paths.dataDir}: it does not look like a kubesim data dir\n`);
      return 1;
    }
    fs.rmSync(paths.dataDir, { recursive: true, force: true });
    io.stdout.write(`deleted ${paths.dataDir}\n`);
    return 0;
  },
};
