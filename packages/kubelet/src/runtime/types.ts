/**
 * The container runtime interface the pod worker talks to; it does not know which runtime runs
 * its containers.
 */
import type { ContainerSpec } from '@kubesim/images';
import type { RuntimeName } from '../config.js';
import type { ContainerRecord } from '../layout.js';

/** A running (or finished) container. */
export interface ContainerHandle {
  /** The OS process id, for the process runtime. */
  readonly pid?: number;
  /** /proc/<pid>/stat field 22 of that process. */
  readonly pidStartTime?: string;
  /** Resolves with the exit code once the container has stopped (137 when it was killed). */
  wait(): Promise<number>;
  /** Asks the container to stop (SIGTERM), kills it after `graceMs`; resolves with the exit code. */
  stop(graceMs: number): Promise<number>;
  /** Kills the container at once (SIGKILL); resolves with the exit code. */
  kill(): Promise<number>;
}

/** Starts containers and finds them again after a kubelet restart. */
export interface ContainerRuntime {
  readonly name: RuntimeName;
  /**
   * Starts one attempt. `record` names the log file (appended to, stdout and stderr together)
   * and the exit file; the caller writes the record to disk with the handle's pid.
   */
  start(spec: ContainerSpec, record: ContainerRecord): Promise<ContainerHandle>;
  /** The handle of a recorded attempt that is still alive, or undefined when it is gone. */
  adopt(record: ContainerRecord): ContainerHandle | undefined;
}

export type { ContainerSpec };
