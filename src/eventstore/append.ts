import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './database.js';
import { chainHash } from './hash.js';
import { toRecorded } from './row.js';
import { ConcurrencyError, type ExpectedVersion, type NewEvent, type RecordedEvent } from './types.js';

export const EVENTS_CHANNEL = 'judge_events';

const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';

/**
 * Appends events to one stream if it stands where the writer expects. A writer that lost a race
 * gets a ConcurrencyError (the unique (stream, version) key decides the race), never a crash.
 */
export async function appendToStream(
  db: Db,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  try {
    return await db.transaction().execute(async (tx) => {
      const last = await tx
        .selectFrom('events')
        .select(['stream_version', 'hash'])
        .where('stream_id', '=', streamId)
        .orderBy('stream_version', 'desc')
        .limit(1)
        .executeTakeFirst();
      const actual = last?.stream_version ?? 0;
      const expectedNumber = expected === 'no_stream' ? 0 : expected === 'any' ? actual : expected;
      if (expectedNumber !== actual) throw new ConcurrencyError(streamId, expected, actual);

      let previous = last?.hash ?? null;
      const rows = events.map((event, i) => {
        const version = actual + i + 1;
        const hash = chainHash(previous, { type: event.type, version, data: event.data });
        previous = hash;
        return {
          event_id: randomUUID(),
          stream_id: streamId,
          stream_version: version,
          type: event.type,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata ?? {}),
          hash,
        };
      });
      const inserted = await tx.insertInto('events').values(rows).returningAll().execute();
      // Delivered at commit: wakes tailers (relay, projectors) without polling.
      await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${streamId})`.execute(tx);
      return inserted.map(toRecorded);
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new ConcurrencyError(streamId, expected, typeof expected === 'number' ? expected + 1 : -1);
    }
    throw e;
  }
}
