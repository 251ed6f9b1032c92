/**
 * The bounded chaos soak, through `kubesim chaos` itself: on a `kubesim up` cluster (fast
 * profile, 3 nodes) with 3 Deployments of 3 replicas behind one LoadBalancer and 50 ConfigMaps,
 * two minutes of a fault every 5 s at random targets of every kind (nodes, pods, components,
 * the apiserver, nats-server) with random actions, cutting nodes off from NATS too. Afterwards nothing is lost, every Deployment
 * is back to its declared replicas within the recovery bound, and the LoadBalancer served
 * ≥ 99% of the requests. The report's figures are printed.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type KubeObject } from '@kubesim/api';
import { formatReport, parseTarget, planFaults, TARGET_KINDS, type ChaosReport } from '../src/index.js';
import { CLI_MAIN } from './fixtures.js';
import { getOnce } from '../src/chaos/traffic.js';
import { UpCluster, waitFor } from './up-cluster.js';

const SEED = 6;
const EVERY = '5s';
const FOR = '2m';
/** The longest the cluster may take to be back to its declared state after the last fault. */
const RECOVERY_BOUND_MS = 60_000;
const DEPLOYMENTS = ['web-1', 'web-2', 'web-3'];
const CONFIGMAPS = 50;

const cluster = new UpCluster();
const r = (plural: string) => cluster.client.resource(RESOURCES.find((x) => x.plural === plural)!);

function deployment(name: string): KubeObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web', deployment: name } },
      template: {
        metadata: { labels: { app: 'web', deployment: name } },
        spec: {
          containers: [
            { name: 'web', image: 'kubesim/web:v1', ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } },
          ],
        },
      },
    },
  } as KubeObject;
}

async function allAvailable(): Promise<boolean> {
  const list = (await r('deployments').list({ namespace: 'default' })).items as any[];
  return list.length === DEPLOYMENTS.length && list.every((d) => d.status?.availableReplicas === d.spec.replicas);
}

/** `kubesim chaos … --json` as its own process; resolves to the parsed report. */
function runChaosCommand(args: string[]): Promise<{ code: number | null; report: ChaosReport; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, 'chaos', '--data-dir', cluster.dataDir, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let log = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (log += c));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, report: JSON.parse(stdout) as ChaosReport, log });
      } catch {
        reject(new Error(`kubesim chaos exited ${code} without a JSON report:\n${stdout}\n${log}`));
      }
    });
  });
}

beforeAll(async () => {
  await cluster.start(3);
  for (let i = 0; i < CONFIGMAPS; i++) {
    await r('configmaps').create({ metadata: { name: `soak-${i}`, namespace: 'default', labels: { soak: 'yes' } }, data: { i: String(i) } } as KubeObject);
  }
  for (const name of DEPLOYMENTS) await r('deployments').create(deployment(name));
  await r('services').create({ metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } as KubeObject);
  await waitFor('3 Deployments available', allAvailable, 90_000);
  await waitFor('9 ready endpoints', async () => (((await r('endpoints').get('default', 'web')) as any).subsets?.[0]?.addresses ?? []).length === 9);
  await waitFor('an EXTERNAL-IP', async () => !!((await r('services').get('default', 'web')) as any).status?.loadBalancer?.ingress?.[0]?.ip);
  const ip = ((await r('services').get('default', 'web')) as any).status.loadBalancer.ingress[0].ip;
  await waitFor('the LoadBalancer answers', async () => getOnce(`http://${ip}/`, 2000).then(() => true, () => false));
}, 180_000);
afterAll(() => cluster.stop(), 60_000);

describe('a 2-minute chaos soak through kubesim chaos', () => {
  it('uses a seed whose schedule hits every kind of process', () => {
    const plan = planFaults({ target: parseTarget('random'), action: 'random', everyMs: 5000, forMs: 120_000, seed: SEED, cutAvailable: true });
    expect(plan).toHaveLength(24);
    expect(new Set(plan.map((f) => f.kind))).toEqual(new Set(TARGET_KINDS));
    expect(new Set(plan.map((f) => f.action))).toEqual(new Set(['kill', 'pause', 'restart', 'cut']));
  });

  it('loses nothing, recovers within the bound and keeps the LoadBalancer at ≥ 99%', async () => {
    const { code, report, log } = await runChaosCommand([
      '--target', 'random', '--fault', 'random', '--every', EVERY, '--for', FOR, '--seed', String(SEED),
      '--duration', '3s', '--service', 'default/web', '--recovery-timeout', `${RECOVERY_BOUND_MS / 1000}s`,
    ]);
    console.log(`kubesim chaos soak, seed ${SEED}:\n${log}\n${formatReport(report)}`);

    const hitKinds = new Set(report.faults.filter((f) => f.error === null).map((f) => (f.target.includes('/') ? f.target.split('/')[0] : f.target)));
    expect(report.faults).toHaveLength(24);
    expect(hitKinds).toEqual(new Set(['node', 'pod', 'component', 'apiserver', 'nats']));
    expect(code).toBe(0);
    expect(report.recovery.recovered).toBe(true);
    expect(report.recovery.afterLastFaultMs).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    expect(report.deployments.map((d) => [d.name, d.available])).toEqual(DEPLOYMENTS.map((d) => [`default/${d}`, 3]));
    expect(report.traffic!.successRate).toBeGreaterThanOrEqual(0.99);

    const configMaps = (await r('configmaps').list({ namespace: 'default', labelSelector: 'soak=yes' })).items;
    expect(configMaps.map((c) => c.metadata.name).sort()).toEqual(Array.from({ length: CONFIGMAPS }, (_, i) => `soak-${i}`).sort());
    expect(((await r('deployments').list({ namespace: 'default' })).items as any[]).map((d) => d.metadata.name).sort()).toEqual(DEPLOYMENTS);
    expect(((await r('services').get('default', 'web')) as any).spec.type).toBe('LoadBalancer');
    expect(await allAvailable()).toBe(true);
  }, 300_000);
});
