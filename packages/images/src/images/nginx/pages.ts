import { hasModernPages } from './versions.js';

const MODERN_STYLE = `<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>`;

const CLASSIC_STYLE = `<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>`;

/** /usr/share/nginx/html/index.html as the official image ships it for `version`. */
export function welcomePage(version: string): string {
  return `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
${hasModernPages(version) ? MODERN_STYLE : CLASSIC_STYLE}
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;
}

/** /usr/share/nginx/html/50x.html. */
export function errorPage50x(version: string): string {
  return `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
${hasModernPages(version) ? MODERN_STYLE : CLASSIC_STYLE}
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;
}

/** The status lines nginx uses (405 is "Not Allowed", not "Method Not Allowed"). */
export const NGINX_STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
};

/** nginx's built-in error response body (CRLF line ends, as ngx_http_special_response.c writes them). */
export function builtinErrorPage(status: number, version: string): string {
  const title = `${status} ${NGINX_STATUS_TEXT[status] ?? ''}`;
  return [`<html>`, `<head><title>${title}</title></head>`, `<body>`, `<center><h1>${title}</h1></center>`, `<hr><center>nginx/${version}</center>`, `</body>`, `</html>`, ''].join('\r\n');
}

/** /etc/nginx/conf.d/default.conf of the official image. */
export const DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;
