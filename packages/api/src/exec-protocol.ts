/**
 * The wire protocol of a kubelet's exec service, which the apiserver's `pods/exec` calls over NATS
 * (msgpack through `encode`/`decode`), as the real apiserver proxies exec to the kubelet.
 *
 * - start: `kubesim.node.<node>.exec`, an {@link ExecRequest} → {@link ExecStartReply}. The reply
 *   comes once the command has been started, so "no such pod / container / command" is an error
 *   the apiserver can still answer over plain HTTP, before it upgrades the connection.
 * - output: {@link ExecFrame}s published to the request's inbox, `seq` from 1; the last one has
 *   `exit` (the command's exit code) or `error` (a Status).
 * - input: {@link ExecInput}s to `…exec.<streamId>.stdin`, `seq` from 1, the last one `close`.
 * - the caller sends `…exec.<streamId>.keepalive` every {@link EXEC_KEEPALIVE_MS}; without one for
 *   {@link EXEC_TIMEOUT_MS} the kubelet kills the command (the apiserver is gone); `…cancel` kills
 *   it at once (the client hung up).
 */
import type { Status } from './meta.js';

/** NATS subjects of a kubelet's exec service. */
export const EXEC_SUBJECTS = {
  start: (node: string) => `kubesim.node.${node}.exec`,
  stdin: (node: string, streamId: string) => `kubesim.node.${node}.exec.${streamId}.stdin`,
  keepalive: (node: string, streamId: string) => `kubesim.node.${node}.exec.${streamId}.keepalive`,
  cancel: (node: string, streamId: string) => `kubesim.node.${node}.exec.${streamId}.cancel`,
  /** Everything a node's exec sessions receive: `kubesim.node.<node>.exec.*.*`. */
  sessions: (node: string) => `kubesim.node.${node}.exec.*.*`,
};

/** How often the caller of an exec sends a keep-alive. */
export const EXEC_KEEPALIVE_MS = 5_000;

/** An exec without a keep-alive for this long is killed. */
export const EXEC_TIMEOUT_MS = 15_000;

/** A `pods/exec` request, as kubectl's query parameters become it. */
export interface ExecRequest {
  namespace: string;
  name: string;
  /** The container; may be omitted when the pod has one. */
  container?: string;
  /** The argv to run; `command[0]` is looked up in the image. */
  command: string[];
  /** Whether input will come on the stdin subject (else the command's stdin is at end of file). */
  stdin: boolean;
  /** A terminal was asked for: stderr is merged into stdout and newlines become CRLF. */
  tty: boolean;
  /** Where {@link ExecFrame}s go. */
  inbox: string;
  /** Only check that the command could start (pod, container, program); start nothing. */
  dryRun?: boolean;
}

/** The answer to a start: the session's id (empty for a dry run), or why it could not start. */
export type ExecStartReply = { code: 200; streamId: string } | { code: number; body: Status };

/** A frame of an exec's output, numbered from 1 so a lost one ends the session. */
export type ExecFrame =
  | { seq: number; stream: 1 | 2; data: Uint8Array }
  | { seq: number; exit: number }
  | { seq: number; error: Status };

/** A piece of an exec's input, numbered from 1; `close` is end of file. */
export type ExecInput = { seq: number; data: Uint8Array } | { seq: number; close: true };
