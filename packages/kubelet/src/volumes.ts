/**
 * Pod volumes as directories on the node: emptyDir and the files of configMap, secret and
 * downwardAPI volumes under the pod's directory; hostPath (and PersistentVolumes backed by one)
 * under kubesim's own `<root>/hostpath`, so a manifest never touches the real host.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  Service, ConfigMap, Container, DeepReadonly, KeyToPath, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Volume } from '@kubesim/api';
import { fieldRefValue, resourceFieldValue, type PodRuntimeInfo } from './env.js';
import type { NodeLayout } from './layout.js';

type RO<T> = DeepReadonly<T>;

/** Reads the objects volumes are made from; undefined when absent. */
export interface VolumeSources {
  configMap(namespace: string, name: string): Promise<RO<ConfigMap> | undefined>;
  secret(namespace: string, name: string): Promise<RO<Secret> | undefined>;
  claim(namespace: string, name: string): Promise<RO<PersistentVolumeClaim> | undefined>;
  volume(name: string): Promise<RO<PersistentVolume> | undefined>;
  /** The Services of a namespace, for the containers' service environment variables. */
  services?(namespace: string): Promise<readonly RO<Service>[]>;
}

/** Host directories by volume name, or the FailedMount message for the first volume that failed. */
export type VolumeResult = { dirs: Map<string, string> } | { error: string };

/** Creates (or refreshes) every volume of the pod. */
export async function prepareVolumes(pod: RO<Pod>, layout: NodeLayout, sources: VolumeSources, info: PodRuntimeInfo): Promise<VolumeResult> {
  const dirs = new Map<string, string>();
  const uid = pod.metadata.uid!;
  const ns = pod.metadata.namespace ?? 'default';
  for (const v of pod.spec?.volumes ?? []) {
    const failed = (msg: string): VolumeResult => ({ error: `MountVolume.SetUp failed for volume "${v.name}" : ${msg}` });
    const dir = layout.volumeDir(uid, v.name);
    if (v.hostPath) {
      dirs.set(v.name, hostPathDir(layout, v.hostPath.path, v.hostPath.type));
    } else if (v.configMap) {
      const cm = await sources.configMap(ns, v.configMap.name ?? '');
      if (!cm && !v.configMap.optional) return failed(`configmap "${v.configMap.name}" not found`);
      const data = { ...utf8(cm?.data), ...base64(cm?.binaryData) };
      const err = writeKeys(dir, data, v.configMap.items, v.configMap.defaultMode);
      if (err) return failed(err);
      dirs.set(v.name, dir);
    } else if (v.secret) {
      const s = await sources.secret(ns, v.secret.secretName ?? '');
      if (!s && !v.secret.optional) return failed(`secret "${v.secret.secretName}" not found`);
      const err = writeKeys(dir, base64(s?.data), v.secret.items, v.secret.defaultMode);
      if (err) return failed(err);
      dirs.set(v.name, dir);
    } else if (v.downwardAPI) {
      writeDownward(dir, pod, v, info);
      dirs.set(v.name, dir);
    } else if (v.persistentVolumeClaim) {
      const res = await claimDir(layout, sources, ns, v.persistentVolumeClaim.claimName);
      if ('error' in res) return failed(res.error);
      dirs.set(v.name, res.dir);
    } else {
      // emptyDir, and kinds kubesim does not interpret, are plain directories.
      fs.mkdirSync(dir, { recursive: true });
      dirs.set(v.name, dir);
    }
  }
  return { dirs };
}

/** The container's mounts: each volumeMount's host directory (with subPath), in declaration order. */
export function containerMounts(container: RO<Container>, dirs: ReadonlyMap<string, string>): { mountPath: string; hostPath: string; readOnly?: boolean }[] {
  const out: { mountPath: string; hostPath: string; readOnly?: boolean }[] = [];
  for (const m of container.volumeMounts ?? []) {
    const base = dirs.get(m.name);
    if (!base) continue;
    const sub = m.subPath ? path.join(base, path.posix.normalize(`/${m.subPath}`)) : base;
    if (m.subPath && !fs.existsSync(sub)) fs.mkdirSync(sub, { recursive: true });
    out.push({ mountPath: m.mountPath, hostPath: sub, ...(m.readOnly ? { readOnly: true } : {}) });
  }
  return out;
}

function hostPathDir(layout: NodeLayout, p: string, type: string | undefined): string {
  const dir = layout.hostPath(p);
  if (type === 'File' || type === 'FileOrCreate' || type === 'Socket' || type === 'CharDevice' || type === 'BlockDevice') {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    if (type === 'FileOrCreate' && !fs.existsSync(dir)) fs.writeFileSync(dir, '');
  } else {
    fs.mkdirSync(dir, { recursive: true });
  }
  return dir;
}

async function claimDir(layout: NodeLayout, sources: VolumeSources, ns: string, claimName: string): Promise<{ dir: string } | { error: string }> {
  const pvc = await sources.claim(ns, claimName);
  if (!pvc) return { error: `persistentvolumeclaim "${claimName}" not found` };
  const pvName = pvc.spec?.volumeName;
  if (!pvName || pvc.status?.phase !== 'Bound') return { error: `persistentvolumeclaim "${claimName}" is not bound` };
  const pv = await sources.volume(pvName);
  const backing = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
  const dir = backing ? layout.hostPath(backing) : path.join(layout.root, 'volumes', pvName);
  fs.mkdirSync(dir, { recursive: true });
  return { dir };
}

function utf8(data: Readonly<Record<string, string>> | undefined): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
}

function base64(data: Readonly<Record<string, string>> | undefined): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

/** Writes the keys (all, or the listed items at their paths); returns an error message for a missing item key. */
function writeKeys(dir: string, data: Record<string, Buffer>, items: readonly RO<KeyToPath>[] | undefined, mode: number | undefined): string | undefined {
  fs.mkdirSync(dir, { recursive: true });
  const files = items ? items.map((i) => [i.key, i.path, i.mode] as const) : Object.keys(data).map((k) => [k, k, undefined] as const);
  for (const [key, rel, itemMode] of files) {
    if (!(key in data)) return `configmap references non-existent config key: ${key}`;
    writeFile(dir, rel, data[key], itemMode ?? mode);
  }
  return undefined;
}

function writeDownward(dir: string, pod: RO<Pod>, v: RO<Volume>, info: PodRuntimeInfo): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const item of v.downwardAPI?.items ?? []) {
    let value = '';
    if (item.fieldRef) value = fieldRefValue(pod, item.fieldRef.fieldPath, info) ?? '';
    else if (item.resourceFieldRef) {
      const c = pod.spec?.containers?.find((x) => x.name === item.resourceFieldRef!.containerName) ?? pod.spec?.containers?.[0];
      const r = c ? resourceFieldValue(pod, c, item.resourceFieldRef, info) : { value: '' };
      value = 'value' in r ? r.value : '';
    }
    writeFile(dir, item.path, Buffer.from(value), item.mode ?? v.downwardAPI?.defaultMode);
  }
}

function writeFile(dir: string, rel: string, content: Buffer, mode: number | undefined): void {
  const file = path.join(dir, path.posix.normalize(`/${rel}`));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode ?? 0o644);
}
