import { constants as fsConstants, type Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerMount } from '../types.js';
import type { Writer } from '../io/streams.js';
import { FsError } from './errors.js';
import { containerComponents } from './paths.js';

/** A container path resolved to the host file that backs it. */
export interface ResolvedPath {
  /** Absolute container path with every symlink resolved. */
  containerPath: string;
  /** The host file: under the rootfs or under a mount's hostPath, never elsewhere. */
  hostPath: string;
  /** True when the path lies on a read-only mount. */
  readOnly: boolean;
  /** A character device the container sees but no host file backs (`/dev/null`). */
  device?: 'null' | 'zero';
}

/** An open file that a program writes to (a redirection, `tee`). */
export interface FileSink extends Writer {
  close(): Promise<void>;
}

const MAX_SYMLINKS = 40;
const DEVICES: Record<string, 'null' | 'zero'> = { '/dev/null': 'null', '/dev/zero': 'zero' };

interface NormalMount {
  path: string;
  hostPath: string;
  readOnly: boolean;
}

/**
 * A container's view of files: container paths map to the longest matching mount's hostPath,
 * else to rootfs + path. Symlinks are followed inside the container (an absolute target starts
 * again at the container's `/`, `..` stops at `/`), so no path ever leads outside the rootfs or
 * the mounts. Every program reads and writes files only through this class.
 */
export class ContainerFs {
  private readonly mounts: NormalMount[];

