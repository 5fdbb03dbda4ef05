import { InputError } from '../errors/errors';

/** A page of a list: the items and the cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Default and maximum page sizes for every list. */
export const pageLimits = { default: 50, max: 500 } as const;

/**
 * Encodes the sort key of a page's last row as an opaque cursor (base64url JSON). Clients must treat
 * cursors as opaque; the encoding may change between versions.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; a malformed one is an {@link InputError} on `cursor`. */
export function decodeCursor(cursor: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && typeof (value as { k?: unknown }).k === 'string') {
      return (value as { k: string }).k;
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('The cursor is not one this server issued.', [
    { parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' },
  ]);
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only signals that another page exists.
 * `keyOf` gives the unique sort key the next query continues after.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
