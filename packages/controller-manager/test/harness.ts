/**
 * Shared pieces of the suites that run against a real control plane: controllers built on the
 * test's API client (their reconcile called by the test, or their workers run in-process), the
 * controller-manager as a real process, polling, and object builders.
 */
import fs from 'node:fs';
import { RESOURCES, realClock, type ApiClient, type Deployment, type KubeObject, type ResourceClient, type ResourceInfo } from '@kubesim/api';
import { TestProcess, repoPath, type TestControlPlane } from '@kubesim/testing';
import type { ControllerContext } from '../src/controllers/context.js';
import { SharedInformerFactory } from '../src/informers.js';
import { FAST_SETTINGS } from '../src/settings.js';
import { eventually as poll } from '@kubesim/testing';

export const info = (plural: string): ResourceInfo => RESOURCES.find((r) => r.plural === plural && !r.storageVersion)!;

/** A typed client for a resource by plural. */
export function res<T extends KubeObject = any>(client: ApiClient, plural: string): ResourceClient<T> {
  return client.resource<T>(info(plural));
}

/** Polls `cond` every 50 ms until it holds; fails with `what` after `ms`. */
export function eventually<T>(cond: () => T | Promise<T>, what = 'condition', ms = 30_000): Promise<NonNullable<T>> {
  return poll(what, async () => ((await cond()) || undefined) as NonNullable<T> | undefined, { timeoutMs: ms, intervalMs: 50 });
}

/** A controller context on the test's client, with fast settings and quiet logs. */
export function testContext(client: ApiClient): ControllerContext {
  return {
    client,
    informers: new SharedInformerFactory(client, { log: () => undefined }),
    clock: realClock,
    log: () => () => undefined,
    settings: FAST_SETTINGS,
  };
}

/** Starts the context's informers and waits for them to sync; the returned function stops them. */
export async function startInformers(ctx: ControllerContext): Promise<AbortController> {
  const stop = new AbortController();
  ctx.informers.start(stop.signal);
  await ctx.informers.waitForSync(stop.signal);
  return stop;
}

/** Creates a namespace with a unique name. */
export async function namespace(client: ApiClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
  await res(client, 'namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/** The controller-manager as a real process against the control plane. */
export function startControllerManager(cp: TestControlPlane, extra: string[] = []): TestProcess {
  return new TestProcess('controller-manager', process.execPath, [
    repoPath('packages/controller-manager/dist/main.js'),
    '--nats-url',
    cp.nats.url,
    '--profile',
    'fast',
    ...extra,
  ]);
}

/** A Deployment of the kubesim/web image. */
export function webDeployment(ns: string, name: string, replicas: number, extra: Partial<Deployment['spec']> = {}, image = 'kubesim/web:v1'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }] }] } },
      ...extra,
    },
  };
}

/**
 * Kills (by pid) every process whose working directory lies under `dir`: the pod processes a
 * test's kubelet started there. A kubelet leaves its pods running when it stops (a new kubelet
 * adopts them), so a suite that stops its kubelet reaps what is left. Linux only (/proc).
 */
export function reapProcessesUnder(dir: string): number {
  let killed = 0;
  for (const entry of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    let cwd: string;
    try {
      cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
    } catch {
      continue;
    }
    if (!cwd.startsWith(`${dir}/`)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      killed++;
    } catch {
      // Gone meanwhile.
    }
  }
  return killed;
}
