import { pageLimits } from '../store/pagination';

/** What a list call asks for: at most `limit` items after the opaque `cursor`. */
export interface ListRequest {
  limit?: number;
  cursor?: string;
}

/** The page size to use: the default when absent, clamped into 1…max (HTTP rejects out-of-range values first). */
export function listLimit(request: ListRequest): number {
  return Math.min(Math.max(Math.trunc(request.limit ?? pageLimits.default), 1), pageLimits.max);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (every id we issue); anything else cannot name a row, so it is "not found". */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
