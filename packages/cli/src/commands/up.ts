import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../args.js';
import { writeClusterFiles } from '../cluster-files.js';
import { fileLogger, planCluster, portFree, supervisorConfig } from '../cluster.js';
import type { ComponentSpec } from '../components.js';
import { waitReady } from '../ready.js';
import { REPO_ROOT } from '../repo.js';
import { clusterPaths, logFile, settingsFromFlags, settingsToArgs, SETTINGS_OPTIONS, type ClusterSettings } from '../settings.js';
import { readState } from '../state.js';
import { liveComponent, liveSupervisor, stopCluster } from '../stop.js';
import { abortOnSignals, Supervisor } from '../supervisor.js';
import type { Command, Io } from './command.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
/** How long `up` waits for every component to be healthy. */
const READY_TIMEOUT_MS = 120_000;

export const up: Command = {
  name: 'up',
  summary: 'start a cluster (nats-server, apiserver, ...) in the background',
  usage: `Usage: kubesim up [flags]

Starts nats-server with JetStream, the apiserver and every other built component, each as its
own process, under a supervisor that restarts any that dies. Returns once the cluster is ready.

Flags:
  --data-dir DIR        state, logs, store and kubeconfig (default .kubesim)
  --nats-port PORT      NATS client port (default 4222)
  --api-port PORT       apiserver HTTP port (default 6443)
  --bind-address ADDR   address both listen on (default 127.0.0.1)
  --profile NAME        default | fast (shorter periods and timeouts, for demos and tests)
  --nodes N             worker nodes, one kubelet process each (default 3)
  --runtime NAME        process | thread: how kubelets run containers (default process)
  --ha                  high availability: two apiservers, two schedulers and two
                        controller-managers (scheduler-2, ...); the schedulers and the
                        controller-managers elect a leader through Leases in kube-system
                        (kubectl -n kube-system get leases) and a standby takes over when
                        the leader dies; the kubeconfig points at the first apiserver
  --ha-api-port PORT    the second apiserver's port (default: --api-port + 1)
  --foreground          run the supervisor in this process; Ctrl-C stops the cluster
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, { ...SETTINGS_OPTIONS, foreground: { type: 'boolean' } });
    const settings = settingsFromFlags(values, io.cwd);
    const plan = planCluster(settings);
    if (!plan.ok) {
      io.stderr.write(`${plan.message}\n`);
      return 1;
    }
    const paths = clusterPaths(settings.dataDir);
    const state = readState(paths.state);
    const supervisor = state && liveSupervisor(state);
    if (supervisor) {
      io.stdout.write(`kubesim is already running from ${settings.dataDir} (supervisor pid ${supervisor.pid}).\n`);
      printHowToUse(settings, io);
      return 0;
    }
    if (state?.components.some((c) => liveComponent(c))) {
      for (const p of await stopCluster(paths.state)) io.stdout.write(`stopped leftover ${p.name} (pid ${p.pid})\n`);
    }
    if (!(await portsFree(settings, io))) return 1;
    writeClusterFiles(settings);
    io.stdout.write(`Starting kubesim in ${settings.dataDir}\n`);
    for (const m of plan.skipped) io.stdout.write(`- ${m.name} skipped (${m.entry} is not built)\n`);
    return values.foreground
      ? runForeground(settings, plan.components, io)
      : runDetached(settings, plan.components, io);
  },
};

async function portsFree(settings: ClusterSettings, io: Io): Promise<boolean> {
  const ports: [string, number][] = [['--nats-port', settings.natsPort], ['--api-port', settings.apiPort]];
  if (settings.haApiPort !== undefined) ports.push(['--ha-api-port', settings.haApiPort]);
  for (const [flag, port] of ports) {
    if (!(await portFree(settings.bindAddress, port))) {
      io.stderr.write(`port ${port} on ${settings.bindAddress} is in use; choose another with ${flag}\n`);
      return false;
    }
  }
  return true;
}

/** Starts `kubesim supervise` as a detached process that outlives this one. */
async function runDetached(settings: ClusterSettings, components: ComponentSpec[], io: Io): Promise<number> {
  const paths = clusterPaths(settings.dataDir);
  const logFd = fs.openSync(logFile(paths, 'supervisor'), 'a');
  const child = spawn(process.execPath, [MAIN, 'supervise', ...settingsToArgs(settings)], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  child.unref();
  let gone: string | null = null;
  child.once('exit', (code, sig) => (gone = sig ? `was killed by ${sig}` : `exited with code ${code}`));
  child.once('error', (err) => (gone = `could not start: ${err.message}`));
  const ready = await waitReady(components, {
    stateFile: paths.state,
    logDir: paths.logs,
    supervisorPid: child.pid ?? -1,
    timeoutMs: READY_TIMEOUT_MS,
    supervisorGone: () => gone,
    print: (line) => io.stdout.write(`${line}\n`),
  });
  if (!ready) {
    await stopCluster(paths.state);
    io.stderr.write(`kubesim up failed; the cluster was stopped. Logs: ${paths.logs}\n`);
    return 1;
  }
  printHowToUse(settings, io);
  return 0;
}

/** Runs the supervisor in this process until SIGINT/SIGTERM. */
async function runForeground(settings: ClusterSettings, components: ComponentSpec[], io: Io): Promise<number> {
  const paths = clusterPaths(settings.dataDir);
  const controller = new AbortController();
  const dispose = abortOnSignals(controller);
  const config = supervisorConfig(settings, components, fileLogger(logFile(paths, 'supervisor')));
  let gone: string | null = null;
  const running = new Supervisor(config).start(controller.signal).then(
    () => void (gone = 'stopped'),
    (err: Error) => void (gone = `failed: ${err.message}`),
  );
  const ready = await waitReady(components, {
    stateFile: paths.state,
    logDir: paths.logs,
    supervisorPid: process.pid,
    timeoutMs: READY_TIMEOUT_MS,
    supervisorGone: () => gone,
    print: (line) => io.stdout.write(`${line}\n`),
  });
  if (ready) {
    printHowToUse(settings, io);
    io.stdout.write('Running in the foreground: Ctrl-C stops the cluster.\n');
  } else {
    controller.abort();
  }
  await running;
  dispose();
  io.stdout.write('kubesim stopped.\n');
  return ready ? 0 : 1;
}

function printHowToUse(settings: ClusterSettings, io: Io): void {
  const kubeconfig = clusterPaths(settings.dataDir).kubeconfig;
  const rel = path.relative(io.cwd, kubeconfig);
  // Under `pnpm kubesim` the cwd is the repo root, which may not be the user's shell's $PWD.
  const shellCwd = !io.env.INIT_CWD || path.resolve(io.env.INIT_CWD) === io.cwd;
  const shown = shellCwd && !rel.startsWith('..') && !path.isAbsolute(rel) ? `$PWD/${rel}` : kubeconfig;
  const dirFlag = shown === '$PWD/.kubesim/kubeconfig' ? '' : ` --data-dir ${settings.dataDir}`;
  io.stdout.write(
    [
      '',
      'kubesim is up. To use it:',
      `  export KUBECONFIG=${shown}`,
      '  kubectl get ns',
      'and to see or stop it:',
      `  kubesim status${dirFlag}`,
      `  kubesim logs apiserver -f${dirFlag}`,
      `  kubesim down${dirFlag}`,
      '',
    ].join('\n'),
  );
}
