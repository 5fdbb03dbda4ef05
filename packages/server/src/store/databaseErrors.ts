import { ConflictError } from '../errors/errors';

interface PgError {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

/** SQLSTATE of a PostgreSQL error, when `error` is one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as PgError).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Runs `work` and turns the constraint violations services expect into {@link ConflictError}s with
 * the given message (23505 unique; 23503 or 23001 still referenced: PostgreSQL 18 reports ON DELETE RESTRICT as 23001). Everything else propagates unchanged.
 */
export async function translateConstraintErrors<T>(
  work: () => Promise<T>,
  messages: { unique?: string; referenced?: string },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const state = sqlState(error);
    if (state === '23505' && messages.unique !== undefined) throw new ConflictError(messages.unique);
    if ((state === '23503' || state === '23001') && messages.referenced !== undefined) throw new ConflictError(messages.referenced);
    throw error;
  }
}
