/**
 * Named API errors. Each has a stable `code` equal to the Kubernetes `Status.reason`, maps to a
 * `Status` body, and is rebuilt from one on the client side, so callers can `instanceof` them
 * whichever transport carried the error.
 */
import type { Status, StatusCause, StatusDetails } from './meta.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'MethodNotAllowed'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'Expired';

const HTTP_CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  NotAcceptable: 406,
  MethodNotAllowed: 405,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** Base of every API error: carries the Status reason, HTTP code and details. */
export class ApiError extends Error {
  readonly code: StatusReason;
  readonly httpCode: number;
  readonly details?: StatusDetails;

  constructor(code: StatusReason, message: string, details?: StatusDetails, httpCode?: number) {
    super(message);
    this.name = `${code}Error`;
    this.code = code;
    this.httpCode = httpCode ?? HTTP_CODES[code];
    this.details = details;
  }

  /** The Kubernetes Status body for this error. */
  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.code,
      code: this.httpCode,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

export class BadRequestError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('BadRequest', message, details);
  }
}
export class ForbiddenError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('Forbidden', message, details);
  }
}
export class NotFoundError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('NotFound', message, details);
  }
}
export class AlreadyExistsError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('AlreadyExists', message, details);
  }
}
export class ConflictError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('Conflict', message, details);
  }
}
export class GoneError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('Gone', message, details);
  }
}
export class ExpiredError extends ApiError {
  constructor(message: string) {
    super('Expired', message);
  }
}
export class InvalidError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('Invalid', message, details);
  }
}
export class RequestEntityTooLargeError extends ApiError {
  constructor(message: string) {
    super('RequestEntityTooLarge', message);
  }
}
export class UnsupportedMediaTypeError extends ApiError {
  constructor(message: string) {
    super('UnsupportedMediaType', message);
  }
}
export class NotAcceptableError extends ApiError {
  constructor(message: string) {
    super('NotAcceptable', message);
  }
}
export class MethodNotAllowedError extends ApiError {
  constructor(message: string) {
    super('MethodNotAllowed', message);
  }
}
export class TooManyRequestsError extends ApiError {
  constructor(message: string, details?: StatusDetails) {
    super('TooManyRequests', message, details);
  }
}
export class InternalError extends ApiError {
  constructor(message: string) {
    super('InternalError', message);
  }
}
export class ServiceUnavailableError extends ApiError {
  constructor(message: string) {
    super('ServiceUnavailable', message);
  }
}
export class TimeoutError extends ApiError {
  constructor(message: string) {
    super('Timeout', message);
  }
}

const BY_REASON: Partial<Record<string, new (message: string, details?: StatusDetails) => ApiError>> = {
  BadRequest: BadRequestError,
  Forbidden: ForbiddenError,
  NotFound: NotFoundError,
  AlreadyExists: AlreadyExistsError,
  Conflict: ConflictError,
  Gone: GoneError,
  Expired: ExpiredError,
  Invalid: InvalidError,
  RequestEntityTooLarge: RequestEntityTooLargeError,
  UnsupportedMediaType: UnsupportedMediaTypeError,
  NotAcceptable: NotAcceptableError,
  MethodNotAllowed: MethodNotAllowedError,
  TooManyRequests: TooManyRequestsError,
  InternalError: InternalError,
  ServiceUnavailable: ServiceUnavailableError,
  Timeout: TimeoutError,
};

/** Rebuilds the named error class from a Status received over any transport. */
export function errorFromStatus(status: Partial<Status>): ApiError {
  const ctor = status.reason ? BY_REASON[status.reason] : undefined;
  const message = status.message ?? `request failed with code ${status.code ?? 'unknown'}`;
  if (ctor) return new ctor(message, status.details);
  const reason = (status.reason as StatusReason | undefined) ?? reasonForCode(status.code ?? 500);
  return new ApiError(reason, message, status.details, status.code);
}

function reasonForCode(code: number): StatusReason {
  const hit = (Object.entries(HTTP_CODES) as [StatusReason, number][]).find(([, c]) => c === code);
  return hit ? hit[0] : 'InternalError';
}

/** True when `err` is an ApiError with the given reason. */
export function isReason(err: unknown, reason: StatusReason): boolean {
  return err instanceof ApiError && err.code === reason;
}

/** One field problem, as validation reports it. */
export interface FieldError {
  /** JSON path, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
  /** StatusCause reason: FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong. */
  reason: string;
  message: string;
}

/** Builds the 422 Invalid error for a kind/name from every field problem found. */
export function invalidError(kind: string, name: string, errors: FieldError[], group?: string): InvalidError {
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field }));
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join(', ');
  const message = errors.length === 1 ? `${kind} "${name}" is invalid: ${summary}` : `${kind} "${name}" is invalid: [${summary}]`;
  return new InvalidError(message, { name, kind, ...(group ? { group } : {}), causes });
}
