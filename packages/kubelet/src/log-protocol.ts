/**
 * The wire protocol of a kubelet's log service, which the apiserver's `pods/log` calls over NATS
 * (msgpack through `encode`/`decode` of @kubesim/api). The subjects and message shapes are the
 * ones @kubesim/api declares; this module names them for both sides.
 *
 * - read: `kubesim.node.<node>.logs`, a {@link LogRequest} → {@link LogReply}.
 * - follow: `kubesim.node.<node>.logs.follow`, a LogRequest with `inbox` → {@link LogFollowReply},
 *   then {@link LogFrame}s (`seq` from 1) published to the inbox, the last one `{seq, end: true}`.
 *   The follower sends `…logs.<streamId>.keepalive` every {@link LOG_KEEPALIVE_MS}; the stream is
 *   dropped after {@link LOG_STREAM_TIMEOUT_MS} without one, or at once on `…logs.<streamId>.cancel`.
 */
import { LOG_SUBJECTS, type LogFrame, type LogRequest, type Status } from '@kubesim/api';

export { LOG_SUBJECTS };
export type { LogFrame, LogRequest };

/** The answer to a read: the text, or a Status (400 bad container, 404 pod not on this node). */
export type LogReply = { code: 200; body: string } | { code: number; body: Status };

/** The answer to a follow: the stream's id, or a Status as for a read. */
export type LogFollowReply = { code: 200; streamId: string } | { code: number; body: Status };

/** How often a follower must send a keep-alive. */
export const LOG_KEEPALIVE_MS = 5_000;

/** A stream without a keep-alive for this long is dropped. */
export const LOG_STREAM_TIMEOUT_MS = 15_000;

/** Subject builders, by node name. */
export const logSubjects = {
  read: LOG_SUBJECTS.read,
  follow: LOG_SUBJECTS.follow,
  keepalive: LOG_SUBJECTS.keepalive,
  cancel: LOG_SUBJECTS.cancel,
  /** Everything a node's streams receive (keep-alives and cancels): `kubesim.node.<node>.logs.*.*`. */
  streamControl: (node: string) => `kubesim.node.${node}.logs.*.*`,
};
