import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, encode, findResource, type ContainerStatus, type Pod } from '@kubesim/api';
import { createInbox } from 'nats';
import { TestControlPlane, type TestProcess } from '@kubesim/testing';
import { LOG_SUBJECTS, type LogReply } from '../src/log-protocol.js';
import { PODS, alive, createPod, getPod, killContainers, podEvents, podWhen, recordedPid, startKubelet, tempRoot, waitFor } from './helpers.js';

let cp: TestControlPlane;
let kubelet: TestProcess;
const root = tempRoot();

beforeAll(async () => {
  cp = await new TestControlPlane(['--profile', 'fast']).start();
  kubelet = startKubelet(cp, root);
});

afterAll(async () => {
  await kubelet?.kill();
  killContainers(root);
  await cp?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const status = (p: Pod, name: string): ContainerStatus | undefined =>
  [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((c) => c.name === name);
const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
const running = (p: Pod) => p.status?.phase === 'Running' && ready(p);
const waitingReason = (p: Pod, name: string) => status(p, name)?.state?.waiting?.reason;
const sh = (script: string) => ({ image: 'busybox', command: ['sh', '-c', script] });

async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  return { status: res.status, body: await res.text() };
}

async function logs(req: Record<string, unknown>): Promise<LogReply> {
  const msg = await cp.nc.request(LOG_SUBJECTS.read('node-1'), encode({ namespace: 'default', ...req }), { timeout: 5_000 });
  return decode<LogReply>(msg.data);
}

describe('running pods', () => {
  it('runs kubesim/echo with an address from the node pod CIDR and serves HTTP on it', async () => {
    await createPod(cp.natsClient, 'echo', { containers: [{ name: 'echo', image: 'kubesim/echo', env: [{ name: 'PORT', value: '8080' }], ports: [{ containerPort: 8080 }] }] });
    const pod = await podWhen(cp.natsClient, 'echo', 'Running and Ready', running, 20_000, kubelet);
    expect(pod.status?.podIP).toMatch(/^127\.64\.1\.\d+$/);
    expect(pod.status).toMatchObject({ hostIP: '127.1.0.1', hostIPs: [{ ip: '127.1.0.1' }], podIPs: [{ ip: pod.status?.podIP }] });
    expect(pod.status?.startTime).toBeDefined();
    expect(status(pod, 'echo')).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
      image: 'kubesim/echo',
      containerID: `kubesim://${pod.metadata.uid}-echo-0`,
    });
    expect(status(pod, 'echo')?.imageID).toMatch(/^kubesim:\/\/|@sha256:|kubesim/);
    const types = pod.status?.conditions?.map((c) => `${c.type}=${c.status}`);
    expect(types).toEqual(expect.arrayContaining(['Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']));
    const res = await waitFor('echo to answer', () => httpGet(`http://${pod.status!.podIP}:8080/`));
    expect(res.status).toBe(200);
    const events = await waitFor('events', async () => {
      const ev = await podEvents(cp.natsClient, 'echo');
      return ev.length >= 4 ? ev : undefined;
    });
    expect(events).toEqual([
      'Pulling: Pulling image "kubesim/echo"',
      'Pulled: Successfully pulled image "kubesim/echo" in 5ms (5ms including waiting). Image size: 0 bytes.',
      'Created: Created container echo',
      'Started: Started container echo',
    ]);
  });

  it('gives two pods their own addresses so both listen on port 80', async () => {
    await createPod(cp.natsClient, 'web-a', { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] });
    await createPod(cp.natsClient, 'web-b', { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] });
    const a = await podWhen(cp.natsClient, 'web-a', 'Running', running, 20_000, kubelet);
    const b = await podWhen(cp.natsClient, 'web-b', 'Running', running, 20_000, kubelet);
    expect(a.status?.podIP).not.toBe(b.status?.podIP);
    for (const p of [a, b]) expect((await waitFor('nginx to answer', () => httpGet(`http://${p.status!.podIP}:80/`))).status).toBe(200);
  });

  it('restarts a container whose process was killed with SIGKILL', async () => {
    const pod = await getPod(cp.natsClient, 'web-a');
    const pid = recordedPid(root, pod.metadata.uid!, 'nginx')!;
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const after = await podWhen(cp.natsClient, 'web-a', 'restarted', (p) => status(p, 'nginx')?.restartCount === 1 && running(p), 20_000, kubelet);
    expect(status(after, 'nginx')?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const newPid = recordedPid(root, pod.metadata.uid!, 'nginx')!;
    expect(newPid).not.toBe(pid);
    expect(alive(newPid)).toBe(true);
    expect((await waitFor('nginx to answer again', () => httpGet(`http://${after.status!.podIP}:80/`))).status).toBe(200);
  });

  it('backs off a crashing container with growing delays (CrashLoopBackOff)', async () => {
    await createPod(cp.natsClient, 'crasher', { containers: [{ name: 'app', ...sh('echo crashing; exit 1') }] });
    const messages = new Set<string>();
    await waitFor('two different back-off windows', async () => {
      const p = await getPod(cp.natsClient, 'crasher');
      const w = status(p, 'app')?.state?.waiting;
      if (w?.reason === 'CrashLoopBackOff') messages.add(w.message!.replace(/^back-off (\S+) .*/, '$1'));
      return messages.size >= 2;
    }, 30_000, kubelet);
    expect([...messages].slice(0, 2)).toEqual(['1s', '2s']);
    const p = await getPod(cp.natsClient, 'crasher');
    expect(p.status?.phase).toBe('Running');
    expect(status(p, 'app')?.restartCount).toBeGreaterThanOrEqual(2);
    expect(status(p, 'app')?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const msg = (await podWhen(cp.natsClient, 'crasher', 'in back-off', (x) => waitingReason(x, 'app') === 'CrashLoopBackOff')).status!.containerStatuses![0].state!.waiting!.message;
    expect(msg).toMatch(new RegExp(`^back-off \\d+s restarting failed container=app pod=crasher_default\\(${p.metadata.uid}\\)$`));
    expect(await podEvents(cp.natsClient, 'crasher')).toContain(`BackOff: Back-off restarting failed container app in pod crasher_default(${p.metadata.uid})`);
  });

  it('restarts a container that fails its liveness probe', async () => {
    const probe = { httpGet: { path: '/not-there', port: 80 }, periodSeconds: 1, failureThreshold: 2 };
    await createPod(cp.natsClient, 'unhealthy', { containers: [{ name: 'web', image: 'nginx', livenessProbe: probe }] });
    const p = await podWhen(cp.natsClient, 'unhealthy', 'restarted by liveness', (x) => (status(x, 'web')?.restartCount ?? 0) >= 1, 20_000, kubelet);
    expect(status(p, 'web')?.lastState?.terminated).toBeDefined();
    const events = await podEvents(cp.natsClient, 'unhealthy');
    expect(events).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(events).toContain('Killing: Container web failed liveness probe, will be restarted');
  });

  it('keeps a pod that fails its readiness probe running but not Ready', async () => {
    const probe = { httpGet: { path: '/not-there', port: 80 }, periodSeconds: 1 };
    await createPod(cp.natsClient, 'unready', { containers: [{ name: 'web', image: 'nginx', readinessProbe: probe }] });
    const p = await podWhen(cp.natsClient, 'unready', 'Running', (x) => x.status?.phase === 'Running' && status(x, 'web')?.state?.running !== undefined, 20_000, kubelet);
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await getPod(cp.natsClient, 'unready');
    expect(ready(later)).toBe(false);
    expect(later.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    expect(status(later, 'web')).toMatchObject({ ready: false, restartCount: 0 });
    expect(later.metadata.uid).toBe(p.metadata.uid);
  });

  it('runs init containers one after the other before the app containers', async () => {
    await createPod(cp.natsClient, 'with-init', {
      initContainers: [
        { name: 'first', ...sh('echo first; sleep 1') },
        { name: 'second', ...sh('echo second; sleep 1') },
      ],
      containers: [{ name: 'app', ...sh('echo app; sleep 3600') }],
    });
    const pending = await podWhen(cp.natsClient, 'with-init', 'initializing', (x) => x.status?.initContainerStatuses !== undefined, 10_000, kubelet);
    expect(pending.status?.phase).toBe('Pending');
    const p = await podWhen(cp.natsClient, 'with-init', 'Running', running, 20_000, kubelet);
    const [first, second] = p.status!.initContainerStatuses!;
    expect(first.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(second.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(Date.parse(second.state!.terminated!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(first.state!.terminated!.finishedAt!));
    expect(Date.parse(status(p, 'app')!.state!.running!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(second.state!.terminated!.finishedAt!));
    expect((await logs({ name: 'with-init', container: 'second' })).body).toBe('second\n');
  });

  it('reports an unknown image as ErrImagePull, then ImagePullBackOff', async () => {
    await createPod(cp.natsClient, 'no-image', { containers: [{ name: 'app', image: 'no-such-image:1.0' }] });
    await podWhen(cp.natsClient, 'no-image', 'ErrImagePull', (x) => waitingReason(x, 'app') === 'ErrImagePull', 10_000, kubelet);
    const p = await podWhen(cp.natsClient, 'no-image', 'ImagePullBackOff', (x) => waitingReason(x, 'app') === 'ImagePullBackOff', 10_000, kubelet);
    expect(status(p, 'app')?.state?.waiting?.message).toBe('Back-off pulling image "no-such-image:1.0"');
    expect(p.status?.phase).toBe('Pending');
    const events = await podEvents(cp.natsClient, 'no-image');
    expect(events).toContain('Pulling: Pulling image "no-such-image:1.0"');
    expect(events).toContain('Failed: Error: ErrImagePull');
    expect(events).toContain('BackOff: Back-off pulling image "no-such-image:1.0"');
    expect(events.some((e) => e.startsWith('Failed: Failed to pull image "no-such-image:1.0"'))).toBe(true);
  });

  it('mounts ConfigMap, Secret, emptyDir and hostPath volumes and resolves env from the API', async () => {
    await cp.natsClient.resource(findResource('', 'v1', 'configmaps')!).create({ metadata: { name: 'app-config', namespace: 'default' }, data: { greeting: 'hello' } } as never);
    await cp.natsClient.resource(findResource('', 'v1', 'secrets')!).create({ metadata: { name: 'app-secret', namespace: 'default' }, data: { token: Buffer.from('s3cret').toString('base64') } } as never);
    await createPod(cp.natsClient, 'volumes', {
      volumes: [
        { name: 'cfg', configMap: { name: 'app-config' } },
        { name: 'sec', secret: { secretName: 'app-secret' } },
        { name: 'scratch', emptyDir: {} },
        { name: 'data', hostPath: { path: '/data/kubesim-test', type: 'DirectoryOrCreate' } },
      ],
      initContainers: [{ name: 'prepare', ...sh('echo from-init > /scratch/note'), volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
      containers: [
        {
          name: 'app',
          ...sh('echo "$(cat /etc/cfg/greeting) $(cat /etc/sec/token) $(cat /scratch/note) $GREETING $POD_NAME $POD_IP"; echo kept > /data/out; sleep 3600'),
          env: [
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'greeting' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          ],
          volumeMounts: [
            { name: 'cfg', mountPath: '/etc/cfg' },
            { name: 'sec', mountPath: '/etc/sec', readOnly: true },
            { name: 'scratch', mountPath: '/scratch' },
            { name: 'data', mountPath: '/data' },
          ],
        },
      ],
    });
    const p = await podWhen(cp.natsClient, 'volumes', 'Running', running, 20_000, kubelet);
    const out = await waitFor('the output', async () => {
      const r = await logs({ name: 'volumes', container: 'app' });
      return r.code === 200 && typeof r.body === 'string' && r.body.includes('\n') ? r.body : undefined;
    });
    expect(out).toBe(`hello s3cret from-init hello volumes ${p.status!.podIP}\n`);
    await waitFor('the hostPath file', () => fs.existsSync(path.join(root, 'hostpath/data/kubesim-test/out')));
  });

  it('marks a pod Ready once its exec readiness probe passes', async () => {
    const readinessProbe = { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1 };
    await createPod(cp.natsClient, 'exec-probe', { containers: [{ name: 'app', ...sh('sleep 2; touch /tmp/ready; sleep 3600'), readinessProbe }] });
    const notYet = await podWhen(cp.natsClient, 'exec-probe', 'Running', (x) => x.status?.phase === 'Running', 20_000, kubelet);
    expect(ready(notYet)).toBe(false);
    const p = await podWhen(cp.natsClient, 'exec-probe', 'Ready', ready, 20_000, kubelet);
    expect(status(p, 'app')).toMatchObject({ ready: true, restartCount: 0 });
  });

  it('stops a deleted pod gracefully, removes its files, then removes it from the API', async () => {
    const pod = await getPod(cp.natsClient, 'web-b');
    const pid = recordedPid(root, pod.metadata.uid!, 'nginx')!;
    await cp.natsClient.resource<Pod>(PODS).delete('default', 'web-b');
    await waitFor('web-b to be gone', async () => {
      try {
        await getPod(cp.natsClient, 'web-b');
        return false;
      } catch (err) {
        return (err as { code?: string }).code === 'NotFound';
      }
    }, 15_000, kubelet);
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(path.join(root, 'pods', pod.metadata.uid!))).toBe(false);
    expect(await podEvents(cp.natsClient, 'web-b')).toContain('Killing: Stopping container nginx');
  });
});

describe('container logs over NATS', () => {
  beforeAll(async () => {
    await createPod(cp.natsClient, 'talker', { containers: [{ name: 'app', ...sh('echo hello; echo world; sleep 3600') }] });
    await createPod(cp.natsClient, 'pair', { containers: [{ name: 'a', ...sh('sleep 3600') }, { name: 'b', ...sh('sleep 3600') }] });
    await podWhen(cp.natsClient, 'talker', 'Running', running, 20_000, kubelet);
    await podWhen(cp.natsClient, 'pair', 'Running', running, 20_000, kubelet);
  });

  it('reads a container log, whole or its tail', async () => {
    await waitFor('output', async () => (await logs({ name: 'talker' })).body === 'hello\nworld\n');
    expect(await logs({ name: 'talker', tailLines: 1 })).toEqual({ code: 200, body: 'world\n' });
    expect(await logs({ name: 'talker', limitBytes: 3 })).toEqual({ code: 200, body: 'hel' });
    expect((await logs({ name: 'talker', timestamps: true })).body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello\n/);
  });

  it('asks for a container name when the pod has several', async () => {
    const r = await logs({ name: 'pair' });
    expect(r.code).toBe(400);
    expect(r.body).toMatchObject({ reason: 'BadRequest', message: 'a container name must be specified for pod pair, choose one of: [a b]' });
  });

  it('answers 404 for a pod that is not on this node', async () => {
    const r = await logs({ name: 'nobody' });
    expect(r).toMatchObject({ code: 404, body: { reason: 'NotFound', message: 'pods "nobody" not found' } });
  });

  it('reads the previous attempt of a restarted container, and refuses when there is none', async () => {
    const r = await logs({ name: 'crasher', previous: true });
    expect(r).toEqual({ code: 200, body: 'crashing\n' });
    const none = await logs({ name: 'talker', previous: true });
    expect(none).toMatchObject({ code: 400, body: { message: 'previous terminated container "app" in pod "talker" not found' } });
  });

  it('follows a log until the container stops', async () => {
    await createPod(cp.natsClient, 'counter', { containers: [{ name: 'app', ...sh('for i in 1 2 3; do echo tick $i; sleep 1; done') }], restartPolicy: 'Never' });
    await podWhen(cp.natsClient, 'counter', 'started', (x) => status(x, 'app')?.state?.running !== undefined, 20_000, kubelet);
    const inbox = createInbox();
    const sub = cp.nc.subscribe(inbox);
    const reply = decode<{ code: number; streamId: string }>(
      (await cp.nc.request(LOG_SUBJECTS.follow('node-1'), encode({ namespace: 'default', name: 'counter', inbox }), { timeout: 5_000 })).data,
    );
    expect(reply.code).toBe(200);
    let text = '';
    let seq = 0;
    for await (const m of sub) {
      const frame = decode<{ seq: number; data?: string; end?: boolean }>(m.data);
      expect(frame.seq).toBe(++seq);
      if (frame.end) break;
      text += frame.data;
    }
    sub.unsubscribe();
    expect(text).toBe('tick 1\ntick 2\ntick 3\n');
    const done = await podWhen(cp.natsClient, 'counter', 'Succeeded', (x) => x.status?.phase === 'Succeeded');
    expect(status(done, 'app')?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});
