import type { Kysely } from 'kysely';
import type { Database } from '../store/Database';

/**
 * Runs `work` in a transaction, joining the caller's when `db` already is one (Kysely transactions do
 * not nest). This lets one command (e.g. the demo seeding) compose several service calls atomically.
 */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
