import * as fsp from 'node:fs/promises';
import { ContainerFs } from './fs/container-fs.js';
import { baseName } from './fs/paths.js';
import { BrokenPipeError, callbackWriter, InputStream } from './io/streams.js';
import { layImageFiles } from './layers.js';
import type { ImageDefinition, Program, RunningContainer } from './process.js';
import { findImage } from './registry.js';
import type { ContainerIo, ContainerSpec } from './types.js';
import { DEFAULT_PATH } from './images/common.js';

/** The process a container starts: Kubernetes' command/args over the image's ENTRYPOINT/CMD. */
export function containerArgv(image: Pick<ImageDefinition, 'entrypoint' | 'cmd'>, spec: Pick<ContainerSpec, 'command' | 'args'>): string[] {
  if (spec.command && spec.command.length > 0) return [...spec.command, ...(spec.args ?? [])];
  return [...image.entrypoint, ...(spec.args && spec.args.length > 0 ? spec.args : image.cmd)];
}

/** The environment of PID 1: the image's, then HOSTNAME, then the pod's (which wins). */
export function containerEnv(image: ImageDefinition, spec: ContainerSpec): Record<string, string> {
  return { PATH: DEFAULT_PATH, HOSTNAME: spec.hostname, ...image.env, ...spec.env, HOME: spec.env.HOME ?? '/root' };
}

function lookupProgram(image: ImageDefinition, name: string): Program | undefined {
  const base = baseName(name);
  return base !== '' && Object.hasOwn(image.programs, base) ? image.programs[base] : undefined;
}

/**
 * Runs the container until it exits; resolves with its exit code. `signal` aborting is SIGTERM
 * to PID 1, which reacts as the real image's program does. Never touches process-wide state.
 */
export async function runContainer(spec: ContainerSpec, io: ContainerIo, signal: AbortSignal): Promise<number> {
  const stdout = callbackWriter(io.stdout);
  const stderr = callbackWriter(io.stderr);
  const found = findImage(spec.image);
  if (!found) {
    io.stderr(`failed to resolve reference "${spec.image}": not found\n`);
    return 128;
  }
  const { image, ref } = found;
  const fs = new ContainerFs(spec.rootfs, spec.mounts);
  const lifetime = new AbortController();
  const container: RunningContainer = { image, ref, fs, hostname: spec.hostname, podIP: spec.podIP, lookup: (n) => lookupProgram(image, n), lifetime: lifetime.signal };
  try {
    await layImageFiles(image, ref, spec, fs);
    const argv = containerArgv(image, spec);
    const cwd = spec.workingDir || image.workingDir || '/';
    await fs.mkdir(cwd, '/', true).catch(() => undefined);
    const program = await startable(container, argv);
    if (typeof program === 'string') {
      io.stderr(`${program}\n`);
      return 128;
    }
    const status = await program.run({
      argv: program.argv, env: containerEnv(image, spec), cwd, stdin: io.stdin ? inputFrom(io.stdin) : InputStream.empty(), stdout, stderr, container, sigterm: signal, pid1: true,
    });
    return ((status % 256) + 256) % 256;
  } catch (err) {
    if (err instanceof BrokenPipeError) return 141;
    io.stderr(`${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    lifetime.abort();
  }
}

/**
 * Why `spec`'s command cannot start in its image (the OCI runtime's words, as runContainer would
 * print them), or undefined when it can. Lets `kubectl exec` report a missing program as an error
 * rather than as the program's output.
 */
export async function startError(spec: ContainerSpec): Promise<string | undefined> {
  const found = findImage(spec.image);
  if (!found) return `failed to resolve reference "${spec.image}": not found`;
  const { image, ref } = found;
  const container = { image, ref, fs: new ContainerFs(spec.rootfs, spec.mounts), lookup: (n: string) => lookupProgram(image, n) } as RunningContainer;
  const r = await startable(container, containerArgv(image, spec));
  return typeof r === 'string' ? r : undefined;
}

/** An input stream over an async source (a process's stdin). */
function inputFrom(source: AsyncIterable<Uint8Array>): InputStream {
  const it = source[Symbol.asyncIterator]();
  return new InputStream(
    async () => {
      const r = await it.next();
      return r.done ? null : r.value;
    },
    () => void it.return?.().catch(() => undefined),
  );
}

/** Finds PID 1's program (or a script file in the rootfs, run by the image's shell); an OCI-runtime error text if none. */
async function startable(container: RunningContainer, argv: string[]): Promise<{ run: Program; argv: string[] } | string> {
  if (argv.length === 0) return 'Error: failed to create containerd task: no command specified: unknown';
  const program = container.lookup(argv[0]);
  if (program) return { run: program, argv };
  const sh = container.lookup('sh');
  if (argv[0].includes('/') && sh) {
    const r = await container.fs.resolve(argv[0]).catch(() => undefined);
    const st = r && (await fsp.stat(r.hostPath).catch(() => undefined));
    if (st?.isFile()) return { run: sh, argv: ['sh', ...argv] };
  }
  return `exec: "${argv[0]}": executable file not found in $PATH: unknown`;
}
