/**
 * @kubesim/api: the shared language of every kubesim process.
 */
export type {
  TypeMeta,
  ObjectMeta,
  OwnerReference,
  ManagedFieldsEntry,
  KubeObject,
  KubeList,
  ListMeta,
  Status,
  StatusCause,
  StatusDetails,
  DeepReadonly,
} from './meta.js';
export { objectKey, splitObjectKey, clone } from './meta.js';
export {
  ApiError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  AlreadyExistsError,
  ConflictError,
  GoneError,
  ExpiredError,
  InvalidError,
  RequestEntityTooLargeError,
  UnsupportedMediaTypeError,
  NotAcceptableError,
  MethodNotAllowedError,
  TooManyRequestsError,
  InternalError,
  ServiceUnavailableError,
  TimeoutError,
  errorFromStatus,
  isReason,
  invalidError,
} from './errors.js';
export type { StatusReason, FieldError } from './errors.js';
export type { ResourceInfo } from './resources.js';
export {
  RESOURCES,
  groupVersion,
  parseApiVersion,
  findResource,
  findResourceByKind,
  resolveResourceName,
  apiGroups,
  storagePrefix,
} from './resources.js';
export type { Requirement, LabelSelectorMatcher, LabelSelectorObject, FieldSelectorMatcher } from './selectors.js';
export { parseLabelSelector, labelSelectorFromObject, formatLabelSelector, parseFieldSelector, fieldsOf } from './selectors.js';
export { toleratesTaint, tolerationsTolerateTaint } from './taints.js';
export { encode, decode } from './codec.js';
export type {
  Verb,
  PatchType,
  RequestQuery,
  ApiRequest,
  ApiResponse,
  WatchEventType,
  WatchEvent,
  NatsWatchStart,
  NatsWatchAccepted,
  NatsWatchFrame,
} from './protocol.js';
export { PATCH_CONTENT_TYPES, SUBJECTS, LOG_SUBJECTS } from './protocol.js';
export type { LogRequest, LogFrame } from './protocol.js';
export { EXEC_SUBJECTS, EXEC_KEEPALIVE_MS, EXEC_TIMEOUT_MS } from './exec-protocol.js';
export type { ExecRequest, ExecStartReply, ExecFrame, ExecInput } from './exec-protocol.js';
export type { ResourcePath } from './paths.js';
export { buildPath, parsePath } from './paths.js';
export { AsyncQueue } from './async-queue.js';
export type { Transport, WatchStream } from './client/transport.js';
export { NatsTransport } from './client/nats-transport.js';
export { ReplyMux } from './client/reply-mux.js';
export type { Reply } from './client/reply-mux.js';
export type { NatsTransportOptions } from './client/nats-transport.js';
export { HttpTransport } from './client/http-transport.js';
export type { HttpTransportOptions } from './client/http-transport.js';
export { ApiClient, ResourceClient, unwrap } from './client/client.js';
export type { ListOptions, WatchOptions, WriteOptions, DeleteOptions } from './client/client.js';
export { defaultObject } from './defaults/index.js';
export { validateObject } from './validation/index.js';
export type * from './types/index.js';
export { realClock, FakeClock } from './clock.js';
export type { Clock, ClockTimer } from './clock.js';
export { WorkQueue, ExponentialRateLimiter } from './workqueue/index.js';
export type { WorkQueueOptions, RateLimiter, ExponentialRateLimiterOptions } from './workqueue/index.js';
export { Informer } from './informer/index.js';
export type { InformerOptions, InformerHandlers, IndexFunc } from './informer/index.js';
export { Controller, TerminalError, classifyError, stderrLog } from './controller.js';
export type { ControllerOptions, Reconciler, ReconcileResult, LogFn } from './controller.js';
export { parseQuantity, formatQuantity } from './quantity.js';
export type { QuantityFormat } from './quantity.js';
export {
  hpaV1ToV2,
  hpaV2ToV1,
  convertHpa,
  HPA_METRICS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_BEHAVIOR_ANNOTATION,
} from './conversion.js';
export { podQOSClass } from './defaults/index.js';
export type { PodQOSClass } from './defaults/index.js';
export {
  fieldRequired,
  fieldInvalid,
  fieldNotSupported,
  fieldDuplicate,
  fieldForbidden,
  fieldTooLong,
  fieldNotFound,
  fieldImmutable,
  formatValue,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1035Label,
  isQualifiedName,
  isValidLabelValue,
  isConfigMapKey,
  isValidPortNum,
  isValidPortName,
} from './validation/index.js';
export { EventRecorder } from './events.js';
export type { EventSubject, EventRecorderOptions } from './events.js';
export { humanDuration, shortHumanDuration, timestampSince } from './duration.js';
export { runComponent } from './component-main.js';
export type { ComponentMain } from './component-main.js';
export {
  LeaderElector,
  leaderIdentity,
  leaderElectionProblems,
  leaderElectionConfig,
  splitLeaderElectionFlags,
  LEADER_ELECTION_DEFAULTS,
  LEADER_ELECTION_FAST,
  LEADER_ELECTION_USAGE,
} from './leader-election.js';
export type { LeaderElectorOptions, LeaderElectionTiming, LeaderElectionConfig, LeaderElectionFlags } from './leader-election.js';
