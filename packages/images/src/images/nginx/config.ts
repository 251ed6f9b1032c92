import type { ProcessContext } from '../../process.js';
import type { NginxSite } from './server.js';

/** Reads the first `server` block's `listen`, `root` and `index` from /etc/nginx (conf.d/*.conf, then nginx.conf). */
export async function readSite(ctx: ProcessContext): Promise<NginxSite & { daemonOff: boolean }> {
  const fs = ctx.container.fs;
  const names = await fs.readdir('/etc/nginx/conf.d').catch(() => [] as string[]);
  const texts: string[] = [];
  for (const n of names.filter((n) => n.endsWith('.conf'))) texts.push(await fs.readFile(`/etc/nginx/conf.d/${n}`).then((b) => b.toString('utf8'), () => ''));
  const main = await fs.readFile('/etc/nginx/nginx.conf').then((b) => b.toString('utf8'), () => '');
  const all = [...texts, main].map(stripComments).join('\n');
  const listen = /\blisten\s+(?:[\w.]+:|\[[^\]]*\]:)?(\d+)[^;]*;/.exec(all);
  const root = /\broot\s+([^;\s]+)\s*;/.exec(all);
  const index = /\bindex\s+([^;]+);/.exec(all);
  return {
    port: listen ? Number(listen[1]) : 80,
    root: (root?.[1] ?? '/usr/share/nginx/html').replace(/\/+$/, ''),
    index: index ? index[1].trim().split(/\s+/) : ['index.html'],
    daemonOff: /\bdaemon\s+off\s*;/.test(main),
  };
}

function stripComments(text: string): string {
  return text.replace(/#.*$/gm, '');
}

/** The official image's /etc/nginx/nginx.conf (which includes conf.d/*.conf). */
export const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`.trimStart();
