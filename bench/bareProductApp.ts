import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../packages/server/src/store/Database';

/**
 * The baseline of the productGet benchmarks: a bare Hono app with one route, `GET /products/:id`, running
 * the primary-key query on `products` (all columns, as an ORM's default read does) and answering the row
 * as JSON; 404 when there is none. No authentication, validation, ETag or prepared statement.
 */
export function bareProductApp(db: Kysely<Database>): Hono {
  const bare = new Hono();
  bare.get('/products/:id', async (c) => {
    const row = await db.selectFrom('products').selectAll().where('id', '=', c.req.param('id')).executeTakeFirst();
    return row === undefined ? c.json({ error: 'not found' }, 404) : c.json(row);
  });
  return bare;
}
