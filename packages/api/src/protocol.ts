/**
 * The request/response shapes shared by both transports. An {@link ApiRequest} is exactly what an
 * HTTP route decodes to, so the NATS API and the REST API run through one handler.
 */

export type Verb = 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'watch';

/** The four patch flavours kubectl sends, by their Content-Type. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Query options, named as the Kubernetes REST query parameters. All values are strings. */
export interface RequestQuery {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  limit?: string;
  continue?: string;
  timeoutSeconds?: string;
  allowWatchBookmarks?: string;
  propagationPolicy?: string;
  gracePeriodSeconds?: string;
  dryRun?: string;
  fieldManager?: string;
  fieldValidation?: string;
  force?: string;
  // pods/log
  container?: string;
  previous?: string;
  follow?: string;
  tailLines?: string;
  sinceSeconds?: string;
  timestamps?: string;
  [key: string]: string | undefined;
}

export interface ApiRequest {
  verb: Verb;
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name: `pods`. */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The decoded body: an object for create/update, a patch document for patch, DeleteOptions for delete. */
  body?: unknown;
  patchType?: PatchType;
  query?: RequestQuery;
}

/** A reply: the HTTP status code and a body that is an object, a list, or a Status. */
export interface ApiResponse {
  code: number;
  body: unknown;
  /**
   * NATS only, instead of `body` for a written object: the msgpack bytes the store holds (which
   * lack the resourceVersion), sent as they are to spare the apiserver a second encoding. The
   * object is `decode(stored)` with `resourceVersion`, `apiVersion` and `kind` filled in.
   */
  stored?: Uint8Array;
  resourceVersion?: string;
  apiVersion?: string;
  kind?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = unknown> {
  type: WatchEventType;
  object: T;
}

/** NATS subjects of the apiserver's API. */
export const SUBJECTS = {
  /** Unary requests (everything but watch): an ApiRequest in, an ApiResponse out. Queue group `apiserver`. */
  request: 'kubesim.api.request',
  /** Watch start: a {@link NatsWatchStart} in, a {@link NatsWatchAccepted} or error ApiResponse out. */
  watch: 'kubesim.api.watch',
  /** Client keep-alive for a watch: `kubesim.api.watch.<watchId>.keepalive`. */
  watchKeepalive: (watchId: string) => `kubesim.api.watch.${watchId}.keepalive`,
  /** Client cancel for a watch. */
  watchCancel: (watchId: string) => `kubesim.api.watch.${watchId}.cancel`,
  /** Queue group the apiservers share, so each request is served once. */
  queue: 'apiserver',
} as const;

/** Sent to {@link SUBJECTS.watch}: the watch request and the inbox where frames go. */
export interface NatsWatchStart {
  request: ApiRequest;
  inbox: string;
}

/** The apiserver's answer to a watch start. */
export interface NatsWatchAccepted {
  code: 200;
  watchId: string;
  /** The client must send a keep-alive at least this often or the watch is dropped. */
  keepaliveSeconds: number;
  /** The apiserver sends a frame (an event or a heartbeat) at least this often. */
  heartbeatSeconds: number;
}

/**
 * A frame on a NATS watch inbox. `seq` counts frames from 1 so the client can detect a frame lost
 * to a slow-consumer drop; a gap ends the watch and the client resumes from its last resourceVersion.
 */
export type NatsWatchFrame =
  | { seq: number; event: WatchEvent }
  | { seq: number; heartbeat: true }
  | { seq: number; end: true };

/** NATS subjects of a kubelet's log service, which the apiserver's `pods/log` calls. */
export const LOG_SUBJECTS = {
  /** A plain read: a {@link LogRequest} in, an ApiResponse with the text as body out. */
  read: (node: string) => `kubesim.node.${node}.logs`,
  /** A follow: a LogRequest with `inbox` in, `{code: 200, streamId}` out, then {@link LogFrame}s to the inbox. */
  follow: (node: string) => `kubesim.node.${node}.logs.follow`,
  /** Sent by the follower at least every 5 s; the stream is dropped after 15 s without one. */
  keepalive: (node: string, streamId: string) => `kubesim.node.${node}.logs.${streamId}.keepalive`,
  cancel: (node: string, streamId: string) => `kubesim.node.${node}.logs.${streamId}.cancel`,
};

/** A log request, as kubectl's `pods/log` query parameters become it. */
export interface LogRequest {
  namespace: string;
  name: string;
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
  /** Follow only: where frames go. */
  inbox?: string;
}

/** A frame of a followed log, numbered from 1 so a lost frame ends the stream. */
export type LogFrame = { seq: number; data: string } | { seq: number; end: true };
