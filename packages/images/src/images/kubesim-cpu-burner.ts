import { performance } from 'node:perf_hooks';
import { goLogLine } from '../log-format.js';
import { closeServer, httpServer, listenOnPod, portOf } from '../net/http-server.js';
import type { ImageDefinition, Program, ProcessContext } from '../process.js';
import { delay } from '../timing.js';

const WINDOW_MS = 100;
const SLICE_MS = 10;

/** Parses a millicore count ("500", "500m", "0.5"); one thread burns at most one core. */
export function parseMillicores(value: string | undefined, fallback = 1000): number {
  if (value === undefined || value.trim() === '') return fallback;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(value.trim());
  if (!m) return fallback;
  // "500m" and "500" are millicores; a fraction ("0.5") is cores.
  const n = !m[2] && m[1].includes('.') ? Number(m[1]) * 1000 : Number(m[1]);
  return Math.max(0, Math.min(1000, Math.round(n)));
}

/** Spins for up to `ms` milliseconds of wall time. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  let x = 0.0001;
  while (performance.now() < end) for (let i = 0; i < 1000; i++) x += Math.sqrt(x);
}

interface Burn {
  millicores: number;
  burnedMs: number;
  readonly started: number;
}

/** Burns `millicores` in each 100 ms window, in 10 ms slices so the HTTP server keeps answering. */
async function burnLoop(ctx: ProcessContext, burn: Burn): Promise<void> {
  for (;;) {
    const windowStart = performance.now();
    let busy = (burn.millicores / 1000) * WINDOW_MS;
    while (busy > 0) {
      const slice = Math.min(SLICE_MS, busy);
      spin(slice);
      burn.burnedMs += slice;
      busy -= slice;
      await new Promise((r) => setImmediate(r));
      if (ctx.sigterm.aborted || ctx.container.lifetime.aborted) return;
    }
    const rest = WINDOW_MS - (performance.now() - windowStart);
    if (!(await delay(Math.max(0, rest), ctx.sigterm, ctx.container.lifetime))) return;
  }
}

const burner: Program = async (ctx) => {
  const burn: Burn = { millicores: parseMillicores(ctx.env.CPU_MILLICORES), burnedMs: 0, started: Date.now() };
  const port = portOf(ctx.env.PORT ?? '') ?? 8080;
  const server = httpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/healthz') return void res.writeHead(200).end('ok');
    const requested = url.searchParams.get('millicores');
    if (requested !== null) burn.millicores = parseMillicores(requested, burn.millicores);
    const uptimeMs = Date.now() - burn.started;
    const report = { pod: ctx.container.hostname, millicores: burn.millicores, burnedMs: Math.round(burn.burnedMs), uptimeMs, averageMillicores: uptimeMs > 0 ? Math.round((burn.burnedMs / uptimeMs) * 1000) : 0 };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(report)}\n`);
  });
  const err = await listenOnPod(server, ctx, port);
  if (err) {
    await ctx.stderr.write(goLogLine(`listen tcp ${ctx.container.podIP}:${port}: ${err}`));
    return 1;
  }
  await ctx.stdout.write(goLogLine(`burning ${burn.millicores} millicores; reporting on ${ctx.container.podIP}:${port}`));
  await burnLoop(ctx, burn);
  await closeServer(server);
  return 0;
};

/** kubesim/cpu-burner: steady CPU load for the HPA and for resource limits. */
export const kubesimCpuBurner: ImageDefinition = {
  name: 'kubesim/cpu-burner',
  description: 'burns $CPU_MILLICORES (default 1000, at most one core) in short slices; HTTP :8080 reports it, `/?millicores=N` changes it',
  repositories: ['docker.io/kubesim/cpu-burner'],
  entrypoint: ['/cpu-burner'],
  cmd: [],
  env: {},
  programs: { 'cpu-burner': burner },
};
