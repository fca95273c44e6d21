/**
 * Typed failures of engine verbs. Routes never build error responses by hand: one error handler maps
 * these to problem+json on /v1 and to `{"detail"}` on the compat routes.
 */
export abstract class DomainError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 408 | 409 | 413 | 422 | 423 | 429 | 500 | 503;
  /** Seconds after which a retry may succeed (a `Retry-After` header), where that is known. */
  readonly retryAfterS: number | null;
  abstract readonly title: string;
  /** Extra members for the problem document (RFC 9457 extensions). */
  readonly extensions: Record<string, unknown>;

  constructor(message: string, extensions: Record<string, unknown> = {}, retryAfterS: number | null = null) {
    super(message);
    this.extensions = extensions;
    this.retryAfterS = retryAfterS;
  }
}

export class BadRequestError extends DomainError {
  override name = "BadRequestError";
  readonly status = 400;
  readonly title = "Bad request";
}

export class UnauthorizedError extends DomainError {
  override name = "UnauthorizedError";
  readonly status = 401;
  readonly title = "Unauthorized";
}

/** Authenticated, but this caller's role or rights do not allow it. */
export class ForbiddenError extends DomainError {
  override name = "ForbiddenError";
  readonly status = 403;
  readonly title = "Forbidden";
}

export class NotFoundError extends DomainError {
  override name = "NotFoundError";
  readonly status = 404;
  readonly title = "Not found";
}

export class ConflictError extends DomainError {
  override name = "ConflictError";
  readonly status = 409;
  readonly title = "Conflict";
}

export class PayloadTooLargeError extends DomainError {
  override name = "PayloadTooLargeError";
  readonly status = 413;
  readonly title = "Payload too large";
}

export class UnprocessableError extends DomainError {
  override name = "UnprocessableError";
  readonly status = 422;
  readonly title = "Unprocessable request";
}

export class LockedError extends DomainError {
  override name = "LockedError";
  readonly status = 423;
  readonly title = "Locked";
}

/** A bound on what one client or all clients may hold was reached (the queue is full). */
export class TooManyRequestsError extends DomainError {
  override name = "TooManyRequestsError";
  readonly status = 429;
  readonly title = "Too many requests";

  constructor(message: string, retryAfterS: number) {
    super(message, {}, retryAfterS);
  }
}

/** A lab operation failed on the host (the tool's error is the message); Remote Lab answers these with 500. */
export class LabOperationError extends DomainError {
  override name = "LabOperationError";
  readonly status = 500;
  readonly title = "Lab operation failed";
}

/** The broker cannot answer now; `retryAfterS` where the bound that refused it frees itself soon (bodies in memory, open streams). */
export class UnavailableError extends DomainError {
  override name = "UnavailableError";
  readonly status = 503;
  readonly title = "Service unavailable";

  constructor(message: string, retryAfterS: number | null = null) {
    super(message, {}, retryAfterS);
  }
}

/** The client took longer than the bound to send its request. */
export class RequestTimeoutError extends DomainError {
  override name = "RequestTimeoutError";
  readonly status = 408;
  readonly title = "Request timeout";
}
