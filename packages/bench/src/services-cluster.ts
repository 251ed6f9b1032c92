/**
 * The cluster the Services benchmark loads: a {@link TestCluster} of real processes plus one
 * kubesim-proxy per node (the first also serving ClusterIPs) and kubesim-lb, a Deployment of
 * kubesim/web and a LoadBalancer Service in front of it. Addresses and ports are chosen to stay
 * clear of other clusters running on the same machine (see the settings).
 */
import path from 'node:path';
import { findResource, type ApiClient, type Deployment, type Endpoints, type KubeObject, type Node, type Pod, type ResourceClient, type Service } from '@kubesim/api';
import { findContainerProcesses, killNodeContainers } from '@kubesim/kubelet';
import { eventually, TestCluster, type TestProcess } from '@kubesim/testing';
import type { HttpTarget } from './http-load.js';

/** What the benchmark cluster is built with. */
export interface ServicesClusterSettings {
  nodes: number;
  replicas: number;
  /** The port kubesim/web listens on in each pod ($PORT). */
  podPort: number;
  /** The Service's port, on its ClusterIP and its external IP. */
  servicePort: number;
  /** The nodePort asked for (fixed, so the proxies do not take one another cluster uses). */
  nodePort: number;
  /** The node proxies' health port, which the LB checks (kube-proxy's 10256 is left to others). */
  healthzPort: number;
  /** CIDR of the LoadBalancer's external addresses. */
  lbRange: string;
}

/** Where the benchmark's traffic goes, once everything answers. */
export interface ServiceTargets {
  /** Every replica's pod IP and port. */
  pods: (HttpTarget & { name: string; node: string })[];
  clusterIP: HttpTarget;
  /** The nodePort on the node running the first pod. */
  nodePortWithPod: HttpTarget & { node: string };
  /** The nodePort on a node running none of the pods; absent when every node runs one. */
  nodePortWithoutPod?: HttpTarget & { node: string };
  loadBalancer: HttpTarget;
}

const NAME = 'svc-bench';
const NAMESPACE = 'default';
/** The page kubesim/web serves names the pod, which tells our cluster's answers from anyone else's. */
export const BENCH_PATH = '/';

function resource<T extends KubeObject>(client: ApiClient, group: string, version: string, plural: string): ResourceClient<T> {
  return client.resource<T>(findResource(group, version, plural)!);
}

export class ServicesCluster {
  readonly cluster: TestCluster;
  private readonly extra: TestProcess[] = [];
  private stopping?: Promise<number>;

  /** Does no I/O. */
  constructor(readonly settings: ServicesClusterSettings) {
    this.cluster = new TestCluster({ nodes: settings.nodes });
  }

  /** Starts every process, creates the Deployment and the Service; resolves once every target answers with one of our pods. */
  async start(): Promise<ServiceTargets> {
    await this.cluster.start();
    const s = this.settings;
    for (let i = 1; i <= s.nodes; i++) {
      const args = ['--node-name', `node-${i}`, '--node-ip', `127.1.0.${i}`, '--healthz-port', String(s.healthzPort)];
      this.extra.push(this.cluster.component(`proxy-node-${i}`, 'packages/lb/dist/proxy-main.js', i === 1 ? [...args, '--cluster-ips'] : args));
    }
    this.extra.push(this.cluster.component('lb', 'packages/lb/dist/lb-main.js', ['--address-range', s.lbRange, '--health-check-port', String(s.healthzPort)]));
    const client = this.cluster.cp.natsClient;
    await resource<Deployment>(client, 'apps', 'v1', 'deployments').create(deployment(s));
    await resource<Service>(client, '', 'v1', 'services').create(service(s));
    const targets = await this.targets();
    for (const t of [...targets.pods, targets.clusterIP, targets.nodePortWithPod, targets.nodePortWithoutPod, targets.loadBalancer]) {
      if (t) await eventually(`an answer from ${NAME} on ${t.host}:${t.port}`, () => answersFromOurPods(t, targets.pods), { timeoutMs: 30_000, context: () => this.logs() });
    }
    return targets;
  }

  /**
   * Stops our proxies and LB, then the cluster (which kills the pods' processes); resolves with
   * the number of pod processes that had to be killed afterwards (0 when the cluster cleaned up).
   * Calling it again (a signal during the run) waits for the same shutdown.
   */
  stop(): Promise<number> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<number> {
    await Promise.all(this.extra.map((p) => p.kill('SIGTERM')));
    await this.cluster.stop();
    let leftover = 0;
    for (let i = 1; i <= this.settings.nodes; i++) {
      const dir = path.join(this.cluster.rootDir, `node-${i}`);
      if (findContainerProcesses(dir).length > 0) leftover += await killNodeContainers(dir);
    }
    return leftover;
  }

