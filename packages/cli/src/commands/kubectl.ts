import path from 'node:path';
import { clusterPaths, DEFAULT_DATA_DIR } from '../settings.js';
import type { Command, Io } from './command.js';

/** A variable, so that TypeScript does not bind this import to the package's current types. */
const KUBECTL_MODULE = '@kubesim/kubectl';

type RunKubectl = (argv: string[], io: Io) => Promise<number | void> | number | void;

export const kubectl: Command = {
  name: 'kubectl',
  summary: "kubesim's own kubectl, pointed at this cluster",
  usage: `Usage: kubesim kubectl [--data-dir DIR] ARGS...

Runs kubesim's kubectl with ARGS. When KUBECONFIG is not set, it is <data-dir>/kubeconfig
(default .kubesim/kubeconfig). --data-dir is only recognised as the first argument.
`,
  async run(argv, io) {
    const { dataDir, rest } = splitDataDir(argv);
    if (!io.env.KUBECONFIG) io.env.KUBECONFIG = clusterPaths(path.resolve(io.cwd, dataDir)).kubeconfig;
    const runKubectl = await loadKubectl(io);
    if (!runKubectl) return 1;
    const code = await runKubectl(rest, io);
    return typeof code === 'number' ? code : Number(process.exitCode ?? 0);
  },
};

function splitDataDir(argv: string[]): { dataDir: string; rest: string[] } {
  if (argv[0] === '--data-dir' && argv.length > 1) return { dataDir: argv[1], rest: argv.slice(2) };
  if (argv[0]?.startsWith('--data-dir=')) return { dataDir: argv[0].slice('--data-dir='.length), rest: argv.slice(1) };
  return { dataDir: DEFAULT_DATA_DIR, rest: argv };
}

async function loadKubectl(io: Io): Promise<RunKubectl | null> {
  let mod: { runKubectl?: unknown };
  try {
    mod = (await import(KUBECTL_MODULE)) as { runKubectl?: unknown };
  } catch (err) {
    io.stderr.write(`kubesim kubectl is not available: ${(err as Error).message}\n${fallback(io)}`);
    return null;
  }
  if (typeof mod.runKubectl !== 'function') {
    io.stderr.write(`kubesim kubectl is not available yet (@kubesim/kubectl has no runKubectl).\n${fallback(io)}`);
    return null;
  }
  return mod.runKubectl as RunKubectl;
}

function fallback(io: Io): string {
  return `Run pnpm build, or use the stock kubectl: KUBECONFIG=${io.env.KUBECONFIG} kubectl ...\n`;
}
