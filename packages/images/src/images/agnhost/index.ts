import type { ImageDefinition, Program } from '../../process.js';
import { BUSYBOX_SH, busyboxPrograms, DEFAULT_PATH } from '../common.js';
import { liveness } from './liveness.js';
import { netexec } from './netexec.js';
import { agnhostPause } from './pause.js';
import { serveHostname } from './serve-hostname.js';

const SUBCOMMANDS: Record<string, Program> = { liveness, netexec, 'serve-hostname': serveHostname, pause: agnhostPause };

/** `/agnhost SUBCOMMAND [flags]`, cobra-style. */
const agnhostProgram: Program = async (ctx) => {
  const sub = ctx.argv[1];
  if (sub === undefined || sub === 'help' || sub === '--help') {
    await ctx.stdout.write(`Usage:\n  agnhost [command]\n\nAvailable Commands:\n${Object.keys(SUBCOMMANDS).map((s) => `  ${s}`).join('\n')}\n`);
    return 0;
  }
  const run = SUBCOMMANDS[sub];
  if (!run) {
    await ctx.stderr.write(`Error: unknown command "${sub}" for "agnhost"\nRun 'agnhost --help' for usage.\n`);
    return 1;
  }
  return run({ ...ctx, argv: ctx.argv.slice(1) });
};

/** registry.k8s.io/e2e-test-images/agnhost: Kubernetes' test Swiss army knife. */
export const agnhost: ImageDefinition = {
  name: 'agnhost',
  description: 'agnhost SUBCOMMAND: liveness (:8080, /healthz 200 for 10 s then 500), netexec (:8080 /hostname /echo /shell /clientip /dial /healthz, UDP :8081), serve-hostname (:9376), pause',
  repositories: ['registry.k8s.io/e2e-test-images/agnhost', 'k8s.gcr.io/e2e-test-images/agnhost', 'gcr.io/kubernetes-e2e-test-images/agnhost'],
  entrypoint: ['/agnhost'],
  cmd: [],
  env: { PATH: DEFAULT_PATH },
  programs: { ...busyboxPrograms(), agnhost: agnhostProgram },
  shell: BUSYBOX_SH,
};

/** registry.k8s.io/liveness: the docs' http-liveness server (`args: [/server]`). */
export const livenessImage: ImageDefinition = {
  name: 'liveness',
  description: 'the docs\' http-liveness server (`/server`): :8080 /healthz 200 for 10 s, then 500',
  repositories: ['registry.k8s.io/liveness', 'k8s.gcr.io/liveness', 'gcr.io/google_containers/liveness'],
  entrypoint: [],
  cmd: ['/server'],
  env: { PATH: DEFAULT_PATH },
  programs: { ...busyboxPrograms(), server: liveness },
  shell: BUSYBOX_SH,
};
