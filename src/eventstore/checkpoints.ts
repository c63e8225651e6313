import type { Db } from './database.js';
import { START, type Cursor } from './types.js';

export async function loadCheckpoint(db: Db, name: string): Promise<Cursor> {
  const row = await db
    .selectFrom('checkpoints')
    .select(['transaction_id', 'position'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? { transactionId: row.transaction_id, position: row.position } : START;
}

/** Stores a tailer's position; `db` may be a transaction, so a projector's tables and its
 * checkpoint commit together. */
export async function saveCheckpoint(db: Db, name: string, cursor: Cursor): Promise<void> {
  await db
    .insertInto('checkpoints')
    .values({ name, transaction_id: cursor.transactionId, position: cursor.position })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ transaction_id: cursor.transactionId, position: cursor.position, updated_at: new Date() }),
    )
    .execute();
}
