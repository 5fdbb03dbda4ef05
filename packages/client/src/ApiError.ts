/**
 * An HTTP failure outside the closed error set of `@meshboard/model`: a 5xx `internal` problem, an
 * answer that is not problem+json (a proxy's HTML page), or no answer at all (network down). Expected
 * failures (400, 401, 403, 404, 409, 412, 428) come back as the model's own error classes instead.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    /** The HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    /** The problem's `code` when the server sent one (e.g. `internal`). */
    readonly code?: string,
  ) {
    super(message);
  }
}
