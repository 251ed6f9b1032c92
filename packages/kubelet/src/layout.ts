/**
 * The node's directory tree and the records kept in it. Everything a restarted kubelet needs to
 * find its pods' processes again lives here:
 *
 * ```
 * <root>/pods/<uid>/sandbox.json                       pod IP, names, creation time
 * <root>/pods/<uid>/containers/<name>/state.json       the latest attempt: pid, start time, exit file
 * <root>/pods/<uid>/containers/<name>/rootfs           the container's "/"
 * <root>/pods/<uid>/containers/<name>/exit-<n>         written by the container on a normal exit
 * <root>/pods/<uid>/logs/<name>/<n>.log                stdout+stderr of attempt n
 * <root>/pods/<uid>/volumes/<volume>                   emptyDir, configMap, secret, downwardAPI
 * <root>/hostpath/<path>                               hostPath volumes (never the real host)
 * <root>/ipam.json                                     the last pod address handed out
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RuntimeName } from './config.js';

/** What the kubelet remembers of a pod sandbox. */
export interface SandboxRecord {
  uid: string;
  namespace: string;
  name: string;
  ip: string;
  createdAt: string;
}

/** How a container attempt ended. */
export interface TerminatedRecord {
  exitCode: number;
  reason: string;
  startedAt: string;
  finishedAt: string;
  containerId: string;
}

/** The latest attempt of one container, as `state.json` holds it. */
export interface ContainerRecord {
  runtime: RuntimeName;
  podUid: string;
  container: string;
  init: boolean;
  /** 0 for the first run; also the restartCount while this attempt lives. */
  attempt: number;
  containerId: string;
  image: string;
  imageID: string;
  pid?: number;
  /** /proc/<pid>/stat field 22, to tell the same process from a reused pid. */
  pidStartTime?: string;
  startedAt: string;
  exitFile: string;
  logPath: string;
  /** Set once the kubelet has seen this attempt end. */
  finished?: TerminatedRecord;
  /** The attempt before this one (the status' lastState). */
  previous?: TerminatedRecord;
}

/** Paths under a kubelet's root directory. */
export class NodeLayout {
  readonly root: string;

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
  }

  get podsDir(): string {
    return path.join(this.root, 'pods');
  }
  get ipamFile(): string {
    return path.join(this.root, 'ipam.json');
  }
  podDir(uid: string): string {
    return path.join(this.podsDir, uid);
  }
  sandboxFile(uid: string): string {
    return path.join(this.podDir(uid), 'sandbox.json');
  }
  containerDir(uid: string, name: string): string {
    return path.join(this.podDir(uid), 'containers', name);
  }
  rootfs(uid: string, name: string): string {
    return path.join(this.containerDir(uid, name), 'rootfs');
  }
  stateFile(uid: string, name: string): string {
    return path.join(this.containerDir(uid, name), 'state.json');
  }
  exitFile(uid: string, name: string, attempt: number): string {
    return path.join(this.containerDir(uid, name), `exit-${attempt}`);
  }
  logFile(uid: string, name: string, attempt: number): string {
    return path.join(this.podDir(uid), 'logs', name, `${attempt}.log`);
  }
  volumeDir(uid: string, volume: string): string {
    return path.join(this.podDir(uid), 'volumes', volume);
  }
  /** A hostPath inside kubesim's own tree: `/var/log` → `<root>/hostpath/var/log`. */
  hostPath(p: string): string {
    const clean = path.posix.normalize(`/${p}`).replace(/^\/+/, '');
    return path.join(this.root, 'hostpath', clean);
  }

  /** Uids that have a pod directory. */
  podUids(): string[] {
    try {
      return fs.readdirSync(this.podsDir);
    } catch {
      return [];
    }
  }

  /** Container names with a state record in a pod. */
  containerNames(uid: string): string[] {
    try {
      return fs.readdirSync(path.join(this.podDir(uid), 'containers')).filter((n) => fs.existsSync(this.stateFile(uid, n)));
    } catch {
      return [];
    }
  }

  readSandbox(uid: string): SandboxRecord | undefined {
    return readJson<SandboxRecord>(this.sandboxFile(uid));
  }
  writeSandbox(rec: SandboxRecord): void {
    writeJsonAtomic(this.sandboxFile(rec.uid), rec);
  }
  readContainer(uid: string, name: string): ContainerRecord | undefined {
    return readJson<ContainerRecord>(this.stateFile(uid, name));
  }
  writeContainer(rec: ContainerRecord): void {
    writeJsonAtomic(this.stateFile(rec.podUid, rec.container), rec);
  }

  /** Removes everything of a pod. */
  removePod(uid: string): void {
    fs.rmSync(this.podDir(uid), { recursive: true, force: true });
  }
}

/** Reads a JSON file; undefined when missing or unreadable (a torn write is treated as absent). */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes JSON through a temporary file and a rename, so a crash never leaves half a record. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}
