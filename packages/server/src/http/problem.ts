import type { ErrorCode, FieldProblem } from '../errors/errors';
import { InputError, MeshboardError, PreconditionFailedError, TooManyRequestsError } from '../errors/errors';

/** Base of every problem `type` URI; the code after it is stable and documented in docs/server.md. */
export const problemTypeBase = 'https://meshboard.dev/problems/';

/** The one table from error code to HTTP status and title. Exhaustive: a new code fails to compile here. */
export const problemTable: Record<ErrorCode, { status: number; title: string }> = {
  'invalid-input': { status: 400, title: 'The request is not valid' },
  'not-authenticated': { status: 401, title: 'Authentication is required' },
  'not-allowed': { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  'precondition-failed': { status: 412, title: 'The resource changed since you read it' },
  'precondition-required': { status: 428, title: 'Say which version you change (If-Match)' },
  'too-many-requests': { status: 429, title: 'Too many attempts' },
};

/** An RFC 9457 problem document as we send it (`code` and the extensions are ours). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | 'internal';
  instance?: string;
  /** For `invalid-input`: each offending field. */
  problems?: FieldProblem[];
  /** For `precondition-failed`: the version the resource has now. */
  currentVersion?: number;
  /** For `too-many-requests`: seconds until a new attempt can succeed (also sent as Retry-After). */
  retryAfterSeconds?: number;
}

/**
 * Turns anything thrown into a problem document. Expected errors keep their message; anything else
 * becomes a generic 500 whose detail reveals nothing about the internals (the caller logs the error).
 */
export function toProblem(error: unknown, instance?: string): ProblemDocument {
  if (error instanceof MeshboardError) {
    const entry = problemTable[error.code];
    return {
      type: `${problemTypeBase}${error.code}`,
      title: entry.title,
      status: entry.status,
      detail: error.message,
      code: error.code,
      ...(instance === undefined ? {} : { instance }),
      ...(error instanceof InputError ? { problems: [...error.problems] } : {}),
      ...(error instanceof PreconditionFailedError && error.currentVersion !== undefined ? { currentVersion: error.currentVersion } : {}),
      ...(error instanceof TooManyRequestsError && error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  return {
    type: `${problemTypeBase}internal`,
    title: 'Internal server error',
    status: 500,
    detail: 'Something went wrong on the server. The error was logged; please try again or tell the operators.',
    code: 'internal',
    ...(instance === undefined ? {} : { instance }),
  };
}

/** A problem+json response for `error`. */
export function problemResponse(error: unknown, instance?: string): Response {
  const problem = toProblem(error, instance);
  const headers = new Headers({ 'content-type': 'application/problem+json' });
  if (problem.status === 401) headers.set('www-authenticate', 'Bearer realm="meshboard"');
  if (problem.retryAfterSeconds !== undefined) headers.set('retry-after', String(problem.retryAfterSeconds));
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}
