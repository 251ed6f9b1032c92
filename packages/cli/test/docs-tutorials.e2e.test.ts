/**
 * Two Kubernetes documentation tutorials, step by step with the stock kubectl and their
 * manifests unchanged, on a cluster from `kubesim up`: "Exposing an External IP Address to
 * Access an Application in a Cluster" (hello-app behind a LoadBalancer, 5 replicas) and
 * "Connect a Frontend to a Backend Using Services" (nginx frontend → `hello` Service → backend).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOnce } from '../src/chaos/traffic.js';
import { UpCluster, waitFor } from './up-cluster.js';

const MANIFESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'manifests');
const cluster = new UpCluster();

beforeAll(async () => {
  await cluster.start(3);
}, 120_000);
afterAll(() => cluster.stop());

const kubectl = (...args: string[]) => cluster.kubectl(...args);

/** The EXTERNAL-IP column of `kubectl get service NAME`, once it is no longer <pending>. */
async function externalIP(service: string): Promise<string> {
  let ip = '';
  await waitFor(`an EXTERNAL-IP for ${service}`, async () => {
    const row = kubectl('get', 'service', service).trim().split('\n')[1].split(/\s+/);
    ip = row[3];
    return ip !== '<pending>';
  });
  return ip;
}

describe('Exposing an External IP Address to Access an Application in a Cluster', () => {
  it('runs hello-app behind a LoadBalancer and answers curl on the external address', async () => {
    kubectl('apply', '-f', path.join(MANIFESTS, 'load-balancer-example.yaml'));
    await waitFor('hello-world 5/5', async () => /^hello-world\s+5\/5\s+5\s+5\s/m.test(kubectl('get', 'deployments', 'hello-world')));
    expect(kubectl('describe', 'deployments', 'hello-world')).toMatch(/Replicas:\s+5 desired \| 5 updated \| 5 total \| 5 available \| 0 unavailable/);
    await waitFor('its ReplicaSet 5 ready', async () => /^hello-world-[a-z0-9]+\s+5\s+5\s+5\s/m.test(kubectl('get', 'replicasets')));
    expect(kubectl('expose', 'deployment', 'hello-world', '--type=LoadBalancer', '--name=my-service').trim()).toBe('service/my-service exposed');

    const ip = await externalIP('my-service');
    const row = kubectl('get', 'services', 'my-service').trim().split('\n');
    expect(row[0].split(/\s+/)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(row[1]).toMatch(/^my-service\s+LoadBalancer\s+127\.128\.\d+\.\d+\s+127\.200\.\d+\.\d+\s+8080:3\d{4}\/TCP\s/);
    await waitFor('5 endpoints', async () => /Endpoints:\s+(\d+\.){3}\d+:8080,(\d+\.){3}\d+:8080,(\d+\.){3}\d+:8080 \+ 2 more\.\.\./.test(kubectl('describe', 'services', 'my-service')));
    const described = kubectl('describe', 'services', 'my-service');
    expect(described).toMatch(new RegExp(`LoadBalancer Ingress:\\s+${ip.replace(/\./g, '\\.')}`));
    expect(described).toMatch(/Port:\s+<unset>\s+8080\/TCP/);
    const pods = kubectl('get', 'pods', '--output=wide').trim().split('\n').slice(1).filter((l) => l.startsWith('hello-world-'));
    expect(pods).toHaveLength(5);
    expect(pods.every((l) => /\s1\/1\s+Running\s/.test(l))).toBe(true);

    const hostnames = new Set<string>();
    await waitFor('answers from several replicas', async () => {
      const body = await getOnce(`http://${ip}:8080`, 3000);
      expect(body).toMatch(/^Hello, world!\nVersion: 2\.0\.0\nHostname: hello-world-[a-z0-9]+-[a-z0-9]{5}\n$/);
      hostnames.add(body.split('Hostname: ')[1]);
      return hostnames.size >= 3;
    });

    expect(kubectl('delete', 'services', 'my-service').trim()).toBe('service "my-service" deleted');
    expect(kubectl('delete', 'deployment', 'hello-world').trim()).toBe('deployment.apps "hello-world" deleted');
    await waitFor('the pods gone', async () => !kubectl('get', 'pods').includes('hello-world-'));
  }, 120_000);
});

describe('Connect a Frontend to a Backend Using Services', () => {
  it('reaches the backend through the frontend’s external address', async () => {
    expect(kubectl('apply', '-f', path.join(MANIFESTS, 'backend-deployment.yaml')).trim()).toBe('deployment.apps/backend created');
    expect(kubectl('describe', 'deployment', 'backend')).toMatch(/Selector:\s+app=hello,tier=backend,track=stable/);
    expect(kubectl('apply', '-f', path.join(MANIFESTS, 'backend-service.yaml')).trim()).toBe('service/hello created');
    await waitFor('backend 3/3', async () => /^backend\s+3\/3\s/m.test(kubectl('get', 'deployment', 'backend')));
    expect(kubectl('apply', '-f', path.join(MANIFESTS, 'frontend.yaml')).trim().split('\n')).toEqual(['service/frontend created', 'deployment.apps/frontend created']);

    const ip = await externalIP('frontend');
    expect(kubectl('get', 'service', 'frontend').trim().split('\n')[1]).toMatch(/^frontend\s+LoadBalancer\s+\S+\s+127\.200\.\d+\.\d+\s+80:3\d{4}\/TCP\s/);
    await waitFor('the frontend answers', async () => getOnce(`http://${ip}`, 3000).then((b) => b === '{"message":"Hello"}', () => false));
    for (let i = 0; i < 10; i++) expect(await getOnce(`http://${ip}`, 3000)).toBe('{"message":"Hello"}');

    expect(kubectl('delete', 'services', 'frontend', 'hello').trim().split('\n')).toEqual(['service "frontend" deleted', 'service "hello" deleted']);
    expect(kubectl('delete', 'deployment', 'frontend', 'backend').trim().split('\n')).toEqual(['deployment.apps "frontend" deleted', 'deployment.apps "backend" deleted']);
  }, 120_000);
});
