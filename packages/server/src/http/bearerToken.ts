import type { Context } from 'hono';

/** The bearer secret of a request (`Authorization: Bearer <secret>`), if it sent one. */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