  /** The tail of the proxies' and LB's output, for a failure message. */
  logs(): string {
    return this.extra.map((p) => `--- ${p.name}\n${p.log.slice(-2000)}`).join('\n');
  }

  private async targets(): Promise<ServiceTargets> {
    const client = this.cluster.cp.natsClient;
    const s = this.settings;
    const ready = await eventually(`${s.replicas} ready endpoints of ${NAME}`, async () => {
      const ep = await resource<Endpoints>(client, '', 'v1', 'endpoints').get(NAMESPACE, NAME);
      const addresses = (ep.subsets ?? []).flatMap((sub) => sub.addresses ?? []);
      return addresses.length === s.replicas && addresses;
    }, { timeoutMs: 60_000 });
    const nodeIPs = await this.nodeIPs();
    const podNames = await this.podNamesByIP();
    const pods = ready.map((a) => ({ host: a.ip, port: s.podPort, name: podNames.get(a.ip) ?? '?', node: a.nodeName ?? '?' }));
    const svc = await eventually(`an external IP for ${NAME}`, async () => {
      const got = await resource<Service>(client, '', 'v1', 'services').get(NAMESPACE, NAME);
      return got.status?.loadBalancer?.ingress?.[0]?.ip ? got : undefined;
    });
    const withPod = pods[0].node;
    const withoutPod = [...nodeIPs.keys()].find((n) => !pods.some((p) => p.node === n));
    return {
      pods,
      clusterIP: { host: svc.spec!.clusterIP!, port: s.servicePort },
      nodePortWithPod: { host: nodeIPs.get(withPod)!, port: s.nodePort, node: withPod },
      ...(withoutPod ? { nodePortWithoutPod: { host: nodeIPs.get(withoutPod)!, port: s.nodePort, node: withoutPod } } : {}),
      loadBalancer: { host: svc.status!.loadBalancer!.ingress![0].ip!, port: s.servicePort },
    };
  }

  /** Node name → InternalIP, as the kubelets registered them. */
  private async nodeIPs(): Promise<Map<string, string>> {
    const nodes = await resource<Node>(this.cluster.cp.natsClient, '', 'v1', 'nodes').list();
    const out = new Map<string, string>();
    for (const n of nodes.items) {
      const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      if (ip) out.set(n.metadata.name!, ip);
    }
    return new Map([...out].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
  }

  private async podNamesByIP(): Promise<Map<string, string>> {
    const pods = await resource<Pod>(this.cluster.cp.natsClient, '', 'v1', 'pods').list({ namespace: NAMESPACE, labelSelector: `app=${NAME}` });
    return new Map(pods.items.filter((p) => p.status?.podIP).map((p) => [p.status!.podIP!, p.metadata.name!]));
  }
}

/** True when `target` answers with a page served by one of `pods` (not by another cluster's pod). */
async function answersFromOurPods(target: HttpTarget, pods: readonly { name: string }[]): Promise<boolean> {
  const res = await fetch(`http://${target.host}:${target.port}${BENCH_PATH}`, { signal: AbortSignal.timeout(2000) });
  const body = await res.text();
  return res.status === 200 && pods.some((p) => body.includes(`<b>${p.name}</b>`));
}

function deployment(s: ServicesClusterSettings): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: NAMESPACE },
    spec: {
      replicas: s.replicas,
      selector: { matchLabels: { app: NAME } },
      template: {
        metadata: { labels: { app: NAME } },
        spec: {
          containers: [{ name: 'web', image: 'kubesim/web:v1', env: [{ name: 'PORT', value: String(s.podPort) }], ports: [{ name: 'http', containerPort: s.podPort }] }],
        },
      },
    },
  } as Deployment;
}

/** A LoadBalancer Service with a random ClusterIP (not the first free one, which other clusters on this machine also get). */
function service(s: ServicesClusterSettings): Service {
  const clusterIP = `127.128.${200 + Math.floor(Math.random() * 50)}.${2 + Math.floor(Math.random() * 250)}`;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME, namespace: NAMESPACE },
    spec: {
      type: 'LoadBalancer',
      clusterIP,
      selector: { app: NAME },
      ports: [{ name: 'http', protocol: 'TCP', port: s.servicePort, targetPort: 'http', nodePort: s.nodePort }],
    },
  } as Service;
}
