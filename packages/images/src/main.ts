#!/usr/bin/env node
/**
 * The process runtime's entry point: one OS process per container. Reads the ContainerSpec from
 * KUBESIM_CONTAINER_SPEC, writes to the real stdout/stderr, turns SIGTERM into the container's
 * graceful stop, writes the exit code to KUBESIM_EXIT_FILE (if set) and exits with it.
 */
import { writeFileSync } from 'node:fs';
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
  // The kubelet owns our lifetime; a broken output pipe must not kill the container.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const code = await runContainer(
    { ...spec, env: spec.env ?? {}, mounts: spec.mounts ?? [] },
    { stdout: (c) => process.stdout.write(c), stderr: (c) => process.stderr.write(c) },
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

void main();
