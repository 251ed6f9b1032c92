/**
 * The thread runtime's entry point (worker_threads): the ContainerSpec comes as `workerData`;
 * output goes to the parent as `{stream: 'stdout'|'stderr', data}`, the end as `{exit: code}`;
 * a `{signal: 'SIGTERM'}` message from the parent is the graceful stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runContainer } from './run.js';
import type { ContainerSpec } from './types.js';

const port = parentPort;
if (port) {
  const spec = workerData as ContainerSpec;
  const stop = new AbortController();
  port.on('message', (m: { signal?: string }) => {
    if (m?.signal === 'SIGTERM') stop.abort();
  });
  void runContainer(
    { ...spec, env: spec.env ?? {}, mounts: spec.mounts ?? [] },
    {
      stdout: (data) => port.postMessage({ stream: 'stdout', data }),
      stderr: (data) => port.postMessage({ stream: 'stderr', data }),
    },
    stop.signal,
  ).then((code) => {
    port.postMessage({ exit: code });
    port.close();
  });
}
