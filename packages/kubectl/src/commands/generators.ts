/**
 * The objects `kubectl create <generator>` and `kubectl run` build, shaped as kubectl 1.31 sends
 * them (for example a Deployment's container named after its image, `strategy: {}` left for the
 * server to default).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '@kubesim/api';
import { CommandError } from '../errors.js';

export function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {}, status: {} };
}

/** kubectl's container name for an image: its last path segment without tag or digest. */
export function containerNameFor(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? noDigest;
  const base = last.split(':')[0];
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export function deploymentObject(name: string, images: string[], replicas: number, port: number): KubeObject {
  const labels = { app: name };
  const containers = images.map((image, i) => {
    const c: Record<string, unknown> = { name: containerNameFor(image), image, resources: {} };
    if (port >= 0 && i === 0) c.ports = [{ containerPort: port }];
    return c;
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

/** Parses `key=value` pairs (`--from-literal`) into a map; duplicate keys are an error. */
export function literals(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CommandError(`invalid literal source ${pair}, expected key=value`);
    const key = pair.slice(0, eq);
    if (key in out) throw new CommandError(`cannot add key ${key}, another key by that name already exists in data: ${JSON.stringify(out)}`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

/** Reads `--from-file` sources (`path` or `key=path`) into a map of file contents. */
export function fileSources(sources: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const src of sources) {
    const eq = src.indexOf('=');
    const [key, file] = eq > 0 ? [src.slice(0, eq), src.slice(eq + 1)] : [path.basename(src), src];
    if (!fs.existsSync(file)) throw new CommandError(`error reading ${file}: no such file or directory`);
    out[key] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

export function configMapObject(name: string, fromLiteral: string[], fromFile: string[]): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { ...fileSources(fromFile), ...literals(fromLiteral) } } as KubeObject;
}

export function secretObject(name: string, fromLiteral: string[], fromFile: string[], type: string): KubeObject {
  const raw = { ...fileSources(fromFile), ...literals(fromLiteral) };
  const data = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
  const secret: Record<string, unknown> = { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data };
  if (type) secret.type = type;
  return secret as unknown as KubeObject;
}

/** A Service from `--tcp=port[:targetPort]` pairs, selecting `app=<name>` as kubectl does. */
export function serviceObject(name: string, type: 'ClusterIP' | 'NodePort', tcp: string[], nodePort: number): KubeObject {
  const ports = tcp.map((spec) => {
    const [p, t] = spec.split(':');
    const port = Number(p);
    if (!Number.isInteger(port)) throw new CommandError(`invalid port ${spec}`);
    const target = t === undefined ? port : /^\d+$/.test(t) ? Number(t) : t;
    const entry: Record<string, unknown> = { name: `${p}-${t ?? p}`, port, protocol: 'TCP', targetPort: target };
    if (type === 'NodePort' && nodePort > 0) entry.nodePort = nodePort;
    return entry;
  });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: name } },
    spec: { ports, selector: { app: name }, type },
    status: { loadBalancer: {} },
  };
}

/** What `kubectl run` puts in its Pod. */
export interface RunPodParams {
  name: string;
  image: string;
  /** Arguments after the name (after `--`): the container's args, or its command with `command`. */
  extra: string[];
  command: boolean;
  port: string;
  env: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  restart: string;
  imagePullPolicy: string;
  privileged: boolean;
}

/** The Pod `kubectl run` creates, fields in the order kubectl sends them. */
export function runPodObject(p: RunPodParams): KubeObject {
  const container: Record<string, unknown> = { name: p.name, image: p.image };
  if (p.extra.length > 0) container[p.command ? 'command' : 'args'] = p.extra;
  if (p.port) {
    if (!/^[+-]?\d+$/.test(p.port)) throw new CommandError(`strconv.Atoi: parsing "${p.port}": invalid syntax`);
    container.ports = [{ containerPort: Number(p.port) }];
  }
  if (p.env.length > 0) container.env = p.env.map(envVar);
  container.resources = {};
  if (p.imagePullPolicy) container.imagePullPolicy = p.imagePullPolicy;
  if (p.privileged) container.securityContext = { privileged: true };
  const metadata: Record<string, unknown> = { name: p.name, creationTimestamp: null, labels: p.labels };
  if (Object.keys(p.annotations).length > 0) metadata.annotations = p.annotations;
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata,
    spec: { containers: [container], restartPolicy: p.restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  } as unknown as KubeObject;
}

function envVar(spec: string): { name: string; value: string } {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new CommandError(`invalid env: ${spec}`);
  return { name: spec.slice(0, eq), value: spec.slice(eq + 1) };
}
