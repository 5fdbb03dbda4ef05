/**
 * The closed set of typed, transport-free errors shared by server and client. Each carries a stable
 * `code`; the server maps codes to HTTP in one table and the client turns problem+json back into the same
 * classes (see `errorFromCode`). Nothing here knows about HTTP.
 */

/** The stable error codes: part of the public API, never renamed. */
export const errorCodes = [
  'invalid-input',
  'not-found',
  'conflict',
  'not-allowed',
  'not-authenticated',
  'precondition-failed',
  'precondition-required',
  'too-many-requests',
] as const;

/** One of {@link errorCodes}. */
export type ErrorCode = (typeof errorCodes)[number];

/** One invalid field: a JSON pointer into the request body, or the name of a query/path parameter. */
export interface FieldProblem {
  /** RFC 6901 pointer into the rejected body, e.g. `/roles/0/domainId`. */
  pointer?: string;
  /** Name of the query or path parameter, e.g. `limit`. */
  parameter?: string;
  /** Why the value was rejected, in plain words. */
  detail: string;
}

/** Base of every expected error: a stable `code` and a message safe to show to the caller. */
export abstract class MeshboardError extends Error {
  abstract readonly code: ErrorCode;
}

/** The input is malformed or breaks a rule; `problems` name each offending field. */
export class InputError extends MeshboardError {
  override name = 'InputError';
  readonly code = 'invalid-input' as const;
  constructor(
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** The addressed thing does not exist (or the caller may not know that it does). */
export class NotFoundError extends MeshboardError {
  override name = 'NotFoundError';
  readonly code = 'not-found' as const;
}

/** The request clashes with the current state (duplicate slug, still referenced, …). */
export class ConflictError extends MeshboardError {
  override name = 'ConflictError';
  readonly code = 'conflict' as const;
}

/** The caller is known but lacks the role this action needs. */
export class NotAllowedError extends MeshboardError {
  override name = 'NotAllowedError';
  readonly code = 'not-allowed' as const;
}

/** The caller could not be identified (no, unknown, expired or revoked credentials). */
export class NotAuthenticatedError extends MeshboardError {
  override name = 'NotAuthenticatedError';
  readonly code = 'not-authenticated' as const;
}

/** The caller's expected version is stale: someone else changed the thing first (no lost update). */
export class PreconditionFailedError extends MeshboardError {
  override name = 'PreconditionFailedError';
  readonly code = 'precondition-failed' as const;
  constructor(
    message: string,
    /** The version the thing has now, when known, so the caller can re-read and retry. */
    readonly currentVersion?: number,
  ) {
    super(message);
  }
}

/** A change was sent without saying which version it applies to (If-Match is required). */
export class PreconditionRequiredError extends MeshboardError {
  override name = 'PreconditionRequiredError';
  readonly code = 'precondition-required' as const;
}

/** The caller tried too often (e.g. wrong passwords); it may try again after `retryAfterSeconds`. */
export class TooManyRequestsError extends MeshboardError {
  override name = 'TooManyRequestsError';
  readonly code = 'too-many-requests' as const;
  constructor(
    message: string,
    /** Seconds until a new attempt can succeed, when known. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Whether `value` is one of the stable {@link errorCodes}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/**
 * Rebuilds the typed error for a code (the client's half of the mapping). `problems` only matter for
 * `invalid-input`.
 */
export function errorFromCode(code: ErrorCode, message: string, problems: readonly FieldProblem[] = []): MeshboardError {
  switch (code) {
    case 'invalid-input':
      return new InputError(message, problems);
    case 'not-found':
      return new NotFoundError(message);
    case 'conflict':
      return new ConflictError(message);
    case 'not-allowed':
      return new NotAllowedError(message);
    case 'not-authenticated':
      return new NotAuthenticatedError(message);
    case 'precondition-failed':
      return new PreconditionFailedError(message);
    case 'precondition-required':
      return new PreconditionRequiredError(message);
    case 'too-many-requests':
      return new TooManyRequestsError(message);
  }
}
