import { sql } from 'kysely';
import type { Db } from './database.js';
import { toRecorded } from './row.js';
import type { Cursor, RecordedEvent } from './types.js';

/**
 * The global log after a cursor, gap-free: rows of transactions still running (and of any
 * that started after the oldest running one) stay invisible until everything before them has
 * committed, so a tailer never moves past an event that commits later.
 */
export async function readAll(db: Db, after: Cursor, limit: number): Promise<{ events: RecordedEvent[]; cursor: Cursor }> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where(sql<boolean>`(transaction_id, position) > (${after.transactionId}::xid8, ${after.position}::bigint)`)
    .where(sql<boolean>`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy('transaction_id', 'asc')
    .orderBy('position', 'asc')
    .limit(limit)
    .execute();
  const events = rows.map(toRecorded);
  const last = events.at(-1);
  return { events, cursor: last ? { transactionId: last.transactionId, position: last.position } : after };
}

/** How many events a tailer at `after` has still to read, counting up to `limit`. */
export async function countAfter(db: Db, after: Cursor, limit: number): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM (
      SELECT 1 FROM events
      WHERE (transaction_id, position) > (${after.transactionId}::xid8, ${after.position}::bigint)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      LIMIT ${limit}
    ) behind`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
