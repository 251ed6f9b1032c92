#!/usr/bin/env node
/**
 * The process runtime's entry point: one OS process per container. Reads the ContainerSpec from
 * KUBESIM_CONTAINER_SPEC, writes to the real stdout/stderr, turns SIGTERM into the container's
 * graceful stop, writes the exit code to KUBESIM_EXIT_FILE (if set) and exits with it.
 * With KUBESIM_LIFELINE_FD (a `kubectl exec` command) it also exits once that pipe closes.
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { runContainer } from './run.js';
import type { ContainerSpec } from './types.js';

function readSpec(): ContainerSpec | undefined {
  try {
    const spec = JSON.parse(process.env.KUBESIM_CONTAINER_SPEC ?? '') as ContainerSpec;
    return spec && typeof spec.image === 'string' && typeof spec.rootfs === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const spec = readSpec();
  if (!spec) {
    process.stderr.write('kubesim-container: KUBESIM_CONTAINER_SPEC must hold a ContainerSpec as JSON\n');
    process.exit(128);
  }
  const stop = new AbortController();
  process.on('SIGTERM', () => stop.abort());
  watchLifeline();
  // The kubelet owns our lifetime; a broken output pipe must not kill the container.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const code = await runContainer(
    { ...spec, env: spec.env ?? {}, mounts: spec.mounts ?? [] },
    {
      stdout: (c) => process.stdout.write(c),
      stderr: (c) => process.stderr.write(c),
      // Only `kubectl exec -i` gives a container input; a pod's main process has none.
      stdin: process.env.KUBESIM_STDIN === '1' ? process.stdin : undefined,
    },
    stop.signal,
  );
  const exitFile = process.env.KUBESIM_EXIT_FILE;
  if (exitFile) {
    try {
      writeFileSync(exitFile, `${code}\n`);
    } catch {
      // The kubelet falls back to the process's exit status.
    }
  }
  process.exit(code);
}

/**
 * An exec'd command belongs to the kubelet session that started it, and that kubelet may be
 * killed outright: the end of this pipe from it is the cue to go too, as a real exec dies with
 * its session instead of running on unowned.
 */
function watchLifeline(): void {
  const fd = Number(process.env.KUBESIM_LIFELINE_FD);
  if (!Number.isInteger(fd) || fd < 3) return;
  const pipe = new net.Socket({ fd, readable: true, writable: false });
  pipe.on('data', () => undefined);
  pipe.on('end', () => process.exit(137));
  pipe.on('error', () => process.exit(137));
  // The pipe alone must not keep a finished command alive.
  pipe.unref();
}

void main();
