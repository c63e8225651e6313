import type { Db } from './database.js';
import { toRecorded } from './row.js';
import type { RecordedEvent } from './types.js';

/** One stream's events, oldest first, optionally only up to a version. */
export async function readStream(db: Db, streamId: string, options: { toVersion?: number } = {}): Promise<RecordedEvent[]> {
  let query = db.selectFrom('events').selectAll().where('stream_id', '=', streamId);
  if (options.toVersion !== undefined) query = query.where('stream_version', '<=', options.toVersion);
  const rows = await query.orderBy('stream_version', 'asc').execute();
  return rows.map(toRecorded);
}

/** Several streams at once (one query), each oldest first. */
export async function readStreams(db: Db, streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
  const result = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
  if (streamIds.length === 0) return result;
  const rows = await db.selectFrom('events').selectAll().where('stream_id', 'in', [...new Set(streamIds)]).orderBy('stream_id').orderBy('stream_version').execute();
  for (const row of rows) result.get(row.stream_id)?.push(toRecorded(row));
  return result;
}
