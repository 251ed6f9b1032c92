/**
 * What every controller of the process is built from: the API client, the shared informers,
 * the clock, the log, and the timing settings of the chosen profile.
 */
import { EventRecorder, type ApiClient, type Clock, type LogFn } from '@kubesim/api';
import type { SharedInformerFactory } from '../informers.js';
import type { ControllerSettings } from '../settings.js';

/** The shared dependencies a controller's constructor receives. */
export interface ControllerContext {
  client: ApiClient;
  informers: SharedInformerFactory;
  clock: Clock;
  /** The log of one controller, tagged with its name. */
  log: (controller: string) => LogFn;
  settings: ControllerSettings;
}

/** A controller the manager runs: its handlers are registered by its constructor. */
export interface ManagedController {
  /** The name `--controllers` selects it by (`replicaset`, `deployment`, ...). */
  readonly name: string;
  /** Runs the workers until `signal` aborts; resolves once they stopped. */
  run(signal: AbortSignal): Promise<void>;
}

/** An EventRecorder for a controller's `source.component` (e.g. `replicaset-controller`). */
export function recorderFor(ctx: ControllerContext, component: string): EventRecorder {
  return new EventRecorder(ctx.client, { component, log: ctx.log(component), now: () => new Date(ctx.clock.now()) });
}

/** The error message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
