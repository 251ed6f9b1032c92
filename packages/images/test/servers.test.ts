import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, http, run, start, tempDir, uniqueIP, waitForPort, type Started } from './helpers.js';

const running: Started[] = [];
function serve(spec: Parameters<typeof start>[0]): Started {
  const c = start(spec);
  running.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

let nextPort = 18_100;
const freePort = () => nextPort++;

describe('kubesim images', () => {
  it('kubesim/echo answers JSON about the pod and the request on $PORT', async () => {
    const port = freePort();
    const c = serve({ image: 'kubesim/echo:v3', env: { PORT: String(port), NODE_NAME: 'node-1' }, hostname: 'echo-abc' });
    await waitForPort(c.spec.podIP, port);
    const r = await http(c.spec.podIP, port, '/hello?x=1', { headers: { 'X-Test': 'yes' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ pod: 'echo-abc', podIP: c.spec.podIP, node: 'node-1', version: 'v3', path: '/hello', query: 'x=1', headers: { 'x-test': 'yes' } });
    expect((await http(c.spec.podIP, port, '/healthz')).status).toBe(200);
    expect(await c.stop()).toBe(0);
  });

  it.each(['v1', 'v2'])('kubesim/web:%s serves a page naming its version and pod', async (version) => {
    const c = serve({ image: `kubesim/web:${version}`, hostname: 'web-1' });
    await waitForPort(c.spec.podIP, 8080);
    const r = await http(c.spec.podIP, 8080, '/');
    expect(r.body).toContain(`Hello from version ${version}`);
    expect(r.body).toContain('web-1');
    expect((await http(c.spec.podIP, 8080, '/healthz')).status).toBe(200);
  });

  it('kubesim/crasher prints a line and exits 1 after $CRASH_AFTER seconds', async () => {
    const r = await run({ image: 'kubesim/crasher', env: { CRASH_AFTER: '0.1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('crashing in 0.1s');
  });

  it('kubesim/sleep sleeps args[0] seconds, or until SIGTERM', async () => {
    expect((await run({ image: 'kubesim/sleep', args: ['0.05'] })).code).toBe(0);
    const c = serve({ image: 'kubesim/sleep' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await c.stop()).toBe(0);
  });

  it('kubesim/counter appends a line a second to /data/counter.log and continues after a restart', async () => {
    const vol = tempDir();
    const mounts = [{ mountPath: '/data', hostPath: vol.dir }];
    const first = serve({ image: 'kubesim/counter', mounts });
    await eventually(() => first.stdout().split('\n').length > 2, 4000);
    await first.stop();
    const second = serve({ image: 'kubesim/counter', mounts });
    await eventually(() => second.stdout() !== '');
    await second.stop();
    const lines = readFileSync(join(vol.dir, 'counter.log'), 'utf8').trim().split('\n');
    expect(lines.map((l) => Number(l.split(':')[0]))).toEqual(lines.map((_, i) => i));
    expect(second.stdout().startsWith(`${lines.length - 1}: `)).toBe(true);
    vol.cleanup();
  });

  it('kubesim/cpu-burner reports the millicores it burns', async () => {
    const port = freePort();
    const c = serve({ image: 'kubesim/cpu-burner', env: { PORT: String(port), CPU_MILLICORES: '200' } });
    await waitForPort(c.spec.podIP, port);
    await new Promise((r) => setTimeout(r, 300));
    const report = JSON.parse((await http(c.spec.podIP, port, '/')).body);
    expect(report.millicores).toBe(200);
    expect(report.burnedMs).toBeGreaterThan(0);
    expect(report.averageMillicores).toBeLessThan(600);
  });
});

describe('nginx', () => {
  it('serves the stock welcome page on :80 and logs in the image\'s format', async () => {
    const c = serve({ image: 'nginx:1.25' });
    await waitForPort(c.spec.podIP, 80);
    const r = await http(c.spec.podIP, 80, '/', { headers: { 'User-Agent': 'curl/8.0' } });
    expect(r.status).toBe(200);
    expect(r.headers.server).toBe('nginx/1.25.5');
    expect(r.body).toContain('<title>Welcome to nginx!</title>');
    expect(Buffer.byteLength(r.body)).toBe(615);
    await eventually(() => c.stdout().includes('"GET / HTTP/1.1" 200 615'));
    expect(c.stdout()).toMatch(/^127\.\d+\.\d+\.\d+ - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.0" "-"$/m);
    expect(c.stdout()).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
  });

  it('answers unknown paths with its 404 page', async () => {
    const c = serve({ image: 'nginx' });
    await waitForPort(c.spec.podIP, 80);
    const r = await http(c.spec.podIP, 80, '/missing');
    expect(r.status).toBe(404);
    expect(r.body).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.5</center>\r\n</body>\r\n</html>\r\n');
  });

  it('serves files from a volume mounted on /usr/share/nginx/html, and forbids an empty one', async () => {
    const vol = tempDir();
    writeFileSync(join(vol.dir, 'index.html'), 'Hello from the debian container\n');
    mkdirSync(join(vol.dir, 'empty'));
    const c = serve({ image: 'nginx', mounts: [{ mountPath: '/usr/share/nginx/html', hostPath: vol.dir }] });
    await waitForPort(c.spec.podIP, 80);
    expect((await http(c.spec.podIP, 80, '/')).body).toBe('Hello from the debian container\n');
    const redirect = await http(c.spec.podIP, 80, '/empty', { headers: { Host: 'web' } });
    expect([redirect.status, redirect.headers.location]).toEqual([301, 'http://web/empty/']);
    expect((await http(c.spec.podIP, 80, '/empty/')).status).toBe(403);
    vol.cleanup();
  });

  it('listens where /etc/nginx/conf.d says', async () => {
    const conf = tempDir();
    const port = freePort();
    writeFileSync(join(conf.dir, 'default.conf'), `server {\n  listen ${port};\n  location / { root /srv/www; }\n}\n`);
    const www = tempDir();
    writeFileSync(join(www.dir, 'index.html'), 'custom root\n');
    const c = serve({ image: 'nginx:alpine', mounts: [{ mountPath: '/etc/nginx/conf.d', hostPath: conf.dir }, { mountPath: '/srv/www', hostPath: www.dir }] });
    await waitForPort(c.spec.podIP, port);
    expect((await http(c.spec.podIP, port, '/')).body).toBe('custom root\n');
    conf.cleanup();
    www.cleanup();
  });

  it('two pods on one machine both listen on port 80, and SIGTERM stops nginx with 0', async () => {
    const a = serve({ image: 'nginx', hostname: 'a' });
    const b = serve({ image: 'nginx', hostname: 'b' });
    await waitForPort(a.spec.podIP, 80);
    await waitForPort(b.spec.podIP, 80);
    expect(await a.stop()).toBe(0);
    expect(a.stderr()).toContain('signal 15 (SIGTERM) received, exiting');
    expect((await http(b.spec.podIP, 80, '/')).status).toBe(200);
  });
});

describe('sample and test images', () => {
  it('hello-app says hello, its version and the hostname', async () => {
    const port = freePort();
    const c = serve({ image: 'gcr.io/google-samples/hello-app:2.0', env: { PORT: String(port) }, hostname: 'hello-1' });
    await waitForPort(c.spec.podIP, port);
    expect((await http(c.spec.podIP, port, '/')).body).toBe('Hello, world!\nVersion: 2.0.0\nHostname: hello-1\n');
    await eventually(() => c.stderr().includes('Serving request: /'));
  });

  it('the frontend/backend tutorial: hello-frontend proxies to the hello Service, hello-go-gke greets', async () => {
    const backend = serve({ image: 'gcr.io/google-samples/hello-go-gke:1.0', hostname: 'backend-1' });
    await waitForPort(backend.spec.podIP, 80);
    expect((await http(backend.spec.podIP, 80, '/')).body).toBe('{"message":"Hello"}');
    const frontend = serve({ image: 'gcr.io/google-samples/hello-frontend:1.0', env: { HELLO_SERVICE_HOST: backend.spec.podIP, HELLO_SERVICE_PORT: '80' }, hostname: 'frontend-1' });
    await waitForPort(frontend.spec.podIP, 80);
    const r = await http(frontend.spec.podIP, 80, '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('{"message":"Hello"}');
    await eventually(() => /"GET \/ HTTP\/1.1" 200 19 /.test(frontend.stdout()));
  });

  it('hello-frontend without a hello Service fails like nginx: host not found in upstream', async () => {
    const frontend = serve({ image: 'gcr.io/google-samples/hello-frontend:1.0', hostname: 'frontend-2' });
    expect(await frontend.exited).toBe(1);
    expect(frontend.stderr()).toContain('nginx: [emerg] host not found in upstream "hello"');
  });

  it('the Kubernetes Basics bootcamp app names its pod and version', async () => {
    const c = serve({ image: 'docker.io/jocatalin/kubernetes-bootcamp:v2', hostname: 'kubernetes-bootcamp-abc' });
    await waitForPort(c.spec.podIP, 8080);
    expect((await http(c.spec.podIP, 8080, '/')).body).toBe('Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-abc | v=2\n');
  });

  it('kicbase/echo-server says which pod served the request', async () => {
    const port = freePort();
    const c = serve({ image: 'kicbase/echo-server:1.0', env: { PORT: String(port) }, hostname: 'hello-minikube-1' });
    await waitForPort(c.spec.podIP, port);
    const r = await http(c.spec.podIP, port, '/x', { headers: { Host: 'h:1', 'User-Agent': 'curl/8' } });
    expect(r.body).toBe('Request served by hello-minikube-1\n\nHTTP/1.1 GET /x\n\nHost: h:1\nConnection: close\nUser-Agent: curl/8\n');
  });

  it('hpa-example burns CPU per request and answers OK!', async () => {
    const c = serve({ image: 'registry.k8s.io/hpa-example' });
    await waitForPort(c.spec.podIP, 80);
    expect((await http(c.spec.podIP, 80, '/')).body).toBe('OK!');
  });

  it('agnhost liveness is healthy for 10 seconds, then fails with 500', { timeout: 20_000 }, async () => {
    const c = serve({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['liveness'] });
    await waitForPort(c.spec.podIP, 8080);
    expect(await http(c.spec.podIP, 8080, '/healthz')).toMatchObject({ status: 200, body: 'ok' });
    await new Promise((r) => setTimeout(r, 10_200));
    const late = await http(c.spec.podIP, 8080, '/healthz');
    expect(late.status).toBe(500);
    expect(late.body).toMatch(/^error: 10\.\d+/);
  });

  it('the docs\' liveness image runs the same server as /server', async () => {
    const c = serve({ image: 'registry.k8s.io/liveness', args: ['/server'] });
    await waitForPort(c.spec.podIP, 8080);
    expect((await http(c.spec.podIP, 8080, '/healthz')).body).toBe('ok');
  });

  it('agnhost netexec serves /hostname, /echo, /shell, /clientip and /healthz', async () => {
    const port = freePort();
    const c = serve({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['netexec', `--http-port=${port}`, '--udp-port=-1'], hostname: 'netexec-0' });
    await waitForPort(c.spec.podIP, port);
    expect((await http(c.spec.podIP, port, '/hostname')).body).toBe('netexec-0');
    expect((await http(c.spec.podIP, port, '/echo?msg=hi%20there')).body).toBe('hi there');
    expect(JSON.parse((await http(c.spec.podIP, port, '/shell?cmd=echo%20$HOSTNAME%20%7C%20tr%20a-z%20A-Z')).body)).toEqual({ output: 'NETEXEC-0\n' });
    expect((await http(c.spec.podIP, port, '/clientip')).body).toMatch(/^127\.[\d.]+:\d+$/);
    expect((await http(c.spec.podIP, port, '/healthz')).status).toBe(200);
  });

  it('http-echo answers with its -text', async () => {
    const port = freePort();
    const c = serve({ image: 'hashicorp/http-echo', args: ['-text=apple', `-listen=:${port}`] });
    await waitForPort(c.spec.podIP, port);
    expect((await http(c.spec.podIP, port, '/anything')).body).toBe('apple\n');
    expect(await c.stop()).toBe(0);
  });

  it('echoserver:1.4 echoes the request in its layout', async () => {
    const c = serve({ image: 'k8s.gcr.io/echoserver:1.4' });
    await waitForPort(c.spec.podIP, 8080);
    const r = await http(c.spec.podIP, 8080, '/path?q=1', { headers: { Host: 'example:31000' } });
    expect(r.body).toContain('CLIENT VALUES:\nclient_address=127.');
    expect(r.body).toContain('command=GET\nreal path=/path\nquery=q=1\nrequest_version=1.1\nrequest_uri=http://example:8080/path?q=1\n\nSERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\n');
    expect(r.body).toContain('host=example:31000\n');
    expect(r.body.endsWith('BODY:\n-no body in request-')).toBe(true);
  });

  it('echoserver:1.10 starts with the hostname', async () => {
    const c = serve({ image: 'registry.k8s.io/echoserver:1.10', hostname: 'source-ip-app' });
    await waitForPort(c.spec.podIP, 8080);
    const r = await http(c.spec.podIP, 8080, '/');
    expect(r.body.startsWith('\n\nHostname: source-ip-app\n\nPod Information:\n\t-no pod information available-\n')).toBe(true);
  });

  it('perl prints π to 2000 digits (the docs\' Job example)', async () => {
    const r = await run({ image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^3\.14159265358979323846\d{1979}\n$/);
    expect(r.stdout.endsWith('4780275901\n')).toBe(true);
  });

  it('pause sleeps until SIGTERM and exits 0', async () => {
    const c = serve({ image: 'registry.k8s.io/pause:3.9' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await c.stop()).toBe(0);
  });
});

/** Sends RESP commands and collects the raw replies. */
async function redisTalk(ip: string, port: number, commands: string[][], replies: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, ip);
    let data = '';
    s.on('data', (c) => {
      data += c.toString();
      if (data.split('\r\n').length > replies) {
        s.end();
        resolve(data);
      }
    });
    s.on('error', reject);
    s.write(commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join(''));
  });
}

describe('redis', () => {
  it('speaks RESP and keeps data in /data across a graceful restart', async () => {
    const vol = tempDir();
    const port = freePort();
    const ip = uniqueIP();
    const first = serve({ image: 'redis:7', args: ['redis-server', '--port', String(port)], podIP: ip, mounts: [{ mountPath: '/data', hostPath: vol.dir }] });
    await waitForPort(ip, port);
    const replies = await redisTalk(ip, port, [['PING'], ['SET', 'k', 'v'], ['GET', 'k'], ['INCR', 'n'], ['INCR', 'n'], ['EXISTS', 'k', 'x'], ['KEYS', '*'], ['DEL', 'k'], ['GET', 'k'], ['NOPE']], 13);
    expect(replies).toBe("+PONG\r\n+OK\r\n$1\r\nv\r\n:1\r\n:2\r\n:1\r\n*2\r\n$1\r\nk\r\n$1\r\nn\r\n:1\r\n$-1\r\n-ERR unknown command 'nope', with args beginning with: \r\n");
    expect(await first.stop()).toBe(0);
    expect(first.stdout()).toContain('Ready to accept connections tcp');
    expect(first.stdout()).toContain('Redis is now ready to exit, bye bye...');
    const second = serve({ image: 'redis:7', args: ['redis-server', '--port', String(port)], podIP: ip, mounts: [{ mountPath: '/data', hostPath: vol.dir }] });
    await waitForPort(ip, port);
    expect(await redisTalk(ip, port, [['GET', 'n']], 2)).toBe('$1\r\n2\r\n');
    await second.stop();
    vol.cleanup();
  });
});

describe('wget from a shell image', () => {
  it('fetches a page from another pod over real HTTP', async () => {
    const port = freePort();
    const server = serve({ image: 'hashicorp/http-echo', args: ['-text=from-server', `-listen=:${port}`] });
    await waitForPort(server.spec.podIP, port);
    const r = await run({ image: 'busybox', command: ['wget', '-q', '-O-', '-T', '2', `http://${server.spec.podIP}:${port}/`] });
    expect(r).toMatchObject({ stdout: 'from-server\n', code: 0 });
  });

  it('reaches its own pod\'s servers through localhost', async () => {
    const port = freePort();
    const server = serve({ image: 'hashicorp/http-echo', args: ['-text=sidecar', `-listen=:${port}`] });
    await waitForPort(server.spec.podIP, port);
    const r = await run({ image: 'busybox', podIP: server.spec.podIP, command: ['sh', '-c', `wget -qO- localhost:${port}`] });
    expect(r.stdout).toBe('sidecar\n');
  });

  it('resolves a Service name through its environment variables', async () => {
    const port = freePort();
    const server = serve({ image: 'hashicorp/http-echo', args: ['-text=via-service', `-listen=:${port}`] });
    await waitForPort(server.spec.podIP, port);
    const r = await run({ image: 'busybox', env: { WEB_SVC_SERVICE_HOST: server.spec.podIP }, command: ['wget', '-q', '-O-', `http://web-svc:${port}`] });
    expect(r.stdout).toBe('via-service\n');
  });

  it('reports refused connections and HTTP errors like busybox', async () => {
    const port = freePort();
    const ip = uniqueIP();
    const refused = await run({ image: 'busybox', command: ['wget', '-q', '-O-', `http://${ip}:${port}/`] });
    expect(refused).toMatchObject({ code: 1, stderr: `wget: can't connect to remote host (${ip}): Connection refused\n` });
    const c = serve({ image: 'nginx' });
    await waitForPort(c.spec.podIP, 80);
    const missing = await run({ image: 'busybox', command: ['wget', '-q', '-O-', `http://${c.spec.podIP}/nope`] });
    expect(missing).toMatchObject({ code: 1, stderr: 'wget: server returned error: HTTP/1.1 404 Not Found\n' });
  });
});
