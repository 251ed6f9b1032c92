/**
 * Container lifecycle hooks (the kubelet's handlerRunner): runs one postStart or preStop handler —
 * `exec` in the container's image (same env, working dir, rootfs and volumes, as exec probes),
 * `httpGet` to the pod IP (or `host`), or `sleep`. Outcomes carry the kubelet's wording; the
 * caller logs it and records only a bare `FailedPreStopHook`/`FailedPostStartHook` event, as
 * Kubernetes does so that secrets in a command or its output never reach the API.
 */
import type { Clock, ContainerPort, DeepReadonly, LifecycleHandler } from '@kubesim/api';
import { httpGet, resolvePort } from './probe-actions.js';
import type { ProbeOutcome } from './probes.js';

/** The result of one hook run: ok, or why it failed. */
export type HookOutcome = ProbeOutcome;

/** The container a hook runs for. */
export interface HookTarget {
  podIP: string;
  ports: readonly DeepReadonly<ContainerPort>[];
  /** Runs `command` in the container's image; aborting `signal` abandons it. */
  exec(command: string[], signal: AbortSignal): Promise<{ exitCode: number; output: string }>;
  clock: Clock;
  /** For messages: the container's name, and the pod as `name_namespace(uid)`. */
  container: string;
  pod: string;
}

/**
 * Runs `handler` once. Resolves when it is done, or as soon as `signal` aborts (the container
 * stopped, or the pod is going away), which counts as a failure. Never rejects.
 */
export async function runLifecycleHook(handler: DeepReadonly<LifecycleHandler>, target: HookTarget, signal: AbortSignal): Promise<HookOutcome> {
  const where = `for Container ${JSON.stringify(target.container)} in Pod ${JSON.stringify(target.pod)}`;
  try {
    if (handler.exec) {
      const cmd = [...(handler.exec.command ?? [])];
      // Raced, since a command that ignores SIGTERM would otherwise hold the caller.
      const r = await Promise.race([target.exec(cmd, signal), aborted(signal)]);
      if (r.exitCode === 0 && !signal.aborted) return { ok: true };
      const err = signal.aborted ? 'container terminated before exec hook finished' : `command '${cmd.join(' ')}' exited with ${r.exitCode}: `;
      return { ok: false, message: `Exec lifecycle hook ([${cmd.join(' ')}]) ${where} failed - error: ${err}, message: ${JSON.stringify(r.output)}` };
    }
    if (handler.httpGet) {
      const err = await httpHook(handler.httpGet, target, signal);
      return err === undefined ? { ok: true } : { ok: false, message: `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${err}` };
    }
    if (handler.sleep) {
      const seconds = handler.sleep.seconds;
      await target.clock.sleep(seconds * 1000, signal);
      if (!signal.aborted) return { ok: true };
      return { ok: false, message: `Sleep lifecycle hook (${seconds}) ${where} failed - error: container terminated before sleep hook finished` };
    }
    // tcpSocket is accepted by the API for compatibility only; the kubelet cannot run it.
    return { ok: false, message: `Cannot run handler: invalid handler: ${JSON.stringify(handler)}` };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/**
 * The hook's GET; undefined on any HTTP answer. Unlike a probe, a lifecycle hook fails only when
 * no answer comes back: the kubelet discards the response without looking at its status.
 */
async function httpHook(g: NonNullable<DeepReadonly<LifecycleHandler>['httpGet']>, target: HookTarget, signal: AbortSignal): Promise<string | undefined> {
  // An empty port name means 80, as in the kubelet.
  const port = g.port === '' ? 80 : resolvePort(g.port, target.ports);
  if (port === undefined) return `couldn't find port: ${String(g.port)}`;
  const headers = Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value]));
  const tls = (g.scheme ?? 'HTTP').toUpperCase() === 'HTTPS';
  const r = await httpGet({ tls, host: g.host || target.podIP, port, path: g.path || '/', headers, userAgent: 'kube-lifecycle/1.31', signal });
  return 'error' in r ? r.error : undefined;
}

/** Resolves like a failed command once `signal` aborts. */
function aborted(signal: AbortSignal): Promise<{ exitCode: number; output: string }> {
  const result = { exitCode: 137, output: '' };
  if (signal.aborted) return Promise.resolve(result);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(result), { once: true }));
}
