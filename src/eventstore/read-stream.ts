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
