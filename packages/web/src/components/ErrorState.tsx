import { ApiError } from '@meshboard/client';
import { Link } from '@tanstack/react-router';
import { InputError, MeshboardError, NotAllowedError, NotAuthenticatedError, NotFoundError } from '@meshboard/model';

function headline(error: unknown): string {
  if (error instanceof NotFoundError) return 'Not found';
  if (error instanceof NotAllowedError) return 'Not allowed';
  if (error instanceof NotAuthenticatedError) return 'Not signed in';
  if (error instanceof InputError) return 'Invalid input';
  if (error instanceof ApiError && error.status === 0) return 'The server cannot be reached';
  if (error instanceof MeshboardError || error instanceof ApiError) return 'The request failed';
  return 'Something went wrong';
}

/**
 * Shows a failed request: a headline by error class, the server's problem `detail`, and for invalid
 * input each field problem with its pointer or parameter. "Try again" only where another try can
 * help (network failures, 5xx, unexpected errors), never for a typed 4xx answer; "not found" offers home.
 */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <div className="callout callout-danger" role="alert">
      <strong>{headline(error)}</strong>
      <p>{detail}</p>
      {error instanceof InputError && error.problems.length > 0 && (
        <ul>
          {error.problems.map((problem, index) => (
            <li key={index}>
              {problem.pointer !== undefined && <code>{problem.pointer === '' ? '(body)' : problem.pointer}</code>}
              {problem.parameter !== undefined && <code>{problem.parameter}</code>} {problem.detail}
            </li>
          ))}
        </ul>
      )}
      {error instanceof NotFoundError && (
        <Link to="/" className="button">
          Go home
        </Link>
      )}
      {onRetry !== undefined && !(error instanceof MeshboardError) && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
