import { nginxTimeLocal } from '../log-format.js';
import { clientAddress, closeServer, httpServer, listenOnPod, untilTerminated } from '../net/http-server.js';
import type { ImageDefinition, Program } from '../process.js';
import { DASH_SH, debianPrograms, execArgs } from './common.js';

/** The work of index.php: a million square roots. */
export function phpLoop(): number {
  let x = 0.0001;
  for (let i = 0; i <= 1_000_000; i++) x += Math.sqrt(x);
  return x;
}

/** php-apache: every request burns CPU like index.php and answers "OK!". */
const apache: Program = async (ctx) => {
  const server = httpServer((req, res) => {
    phpLoop();
    const body = 'OK!';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', 'X-Powered-By': 'PHP/5.6.40', Server: 'Apache/2.4.25 (Debian)' }).end(body);
    void ctx.stdout.write(`${clientAddress(req)} - - [${nginxTimeLocal()}] "${req.method} ${req.url} HTTP/${req.httpVersion}" 200 ${body.length} "-" "${req.headers['user-agent'] ?? '-'}"\n`);
  });
  const err = await listenOnPod(server, ctx, 80);
  if (err) {
    await ctx.stderr.write(`(98)Address already in use: AH00072: make_sock: could not bind to address ${ctx.container.podIP}:80\n`);
    return 1;
  }
  await ctx.stderr.write(`AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${ctx.container.podIP}. Set the 'ServerName' directive globally to suppress this message\n`);
  await ctx.stderr.write(`[mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.25 (Debian) PHP/5.6.40 configured -- resuming normal operations\n`);
  await ctx.stderr.write(`[core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'\n`);
  if ((await untilTerminated(ctx)) === 'sigterm') await ctx.stderr.write('[mpm_prefork:notice] [pid 1] AH00169: caught SIGTERM, shutting down\n');
  await closeServer(server);
  return 0;
};

/** The HorizontalPodAutoscaler walkthrough's php-apache. */
export const hpaExample: ImageDefinition = {
  name: 'hpa-example',
  description: 'php-apache of the HPA walkthrough: HTTP :80, each request runs ~1M sqrt iterations and answers "OK!"',
  repositories: ['registry.k8s.io/hpa-example', 'k8s.gcr.io/hpa-example', 'gcr.io/google_containers/hpa-example'],
  entrypoint: ['docker-php-entrypoint'],
  cmd: ['apache2-foreground'],
  env: {},
  programs: { ...debianPrograms(), 'docker-php-entrypoint': execArgs, 'apache2-foreground': apache },
  shell: DASH_SH,
};
