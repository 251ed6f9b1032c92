import { describe, expect, it } from 'vitest';
import type { Pod } from '@kubesim/api';
import { computePodStatus, podPhase, type ContainerNow, type ContainerView } from '../src/status.js';

const T0 = '2025-01-01T00:00:00Z';
const term = (exitCode: number) => ({ terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: T0, finishedAt: T0, containerId: 'kubesim://x' } });
const running: ContainerNow = { running: { startedAt: T0 } };
const waiting = (reason: string): ContainerNow => ({ waiting: { reason } });
const view = (name: string, now: ContainerNow, extra: Partial<ContainerView> = {}): ContainerView => ({
  name,
  image: 'nginx',
  imageID: 'kubesim://docker.io/library/nginx:latest',
  restartCount: 0,
  now,
  ready: false,
  started: false,
  ...extra,
});
const pod = (restartPolicy = 'Always', status: Pod['status'] = {}): Pod => ({
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { restartPolicy, containers: [{ name: 'a' }] },
  status: { qosClass: 'BestEffort', ...status },
});

describe('pod phase', () => {
  it.each<[string, string, ContainerView[], ContainerView[], string]>([
    ['init containers still to run', 'Always', [view('i', running)], [view('a', waiting('PodInitializing'))], 'Pending'],
    ['a failed init container under Never', 'Never', [view('i', term(1))], [view('a', waiting('PodInitializing'))], 'Failed'],
    ['a failed init container retried under OnFailure', 'OnFailure', [view('i', term(1))], [view('a', waiting('PodInitializing'))], 'Pending'],
    ['containers being created', 'Always', [], [view('a', waiting('ContainerCreating'))], 'Pending'],
    ['one running, one creating', 'Always', [], [view('a', running), view('b', waiting('ContainerCreating'))], 'Pending'],
    ['all running', 'Always', [view('i', term(0))], [view('a', running)], 'Running'],
    ['crash-looping under Always', 'Always', [], [view('a', waiting('CrashLoopBackOff'), { last: term(1).terminated })], 'Running'],
    ['all exited 0 under OnFailure', 'OnFailure', [], [view('a', term(0)), view('b', term(0))], 'Succeeded'],
    ['one failed under Never', 'Never', [], [view('a', term(0)), view('b', term(2))], 'Failed'],
    ['exited under Always (about to restart)', 'Always', [], [view('a', term(0))], 'Running'],
  ])('%s → %s', (_n, policy, init, app, phase) => {
    expect(podPhase({ pod: pod(policy), init, app })).toBe(phase);
  });
});

describe('pod status', () => {
  const now = new Date('2025-01-01T00:01:00Z');

  it('reports a running, ready pod with its addresses and keeps qosClass', () => {
    const s = computePodStatus({
      pod: pod(),
      hostIP: '127.1.0.1',
      podIP: '127.64.1.2',
      startTime: T0,
      init: [],
      app: [view('a', running, { ready: true, started: true, containerId: 'kubesim://u1-a-0' })],
      now,
    });
    expect(s).toMatchObject({
      phase: 'Running',
      hostIP: '127.1.0.1',
      hostIPs: [{ ip: '127.1.0.1' }],
      podIP: '127.64.1.2',
      podIPs: [{ ip: '127.64.1.2' }],
      startTime: T0,
      qosClass: 'BestEffort',
      containerStatuses: [
        { name: 'a', state: { running: { startedAt: T0 } }, lastState: {}, ready: true, started: true, restartCount: 0, image: 'nginx', containerID: 'kubesim://u1-a-0' },
      ],
    });
    const byType = Object.fromEntries(s.conditions!.map((c) => [c.type, c.status]));
    expect(byType).toEqual({ PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
    expect(s.initContainerStatuses).toBeUndefined();
  });

  it('names the unready containers and keeps transition times that did not change', () => {
    const old = pod('Always', { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: T0 }, { type: 'PodScheduled', status: 'True', lastTransitionTime: T0 }] });
    const s = computePodStatus({ pod: old, hostIP: '127.1.0.1', podIP: '127.64.1.2', init: [], app: [view('a', running), view('b', running, { ready: true })], now });
    const ready = s.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]', lastTransitionTime: T0 });
    expect(s.conditions!.find((c) => c.type === 'ContainersReady')!.lastTransitionTime).toBe('2025-01-01T00:01:00Z');
    expect(s.conditions!.find((c) => c.type === 'PodScheduled')!.lastTransitionTime).toBe(T0);
  });

  it('lists init containers still to complete and shows a crash loop with its last state', () => {
    const crash = { ...view('a', { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=a pod=web_default(u1)' } }), restartCount: 2, last: term(1).terminated };
    const s = computePodStatus({ pod: pod(), hostIP: 'h', podIP: 'p', init: [view('i1', term(0)), view('i2', running)], app: [crash], now });
    expect(s.conditions!.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i2]' });
    expect(s.initContainerStatuses!.map((c) => Object.keys(c.state!)[0])).toEqual(['terminated', 'running']);
    expect(s.containerStatuses![0]).toMatchObject({
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      restartCount: 2,
    });
  });

  it('marks a finished pod not ready with reason PodCompleted', () => {
    const s = computePodStatus({ pod: pod('Never'), hostIP: 'h', podIP: 'p', init: [], app: [view('a', term(0))], terminal: { phase: 'Succeeded' }, now });
    expect(s.phase).toBe('Succeeded');
    expect(s.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('reports a deadline with reason and message', () => {
    const terminal = { phase: 'Failed' as const, reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
    const s = computePodStatus({ pod: pod(), hostIP: 'h', podIP: 'p', init: [], app: [view('a', term(137))], terminal, now });
    expect(s).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
  });
});
