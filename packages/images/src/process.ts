import type { ContainerFs } from './fs/container-fs.js';
import type { InputStream, Writer } from './io/streams.js';
import type { ImageReference } from './reference.js';

/** What the shell of an image is: its error wording and `echo` habits differ between busybox ash, dash and bash. */
export interface ShellFlavor {
  /** The name in messages: "sh" or "bash". */
  name: string;
  /** busybox: `sh: foo: not found`; dash: `sh: 1: foo: not found`; bash: `bash: line 1: foo: command not found`. */
  style: 'busybox' | 'dash' | 'bash';
}

/**
 * One running program inside a container, as a process sees the world: its argv, environment,
 * working directory and standard streams, the container's files, and the signals sent to it.
 */
export interface ProcessContext {
  argv: string[];
  env: Record<string, string>;
  /** Container path of the working directory. */
  cwd: string;
  stdin: InputStream;
  stdout: Writer;
  stderr: Writer;
  container: RunningContainer;
  /** SIGTERM sent to this process. Only PID 1 receives the kubelet's; other processes get one that never fires. */
  sigterm: AbortSignal;
  /** True for the container's PID 1, where signals without a handler are ignored. */
  pid1: boolean;
  /** Aborts when the shell that started this program must run a trap: sleep and wait return early. */
  interrupt?: AbortSignal;
}

/** A program an image ships: runs to completion and resolves with its exit status. */
export type Program = (ctx: ProcessContext) => Promise<number>;

/** What one container shares between its processes. */
export interface RunningContainer {
  /** The image this container runs. */
  image: ImageDefinition;
  /** The parsed image reference (its tag picks a version for some images). */
  ref: ImageReference;
  fs: ContainerFs;
  hostname: string;
  podIP: string;
  /** Finds an executable of the image by name or path (`nginx`, `/bin/sh`); undefined if it has none. */
  lookup(name: string): Program | undefined;
  /** Aborts when the container is being torn down: every server and timer of it stops. */
  lifetime: AbortSignal;
}

/** An image: what the registry would serve for a reference, reduced to what a container runtime needs. */
export interface ImageDefinition {
  /** Family name shown in ImageInfo.name, e.g. "nginx". */
  name: string;
  /** One line for ImageInfo.description and the README table. */
  description: string;
  /** Repositories (fully qualified, without tag) that serve this image. */
  repositories: string[];
  /** Whether a tag exists; absent means any tag does. */
  tagExists?: (tag: string) => boolean;
  /** ENTRYPOINT and CMD of the image config. */
  entrypoint: string[];
  cmd: string[];
  /** ENV of the image config. */
  env: Record<string, string>;
  /** WORKDIR of the image config. */
  workingDir?: string;
  /** Executables by base name. */
  programs: Record<string, Program>;
  /** The image's /bin/sh, if it has one (its applets then come along). */
  shell?: ShellFlavor;
  /** Files of the image's layers, by container path, written into a fresh rootfs. */
  files?: (ref: ImageReference) => Record<string, string>;
}
