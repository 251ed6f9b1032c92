import * as fsp from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ContainerFs } from './fs/container-fs.js';
import type { ImageDefinition } from './process.js';
import type { ImageReference } from './reference.js';
import type { ContainerSpec } from './types.js';

const BASE_DIRS = ['/bin', '/dev', '/etc', '/home', '/root', '/tmp', '/usr/bin', '/usr/local/bin', '/var/log', '/proc', '/sys'];

/** The files every container has: its hostname, a kubelet-style /etc/hosts and, when given, /etc/resolv.conf. */
function baseFiles(spec: ContainerSpec): Record<string, string> {
  return {
    ...(spec.resolvConf ? { '/etc/resolv.conf': spec.resolvConf } : {}),
    '/etc/hostname': `${spec.hostname}\n`,
    '/etc/hosts': `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${spec.podIP}\t${spec.hostname}\n`,
  };
}

/**
 * Lays the image's files into the rootfs, as unpacking its layers would: only files that are
 * not there yet (a restarted container keeps what it wrote) and never onto a volume (a mount
 * shadows the image's files, as in Kubernetes).
 */
export async function layImageFiles(image: ImageDefinition, ref: ImageReference, spec: ContainerSpec, fs: ContainerFs): Promise<void> {
  for (const d of BASE_DIRS) await fsp.mkdir(join(spec.rootfs, d), { recursive: true }).catch(() => undefined);
  await fs.prepareMountPoints();
  const files = { ...baseFiles(spec), ...(image.files?.(ref) ?? {}) };
  for (const [path, content] of Object.entries(files)) {
    if (fs.isUnderMount(path)) continue;
    const host = join(spec.rootfs, path);
    await fsp.mkdir(dirname(host), { recursive: true }).catch(() => undefined);
    await fsp.writeFile(host, content, { flag: 'wx' }).catch(() => undefined);
  }
}
