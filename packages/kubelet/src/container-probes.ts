/**
 * The probes of one running container attempt, wired together: startup first, then liveness and
 * readiness; each failed run is an Unhealthy event, a passed startup probe marks the container
 * started, readiness flips ready, and a failed startup or liveness probe asks for a restart.
 */
import type { Clock, Container, DeepReadonly } from '@kubesim/api';
import { runProbeAction, type ProbeTarget } from './probe-actions.js';
import { ProbeWorker, type ProbeKind } from './probes.js';

export interface ContainerProbesOptions {
  container: DeepReadonly<Container>;
  target: ProbeTarget;
  clock: Clock;
  /** Whether the startup probe has passed (liveness and readiness wait for it). */
  started(): boolean;
  onUnhealthy(message: string): void;
  onStarted(): void;
  onReady(ok: boolean): void;
  onRestart(kind: 'liveness' | 'startup'): void;
}

/** Starts the container's probes; aborting the returned controller stops them. Undefined when it has none. */
export function startContainerProbes(o: ContainerProbesOptions): AbortController | undefined {
  const c = o.container;
  if (!c.startupProbe && !c.livenessProbe && !c.readinessProbe) return undefined;
  const ac = new AbortController();
  const run = (kind: ProbeKind, onResult: (ok: boolean) => void) => {
    const spec = kind === 'startup' ? c.startupProbe : kind === 'liveness' ? c.livenessProbe : c.readinessProbe;
    if (!spec) return;
    const label = `${kind[0].toUpperCase()}${kind.slice(1)}`;
    void new ProbeWorker({
      kind,
      probe: spec,
      clock: o.clock,
      run: (timeoutMs) => runProbeAction(spec, o.target, timeoutMs),
      gate: kind === 'startup' ? undefined : o.started,
      onFailure: (outcome) => o.onUnhealthy(`${label} probe failed: ${outcome.message ?? ''}`),
      onResult,
    }).start(ac.signal);
  };
  run('startup', (ok) => (ok ? o.onStarted() : o.onRestart('startup')));
  run('liveness', (ok) => {
    if (!ok) o.onRestart('liveness');
  });
  run('readiness', (ok) => o.onReady(ok));
  return ac;
}
