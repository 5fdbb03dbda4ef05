import { errorFromCode, isErrorCode, PreconditionFailedError, TooManyRequestsError, type FieldProblem, type MeshboardError } from '@meshboard/model';
import { ApiError } from './ApiError';

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  problems?: unknown;
  currentVersion?: unknown;
  retryAfterSeconds?: unknown;
}

function fieldProblems(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): FieldProblem[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { pointer, parameter, detail } = entry as Record<string, unknown>;
    if (typeof detail !== 'string') return [];
    return [{ detail, ...(typeof pointer === 'string' ? { pointer } : {}), ...(typeof parameter === 'string' ? { parameter } : {}) }];
  });
}

/**
 * Turns a failed response back into the error the server threw: problem+json with a known `code`
 * becomes the `@meshboard/model` class (with `problems` and `currentVersion`); anything else becomes
 * an {@link ApiError} carrying the status and whatever text explains it.
 */
export async function errorFromResponse(response: Response): Promise<MeshboardError | ApiError> {
  const text = await response.text().catch(() => '');
  let body: ProblemBody | undefined;
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) body = parsed as ProblemBody;
    } catch {
      body = undefined;
    }
  }
  const detail = typeof body?.detail === 'string' ? body.detail : typeof body?.title === 'string' ? body.title : `${response.status} ${response.statusText}`.trim();
  if (body !== undefined && isErrorCode(body.code)) {
    if (body.code === 'precondition-failed') {
      return new PreconditionFailedError(detail, typeof body.currentVersion === 'number' ? body.currentVersion : undefined);
    }
    if (body.code === 'too-many-requests') {
      return new TooManyRequestsError(detail, typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined);
    }
    return errorFromCode(body.code, detail, fieldProblems(body.problems));
  }
  return new ApiError(
    body === undefined ? `The server answered ${response.status} ${response.statusText}`.trim() + '.' : detail,
    response.status,
    typeof body?.code === 'string' ? body.code : undefined,
  );
}
