/**
 * Job reconcile against a real apiserver. The pods' ends (Succeeded, Failed) are seeded through
 * the status subresource, the way a kubelet would report them; the test calls reconcile(key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKey, type Event, type Job, type Pod } from '@kubesim/api';
import { TestControlPlane } from '@kubesim/testing';
import { JobController } from '../src/controllers/job.js';
import { eventually, namespace, res, startInformers, testContext } from './harness.js';

describe('Job reconcile', () => {
  let cp: TestControlPlane;
  let controller: JobController;
  let stop: AbortController;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    cp = await new TestControlPlane(['--profile', 'fast']).start();
    ctx = testContext(cp.natsClient);
    controller = new JobController(ctx);
    stop = await startInformers(ctx);
  });

  afterAll(async () => {
    stop?.abort();
    await cp?.stop();
  });

  const jobs = () => res<Job>(cp.natsClient, 'jobs');
  const pods = () => res<Pod>(cp.natsClient, 'pods');
  const cachedPods = (ns: string) => ctx.informers.resource<Pod>('pods').byNamespace(ns);

  function job(ns: string, spec: Partial<Job['spec']>): Job {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: ns },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'kubesim/sleep', args: ['1'] }] } }, ...spec },
    };
  }

  /** Reconciles once the cache holds the Job and its pods at their latest versions. */
  async function sync(ns: string): Promise<Job> {
    const live = await jobs().get(ns, 'pi');
    const livePods = (await pods().list({ namespace: ns })).items;
    await eventually(
      () =>
        ctx.informers.resource<Job>('jobs', 'batch').get(`${ns}/pi`)?.metadata.resourceVersion === live.metadata.resourceVersion &&
        cachedPods(ns).length === livePods.length &&
        livePods.every((p) => ctx.informers.resource<Pod>('pods').get(objectKey(p))?.metadata.resourceVersion === p.metadata.resourceVersion),
      'cache in step',
    );
    await controller.reconcile(`${ns}/pi`);
    return jobs().get(ns, 'pi');
  }

  /** Seeded state: the pod ended in `phase`. */
  async function end(pod: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
    const finishedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await pods().updateStatus({
      ...pod,
      status: {
        phase,
        containerStatuses: [{ name: 'pi', ready: false, restartCount: 0, image: 'kubesim/sleep', imageID: '', state: { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, finishedAt } } }],
      },
    });
  }

  const active = async (ns: string) => (await pods().list({ namespace: ns })).items.filter((p) => !p.metadata.deletionTimestamp && !p.status?.phase?.match(/Succeeded|Failed/));

  it('runs parallelism pods until completions succeeded, then is Complete', async () => {
    const ns = await namespace(cp.natsClient, 'job');
    const created = await jobs().create(job(ns, { completions: 3, parallelism: 2 }));
    let j = await sync(ns);
    let running = await active(ns);
    expect(running).toHaveLength(2);
    expect(running[0].metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(running[0].metadata.labels).toMatchObject({ 'job-name': 'pi', 'batch.kubernetes.io/controller-uid': created.metadata.uid });
    expect(j.status).toMatchObject({ active: 2 });
    expect(j.status?.startTime).toBeTruthy();

    for (const p of running) await end(p, 'Succeeded');
    j = await sync(ns);
    running = await active(ns);
    expect(running).toHaveLength(1);
    expect(j.status).toMatchObject({ active: 1, succeeded: 2 });

    await end(running[0], 'Succeeded');
    j = await sync(ns);
    expect(j.status).toMatchObject({ succeeded: 3 });
    expect(j.status?.active).toBeUndefined();
    expect(j.status?.completionTime).toBeTruthy();
    expect(j.status?.conditions).toEqual([expect.objectContaining({ type: 'Complete', status: 'True' })]);
    const events = await eventually(async () => {
      const list = (await res<Event>(cp.natsClient, 'events').list({ namespace: ns })).items;
      return list.some((e) => e.reason === 'Completed') ? list : undefined;
    });
    expect(events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
    expect(events.find((e) => e.reason === 'Completed')).toMatchObject({ message: 'Job completed', source: { component: 'job-controller' } });
  });

  it('replaces a failed pod, and fails with BackoffLimitExceeded past the backoff limit', async () => {
    const ns = await namespace(cp.natsClient, 'job');
    await jobs().create(job(ns, { backoffLimit: 1 }));
    await sync(ns);
    await end((await active(ns))[0], 'Failed');
    // The replacement waits out the failure backoff (fast profile: half a second).
    await sync(ns);
    await new Promise((r) => setTimeout(r, 600));
    let j = await sync(ns);
    expect(await active(ns)).toHaveLength(1);
    expect(j.status).toMatchObject({ active: 1, failed: 1 });

    await end((await active(ns))[0], 'Failed');
    j = await sync(ns);
    expect(j.status?.failed).toBe(2);
    expect(j.status?.conditions).toEqual([
      expect.objectContaining({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }),
    ]);
    expect(await active(ns)).toHaveLength(0);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and stops its pods', async () => {
    const ns = await namespace(cp.natsClient, 'job');
    await jobs().create(job(ns, { activeDeadlineSeconds: 1, parallelism: 2, completions: 4 }));
    await sync(ns);
    expect(await active(ns)).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1100));
    const j = await sync(ns);
    expect(j.status?.conditions).toEqual([expect.objectContaining({ type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' })]);
    expect(await active(ns)).toHaveLength(0);
  });
});