  constructor(
    readonly rootfs: string,
    mounts: readonly ContainerMount[],
  ) {
    this.mounts = mounts
      .map((m) => ({ path: `/${containerComponents(m.mountPath).join('/')}`, hostPath: m.hostPath, readOnly: !!m.readOnly }))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** Resolves a container path (relative to `cwd`) to its host file, following symlinks (the last one only if `follow`). */
  async resolve(path: string, cwd = '/', follow = true): Promise<ResolvedPath> {
    let queue = containerComponents(path, cwd);
    let done: string[] = [];
    let links = 0;
    while (queue.length > 0) {
      const [next, ...rest] = queue;
      queue = rest;
      if (next === '..') {
        done.pop();
        continue;
      }
      const candidate = [...done, next];
      if ((rest.length === 0 && !follow) || this.isMountPoint(candidate)) {
        done = candidate;
        continue;
      }
      const target = await this.readLinkAt(candidate);
      if (target === undefined) {
        done = candidate;
        continue;
      }
      if (++links > MAX_SYMLINKS) throw new FsError('ELOOP', path);
      if (target.startsWith('/')) done = [];
      queue = [...target.split('/').filter((p) => p !== '' && p !== '.'), ...queue];
    }
    const containerPath = `/${done.join('/')}`;
    const { hostPath, readOnly } = this.toHost(containerPath);
    const device = this.isUnderMount(containerPath) ? undefined : DEVICES[containerPath];
    return { containerPath, hostPath, readOnly, device };
  }

  /** Reads a whole file. */
  async readFile(path: string, cwd = '/'): Promise<Buffer> {
    const r = await this.resolve(path, cwd);
    if (r.device) return Buffer.alloc(0);
    return fsp.readFile(r.hostPath);
  }

  /** Writes (or appends to) a file, creating it. */
  async writeFile(path: string, cwd: string, data: string | Uint8Array, append = false): Promise<void> {
    const r = await this.resolveWritable(path, cwd);
    if (r.device) return;
    await (append ? fsp.appendFile(r.hostPath, data) : fsp.writeFile(r.hostPath, data));
  }

  /** Opens a file for writing, as `>` (truncate) or `>>` (append) does. */
  async openSink(path: string, cwd: string, append: boolean): Promise<FileSink> {
    const r = await this.resolveWritable(path, cwd);
    if (r.device) return { write: () => undefined, close: async () => undefined };
    const handle = await fsp.open(r.hostPath, append ? 'a' : 'w');
    return {
      write: async (chunk) => {
        await handle.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      },
      close: () => handle.close(),
    };
  }

  /** stat(2), following symlinks. */
  async stat(path: string, cwd = '/'): Promise<Stats> {
    return fsp.stat((await this.resolve(path, cwd)).hostPath);
  }

  /** lstat(2): a symlink itself. */
  async lstat(path: string, cwd = '/'): Promise<Stats> {
    return fsp.lstat((await this.resolve(path, cwd, false)).hostPath);
  }

  /** True if the path exists (after symlinks). */
  async exists(path: string, cwd = '/'): Promise<boolean> {
    try {
      const r = await this.resolve(path, cwd);
      if (r.device) return true;
      await fsp.stat(r.hostPath);
      return true;
    } catch {
      return false;
    }
  }

  /** Entry names of a directory, sorted; mount points inside it are listed too. */
  async readdir(path: string, cwd = '/'): Promise<string[]> {
    const r = await this.resolve(path, cwd);
    const names = new Set(await fsp.readdir(r.hostPath));
    const prefix = r.containerPath === '/' ? '/' : `${r.containerPath}/`;
    for (const m of this.mounts) {
      if (m.path.startsWith(prefix) && !m.path.slice(prefix.length).includes('/')) names.add(m.path.slice(prefix.length));
    }
    return [...names].filter((n) => n !== '').sort();
  }

  /** mkdir(2), or `mkdir -p` with `recursive`. */
  async mkdir(path: string, cwd: string, recursive = false): Promise<void> {
    if (!recursive) {
      const r = await this.resolveWritable(path, cwd);
      await fsp.mkdir(r.hostPath);
      return;
    }
    // Component by component, so that each level's symlinks are resolved inside the container.
    const parts = containerComponents(path, cwd);
    for (let i = 1; i <= parts.length; i++) {
      const sub = `/${parts.slice(0, i).join('/')}`;
      const r = await this.resolve(sub, '/');
      const st = await fsp.stat(r.hostPath).catch(() => undefined);
      if (st?.isDirectory()) continue;
      if (st) throw new FsError('EEXIST', sub);
      if (r.readOnly) throw new FsError('EROFS', sub);
      await fsp.mkdir(r.hostPath);
    }
  }

  /** Removes a file (unlink) or, with `recursive`, a whole tree; a symlink is removed, not followed. */
  async remove(path: string, cwd: string, recursive: boolean): Promise<void> {
    const r = await this.resolve(path, cwd, false);
    if (r.readOnly) throw new FsError('EROFS', path);
    if (this.isMountPoint(containerComponents(r.containerPath))) throw new FsError('EBUSY', path);
    const st = await fsp.lstat(r.hostPath);
    if (st.isDirectory() && !recursive) throw new FsError('EISDIR', path);
    await fsp.rm(r.hostPath, { recursive, force: false });
  }

  /** rmdir(2). */
  async rmdir(path: string, cwd: string): Promise<void> {
    const r = await this.resolveWritable(path, cwd, false);
    await fsp.rmdir(r.hostPath);
  }

  /** rename(2); both paths in the container. */
  async rename(from: string, to: string, cwd: string): Promise<void> {
    const a = await this.resolveWritable(from, cwd, false);
    const b = await this.resolveWritable(to, cwd, false);
    await fsp.rename(a.hostPath, b.hostPath);
  }

  /** Copies one regular file. */
  async copyFile(from: string, to: string, cwd: string): Promise<void> {
    const a = await this.resolve(from, cwd);
    const b = await this.resolveWritable(to, cwd);
    if (b.device) return;
    if (a.device) await fsp.writeFile(b.hostPath, '');
    else await fsp.copyFile(a.hostPath, b.hostPath);
  }

  /** symlink(2): `target` is stored as given and interpreted inside the container. */
  async symlink(target: string, path: string, cwd: string): Promise<void> {
    const r = await this.resolveWritable(path, cwd, false);
    await fsp.symlink(target, r.hostPath);
  }

  /** readlink(2). */
  async readlink(path: string, cwd: string): Promise<string> {
    return fsp.readlink((await this.resolve(path, cwd, false)).hostPath);
  }

  /** chmod(2). */
  async chmod(path: string, cwd: string, mode: number): Promise<void> {
    const r = await this.resolveWritable(path, cwd);
    if (!r.device) await fsp.chmod(r.hostPath, mode);
  }

  /** `touch`: creates an empty file or updates the times of an existing one. */
  async touch(path: string, cwd: string): Promise<void> {
    const r = await this.resolveWritable(path, cwd);
    if (r.device) return;
    const now = new Date();
    try {
      await fsp.utimes(r.hostPath, now, now);
    } catch {
      await (await fsp.open(r.hostPath, fsConstants.O_CREAT | fsConstants.O_WRONLY)).close();
    }
  }

  /** Creates the mount points in the rootfs, as a container runtime does, so `ls` shows them. */
  async prepareMountPoints(): Promise<void> {
    for (const m of this.mounts) await fsp.mkdir(join(this.rootfs, m.path), { recursive: true }).catch(() => undefined);
  }

  private async resolveWritable(path: string, cwd: string, follow = true): Promise<ResolvedPath> {
    const r = await this.resolve(path, cwd, follow);
    if (r.readOnly && !r.device) throw new FsError('EROFS', path);
    return r;
  }

  /** Reads a symlink at a resolved container location; undefined if it is not one (or does not exist). */
  private async readLinkAt(components: string[]): Promise<string | undefined> {
    const { hostPath } = this.toHost(`/${components.join('/')}`);
    try {
      const st = await fsp.lstat(hostPath);
      return st.isSymbolicLink() ? await fsp.readlink(hostPath) : undefined;
    } catch {
      return undefined;
    }
  }

  private isMountPoint(components: string[]): boolean {
    const p = `/${components.join('/')}`;
    return this.mounts.some((m) => m.path === p);
  }

  /** True if the (normalized) container path lies on a volume rather than in the rootfs. */
  isUnderMount(containerPath: string): boolean {
    return this.mounts.some((m) => m.path === '/' || containerPath === m.path || containerPath.startsWith(`${m.path}/`));
  }

  private toHost(containerPath: string): { hostPath: string; readOnly: boolean } {
    for (const m of this.mounts) {
      if (m.path === '/' || containerPath === m.path || containerPath.startsWith(`${m.path}/`)) {
        const rest = m.path === '/' ? containerPath : containerPath.slice(m.path.length);
        return { hostPath: join(m.hostPath, rest), readOnly: m.readOnly };
      }
    }
    return { hostPath: join(this.rootfs, containerPath), readOnly: false };
  }
}
