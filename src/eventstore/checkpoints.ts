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

/**
 * Locks a checkpoint row for the rest of the transaction and returns where it stands. Whoever
 * moves a projection's checkpoint (the projector's batch, a rebuild, an audit's comparison)
 * takes this lock first, so they never interleave.
 */
export async function lockCheckpoint(tx: Db, name: string): Promise<Cursor> {
  await tx
    .insertInto('checkpoints')
    .values({ name, transaction_id: START.transactionId, position: START.position })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await tx
    .selectFrom('checkpoints')
    .select(['transaction_id', 'position'])
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { transactionId: row.transaction_id, position: row.position };
}

export const sameCursor = (a: Cursor, b: Cursor): boolean => a.transactionId === b.transactionId && a.position === b.position;
