import type { ImageDefinition, Program } from '../../process.js';
import { delay } from '../../timing.js';
import { debianPrograms, DEFAULT_PATH, DASH_SH } from '../common.js';
import { NGINX_CONF, readSite } from './config.js';
import { DEFAULT_CONF, errorPage50x, welcomePage } from './pages.js';
import { serveNginx } from './server.js';
import { nginxVersionForTag } from './versions.js';

const ENTRYPOINT_LINES = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
];

function versionOf(tag: string | undefined): string {
  return nginxVersionForTag(tag ?? 'latest') ?? '1.27.5';
}

/** The image's entrypoint script: announces its configuration steps, then execs its arguments. */
const dockerEntrypoint: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) return 0;
  if (args[0] === 'nginx' || args[0] === 'nginx-debug') await ctx.stdout.write(`${ENTRYPOINT_LINES.join('\n')}\n`);
  const program = ctx.container.lookup(args[0]);
  if (!program) {
    await ctx.stderr.write(`/docker-entrypoint.sh: exec: line 47: ${args[0]}: not found\n`);
    return 127;
  }
  return program({ ...ctx, argv: args });
};

/** `nginx [-v|-V|-t|-s signal|-g directives]`; without `daemon off;` it forks into the background and PID 1 exits. */
const nginxProgram: Program = async (ctx) => {
  const version = versionOf(ctx.container.ref.tag);
  const args = ctx.argv.slice(1);
  if (args.includes('-v') || args.includes('-V')) {
    await ctx.stderr.write(`nginx version: nginx/${version}\n`);
    return 0;
  }
  if (args.includes('-t') || args.includes('-T')) {
    await ctx.stderr.write('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
    return 0;
  }
  if (args.includes('-s')) {
    // Signals the running master (preStop hooks): it reaches a process we cannot see, so just take a moment.
    await delay(100, ctx.container.lifetime);
    return 0;
  }
  const site = await readSite(ctx);
  const g = args[args.indexOf('-g') + 1] ?? '';
  if (!(args.includes('-g') && /daemon\s+off/.test(g)) && !site.daemonOff) return 0;
  return serveNginx(ctx, site, version);
};

/** nginx (any real tag: 1.x, 1.x.y, stable, mainline, alpine, ...). */
export const nginx: ImageDefinition = {
  name: 'nginx',
  description: 'static server on :80 (or the `listen` of /etc/nginx/conf.d) serving /usr/share/nginx/html, stock welcome and error pages, access log on stdout',
  repositories: ['docker.io/library/nginx'],
  tagExists: (tag) => nginxVersionForTag(tag) !== undefined,
  entrypoint: ['/docker-entrypoint.sh'],
  cmd: ['nginx', '-g', 'daemon off;'],
  env: { PATH: DEFAULT_PATH },
  programs: { ...debianPrograms(), 'docker-entrypoint.sh': dockerEntrypoint, nginx: nginxProgram, 'nginx-debug': nginxProgram },
  shell: DASH_SH,
  files: (ref) => {
    const version = versionOf(ref.tag);
    return {
      '/usr/share/nginx/html/index.html': welcomePage(version),
      '/usr/share/nginx/html/50x.html': errorPage50x(version),
      '/etc/nginx/conf.d/default.conf': DEFAULT_CONF,
      '/etc/nginx/nginx.conf': NGINX_CONF,
      '/var/log/nginx/.keep': '',
    };
  },
};

/** registry.k8s.io/nginx-slim (the StatefulSet tutorial's web server): nginx under another name, any tag. */
export const nginxSlim: ImageDefinition = {
  ...nginx,
  name: 'nginx-slim',
  description: 'registry.k8s.io/nginx-slim (StatefulSet tutorial): the nginx program above, any tag',
  repositories: ['registry.k8s.io/nginx-slim', 'k8s.gcr.io/nginx-slim', 'gcr.io/google_containers/nginx-slim'],
  tagExists: undefined,
  entrypoint: [],
};
